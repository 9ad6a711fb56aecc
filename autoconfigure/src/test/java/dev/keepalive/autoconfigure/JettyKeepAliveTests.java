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

import java.util.List;

import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint.ConnectorDescriptor;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint.KeepAliveDescriptor;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpointAutoConfiguration;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for the starter on a real, started Jetty, read back through
 * {@link KeepAliveEndpoint}. Load balancer (60 s), user (10 s, 120 s) and expected (65 s)
 * values differ, so each asserted value shows which source won.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class JettyKeepAliveTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(
				AutoConfigurations.of(JettyServletWebServerAutoConfiguration.class, KeepAliveAutoConfiguration.class,
						EndpointAutoConfiguration.class, KeepAliveEndpointAutoConfiguration.class))
		.withPropertyValues("server.port=0", "management.endpoints.web.exposure.include=keepalive");

	@Test
	void defaultIdleTimeoutIsRaisedAboveLoadBalancerIdleTimeout(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("OK");
			assertThat(descriptor.connectors()).singleElement().satisfies((connector) -> {
				assertThat(connector.server()).isEqualTo("jetty");
				assertThat(connector.protocol()).isEqualTo("HTTP/1.1");
				assertThat(connector.port())
					.isEqualTo(AbstractKeepAliveWireTests.port(context.getSourceApplicationContext()));
				assertTimeouts(connector, 65_000);
			});
			assertThat(descriptor.warnings()).isEmpty();
		});
		assertThat(output).contains("jetty connector on port", "keep-alive 65000ms").doesNotContain("WARN");
	}

	@Test
	void higherUserIdleTimeoutIsKept() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.jetty.connection-idle-timeout=120s")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 120_000)));
	}

	@Test
	void lowerUserIdleTimeoutIsRaisedWithWarningNamingItsProperty(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.jetty.connection-idle-timeout=10s")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 65_000)));
		assertThat(output).contains("server.jetty.connection-idle-timeout=10000ms is below the 65000ms");
	}

	@Test
	void infiniteIdleTimeoutIsLeftAlone() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.jetty.connection-idle-timeout=-1")
			.run((context) -> {
				assertThat(connectors(context)).singleElement().satisfies((connector) -> assertTimeouts(connector, -1));
				assertThat(context.getBean(KeepAliveEndpoint.class).keepAlive().status()).isEqualTo("OK");
			});
	}

	@Test
	void connectorsAddedOrLoweredByLaterCustomizersAreRaisedToo() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60")
			.withUserConfiguration(LateJettyCustomizerConfiguration.class)
			.run((context) -> assertThat(connectors(context)).hasSize(2)
				.extracting(ConnectorDescriptor::keepAliveTimeoutMillis)
				.containsOnly(65_000L));
	}

	@Test
	void worksWithoutJettysHttp2Module() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60")
			.withClassLoader(new FilteredClassLoader("org.eclipse.jetty.http2"))
			.run((context) -> assertThat(connectors(context)).singleElement()
				.extracting(ConnectorDescriptor::protocol, ConnectorDescriptor::keepAliveTimeoutMillis)
				.isEqualTo(List.of("HTTP/1.1", 65_000L)));
	}

	@Test
	void http2IsListedWithTheConnectorIdleTimeout() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.http2.enabled=true")
			.run((context) -> assertThat(connectors(context))
				.extracting(ConnectorDescriptor::protocol, ConnectorDescriptor::keepAliveTimeoutMillis)
				.containsExactly(tuple("HTTP/1.1", 65_000L), tuple("h2c", 65_000L)));
	}

	@Test
	void reportModeChangesNothingAndWarnsOnce() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=report").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("INVERTED");
			assertThat(descriptor.connectors()).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 30_000));
			assertThat(descriptor.warnings()).singleElement()
				.asString()
				.contains("closes idle connections after 30000ms",
						"set server.jetty.connection-idle-timeout to at least 65000ms");
		});
	}

	@Test
	void failModeStopsStartupWhenInverted() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=fail")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(KeepAliveTimeoutsInvertedException.class)
				.hasMessageContaining("server.jetty.connection-idle-timeout"));
	}

	@Configuration(proxyBeanMethods = false)
	static class LateJettyCustomizerConfiguration {

		@Bean
		WebServerFactoryCustomizer<JettyServletWebServerFactory> lateJettyCustomizer() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				for (Connector connector : server.getConnectors()) {
					((AbstractConnector) connector).setIdleTimeout(10_000);
				}
				ServerConnector additional = new ServerConnector(server);
				additional.setPort(0);
				additional.setIdleTimeout(10_000);
				server.addConnector(additional);
			});
		}

	}

	private static List<ConnectorDescriptor> connectors(ApplicationContext context) {
		return context.getBean(KeepAliveEndpoint.class).keepAlive().connectors();
	}

	private static void assertTimeouts(ConnectorDescriptor connector, long idleTimeout) {
		assertThat(connector.keepAliveTimeoutMillis()).as("keep-alive timeout").isEqualTo(idleTimeout);
		assertThat(connector.headerTimeoutMillis()).as("header timeout").isEqualTo(idleTimeout);
	}

}
