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

import java.time.Duration;
import java.util.List;

import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint.ConnectorDescriptor;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint.KeepAliveDescriptor;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.http.server.reactive.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for the starter on a real, started Reactor Netty server, read back through
 * {@link KeepAliveEndpoint}.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class NettyKeepAliveTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner(
			AnnotationConfigReactiveWebServerApplicationContext::new)
		.withConfiguration(
				AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class, KeepAliveAutoConfiguration.class,
						EndpointAutoConfiguration.class, KeepAliveEndpointAutoConfiguration.class))
		.withBean(HttpHandler.class, () -> (request, response) -> Mono.empty())
		.withPropertyValues("server.port=0", "management.endpoints.web.exposure.include=keepalive");

	@Test
	void defaultNoIdleTimeoutIsReportedAsInfiniteAndOk() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("OK");
			assertThat(descriptor.connectors()).singleElement().satisfies((connector) -> {
				assertThat(connector.server()).isEqualTo("netty");
				assertThat(connector.protocol()).isEqualTo("HTTP/1.1");
				assertThat(connector.port())
					.isEqualTo(AbstractKeepAliveWireTests.port(context.getSourceApplicationContext()));
				assertThat(connector.keepAliveTimeoutMillis()).isEqualTo(-1);
				assertThat(connector.headerTimeoutMillis()).isEqualTo(-1);
			});
		});
	}

	@Test
	void lowerUserIdleTimeoutIsRaisedWithWarningNamingItsProperty(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.netty.idle-timeout=10s")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.extracting(ConnectorDescriptor::keepAliveTimeoutMillis)
				.isEqualTo(65_000L));
		assertThat(output).contains("server.netty.idle-timeout=10000ms is below the 65000ms");
	}

	@Test
	void higherUserIdleTimeoutIsKept() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.netty.idle-timeout=120s")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.extracting(ConnectorDescriptor::keepAliveTimeoutMillis)
				.isEqualTo(120_000L));
	}

	@Test
	void reportModeChangesNothingAndWarns() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=report", "server.netty.idle-timeout=10s")
			.run((context) -> {
				KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
				assertThat(descriptor.status()).isEqualTo("INVERTED");
				assertThat(descriptor.connectors()).singleElement()
					.extracting(ConnectorDescriptor::keepAliveTimeoutMillis)
					.isEqualTo(10_000L);
				assertThat(descriptor.warnings()).singleElement()
					.asString()
					.contains("netty connector", "set server.netty.idle-timeout to at least 65000ms");
			});
	}

	@Test
	void endpointReadsTheIdleTimeoutTheServerWasBoundWith() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60")
			.withBean("lateNettyCustomizer", WebServerFactoryCustomizer.class,
					() -> (WebServerFactoryCustomizer<NettyReactiveWebServerFactory>) (factory) -> factory
						.addServerCustomizers((httpServer) -> httpServer.idleTimeout(Duration.ofSeconds(7))))
			.run((context) -> {
				KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
				assertThat(descriptor.connectors()).singleElement()
					.extracting(ConnectorDescriptor::keepAliveTimeoutMillis)
					.isEqualTo(7_000L);
				assertThat(descriptor.status()).isEqualTo("INVERTED");
			});
	}

	@Test
	void failModeStopsStartupWhenInverted() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=fail", "server.netty.idle-timeout=10s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(KeepAliveTimeoutsInvertedException.class));
	}

	@Test
	void http2IsListedWithTheSameIdleTimeout() {
		this.contextRunner
			.withPropertyValues("lb.idle-timeout=60", "server.netty.idle-timeout=10s", "server.http2.enabled=true")
			.run((context) -> assertThat(connectors(context))
				.extracting(ConnectorDescriptor::protocol, ConnectorDescriptor::keepAliveTimeoutMillis)
				.containsExactlyInAnyOrder(tuple("HTTP/1.1", 65_000L), tuple("h2c", 65_000L)));
	}

	private static List<ConnectorDescriptor> connectors(ApplicationContext context) {
		return context.getBean(KeepAliveEndpoint.class).keepAlive().connectors();
	}

}
