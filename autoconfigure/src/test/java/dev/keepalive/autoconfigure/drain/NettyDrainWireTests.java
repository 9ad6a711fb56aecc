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

package dev.keepalive.autoconfigure.drain;

import dev.keepalive.autoconfigure.KeepAliveAutoConfiguration;
import org.junit.jupiter.api.function.ThrowingConsumer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drain wire tests for Reactor Netty. The server gets an idle timeout, which the starter
 * raises, so that its responses carry the keep-alive hint.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class NettyDrainWireTests extends AbstractFullDrainWireTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner(
			AnnotationConfigReactiveWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, LifecycleAutoConfiguration.class,
				KeepAliveAutoConfiguration.class, KeepAliveDrainAutoConfiguration.class))
		.withUserConfiguration(ReadinessHttpHandlerConfiguration.class)
		.withPropertyValues("server.port=0", "server.netty.idle-timeout=1s");

	@Override
	void runWithServer(String[] properties, ThrowingConsumer<RunningServer> test) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(new RunningServer(context.getSourceApplicationContext()));
		});
	}

}
