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
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wire tests for Jetty serving a reactive application.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class JettyReactiveKeepAliveWireTests extends AbstractKeepAliveWireTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner(
			AnnotationConfigReactiveWebServerApplicationContext::new)
		.withConfiguration(
				AutoConfigurations.of(JettyReactiveWebServerAutoConfiguration.class, KeepAliveAutoConfiguration.class))
		.withUserConfiguration(ClientPortHttpHandlerConfiguration.class)
		.withPropertyValues("server.port=0");

	@Override
	String[] serverTimeouts(String timeout) {
		return new String[] { "server.jetty.connection-idle-timeout=" + timeout };
	}

	@Override
	void runWithServer(String[] properties, ThrowingConsumer<Integer> test) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(port(context.getSourceApplicationContext()));
		});
	}

}
