/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.keepalive.autoconfigure;

import org.junit.jupiter.api.function.ThrowingConsumer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wire tests for Tomcat serving a servlet application.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class TomcatServletKeepAliveWireTests extends AbstractKeepAliveWireTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(
				AutoConfigurations.of(TomcatServletWebServerAutoConfiguration.class, KeepAliveAutoConfiguration.class))
		.withUserConfiguration(ClientPortServletConfiguration.class)
		.withPropertyValues("server.port=0");

	@Override
	String[] serverTimeouts(String timeout) {
		return new String[] { "server.tomcat.keep-alive-timeout=" + timeout,
				"server.tomcat.connection-timeout=" + timeout };
	}

	@Override
	void runWithServer(String[] properties, ThrowingConsumer<Integer> test) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(port(context.getSourceApplicationContext()));
		});
	}

}
