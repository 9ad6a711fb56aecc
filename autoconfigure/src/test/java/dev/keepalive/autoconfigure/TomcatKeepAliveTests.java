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
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for the starter on a real, started Tomcat, read back through
 * {@link KeepAliveEndpoint}. Load balancer (60 s), user (10 s, 120 s) and expected (65 s,
 * 70 s, 125 s) values differ, so each asserted value shows which source won.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatKeepAliveTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(
				AutoConfigurations.of(TomcatServletWebServerAutoConfiguration.class, KeepAliveAutoConfiguration.class,
						EndpointAutoConfiguration.class, KeepAliveEndpointAutoConfiguration.class))
		.withPropertyValues("server.port=0", "management.endpoints.web.exposure.include=keepalive");

	@Test
	void defaultsAreRaisedAboveLoadBalancerIdleTimeout(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("OK");
			assertThat(descriptor.mode()).isEqualTo("adjust");
			assertThat(descriptor.lbIdleTimeoutMillis()).isEqualTo(60_000);
			assertThat(descriptor.connectors()).singleElement().satisfies((connector) -> {
				assertThat(connector.server()).isEqualTo("tomcat");
				assertThat(connector.protocol()).isEqualTo("HTTP/1.1");
				assertThat(connector.port())
					.isEqualTo(AbstractKeepAliveWireTests.port(context.getSourceApplicationContext()));
				assertThat(connector.keepAliveTimeoutMillis()).isEqualTo(65_000);
				assertThat(connector.headerTimeoutMillis()).isEqualTo(70_000);
			});
			assertThat(descriptor.warnings()).isEmpty();
		});
		assertThat(output).contains("Keep-alive timeouts for a load balancer idle timeout of 60000ms (lb.mode=adjust)",
				"keep-alive 65000ms, header 70000ms");
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void higherUserKeepAliveTimeoutIsKeptAndHeaderTimeoutFollowsIt() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.tomcat.keep-alive-timeout=120s")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 120_000, 125_000)));
	}

	@Test
	void keepAliveTimeoutFollowingHigherUserConnectionTimeoutIsPinnedBeforeHeaderTimeoutIsRaised() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.tomcat.connection-timeout=120s")
			.run((context) -> {
				assertThat(connectors(context)).singleElement()
					.satisfies((connector) -> assertTimeouts(connector, 120_000, 125_000));
				assertThat(context.getBean(KeepAliveEndpoint.class).keepAlive().status()).isEqualTo("OK");
			});
	}

	@Test
	void lowerUserTimeoutsAreRaisedWithWarningNamingTheirProperties(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("lb.idle-timeout=60", "server.tomcat.keep-alive-timeout=10s",
					"server.tomcat.connection-timeout=20s")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 65_000, 70_000)));
		assertThat(output).contains("server.tomcat.keep-alive-timeout=10000ms is below the 65000ms",
				"server.tomcat.connection-timeout=20000ms is below the 70000ms");
	}

	@Test
	void infiniteTimeoutsAreLeftAlone() {
		this.contextRunner
			.withPropertyValues("lb.idle-timeout=60", "server.tomcat.keep-alive-timeout=-1",
					"server.tomcat.connection-timeout=-1")
			.run((context) -> {
				assertThat(connectors(context)).singleElement()
					.satisfies((connector) -> assertTimeouts(connector, -1, -1));
				assertThat(context.getBean(KeepAliveEndpoint.class).keepAlive().status()).isEqualTo("OK");
			});
	}

	@Test
	void infiniteKeepAliveTimeoutStillGetsHeaderTimeoutAboveLoadBalancer() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.tomcat.keep-alive-timeout=-1")
			.run((context) -> assertThat(connectors(context)).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, -1, 70_000)));
	}

	@Test
	void additionalConnectorsAreRaisedToo() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60")
			.withUserConfiguration(AdditionalConnectorConfiguration.class)
			.run((context) -> assertThat(connectors(context)).hasSize(2)
				.extracting(ConnectorDescriptor::keepAliveTimeoutMillis, ConnectorDescriptor::headerTimeoutMillis)
				.containsOnly(tuple(65_000L, 70_000L)));
	}

	@Test
	void http2KeepAliveTimeoutIsRaisedAndListedOnItsOwn() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.http2.enabled=true")
			.run((context) -> assertThat(connectors(context))
				.extracting(ConnectorDescriptor::protocol, ConnectorDescriptor::keepAliveTimeoutMillis,
						ConnectorDescriptor::headerTimeoutMillis)
				.containsExactly(tuple("HTTP/1.1", 65_000L, 70_000L), tuple("h2c", 65_000L, 70_000L)));
	}

	@Test
	void http2KeepAliveTimeoutOfZeroClosesAtOnceSoItIsRaised() {
		this.contextRunner
			.withPropertyValues("lb.idle-timeout=60", "server.http2.enabled=true", "server.tomcat.keep-alive-timeout=0")
			.run((context) -> assertThat(connectors(context))
				.extracting(ConnectorDescriptor::protocol, ConnectorDescriptor::keepAliveTimeoutMillis)
				.containsExactly(tuple("HTTP/1.1", -1L), tuple("h2c", 65_000L)));
	}

	@Test
	void http2DefaultKeepAliveTimeoutIsReportedInReportMode() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=report", "server.http2.enabled=true")
			.run((context) -> {
				KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
				assertThat(descriptor.connectors()).extracting(ConnectorDescriptor::keepAliveTimeoutMillis)
					.containsExactly(60_000L, 20_000L);
				assertThat(descriptor.warnings()).anySatisfy(
						(warning) -> assertThat(warning).contains("(h2c) closes idle connections after 20000ms"));
			});
	}

	@Test
	void providerPresetMeetsTheVendorMinimum() {
		this.contextRunner.withPropertyValues("lb.provider=oci").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("OK");
			assertThat(descriptor.provider()).isEqualTo("oci");
			assertThat(descriptor.lbIdleTimeoutMillis()).isEqualTo(300_000);
			assertThat(descriptor.lbIdleTimeoutSource()).isEqualTo("lb.provider");
			assertThat(descriptor.connectors()).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 310_000, 315_000));
		});
	}

	@Test
	void keepAliveAboveIdleTimeoutButBelowVendorMinimumIsInverted() {
		this.contextRunner
			.withPropertyValues("lb.provider=oci", "lb.mode=report", "server.tomcat.keep-alive-timeout=305s",
					"server.tomcat.connection-timeout=400s")
			.run((context) -> {
				KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
				assertThat(descriptor.status()).isEqualTo("INVERTED");
				assertThat(descriptor.warnings()).singleElement()
					.asString()
					.contains("after 305000ms, below the 310000ms that oci asks of backends");
			});
	}

	@Test
	void passThroughProviderChangesNothingAndSaysWhy(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.provider=aws-nlb").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("UNCONFIGURED");
			assertThat(descriptor.provider()).isEqualTo("aws-nlb");
			assertThat(descriptor.providerNote()).contains("does not pool connections",
					"Keep-Alive: timeout=N header on every response that keeps the connection open",
					"lb.keep-alive-hint");
			assertThat(descriptor.keepAliveHint()).isTrue();
			assertThat(descriptor.connectors()).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 60_000, 60_000));
		});
		assertThat(output).contains("lb.provider=aws-nlb: aws-nlb is a pass-through (layer 4) load balancer")
			.contains("what protects them from reusing one the server is closing is the Keep-Alive: timeout=N header");
	}

	@Test
	void reportModeChangesNothingAndWarns(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=report").run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("INVERTED");
			assertThat(descriptor.mode()).isEqualTo("report");
			assertThat(descriptor.connectors()).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 60_000, 60_000));
			assertThat(descriptor.warnings()).hasSize(2)
				.anySatisfy((warning) -> assertThat(warning).contains("closes idle connections after 60000ms",
						"set server.tomcat.keep-alive-timeout to at least 65000ms, or set lb.mode=adjust"))
				.anySatisfy((warning) -> assertThat(warning).contains("waits 60000ms",
						"set server.tomcat.connection-timeout to at least 70000ms"));
		});
		assertThat(output).contains("WARN", "closes idle connections after 60000ms");
	}

	@Test
	void endpointReadsTheRunningServerNotTheProperties() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=report")
			.withBean(TomcatConnectorCustomizer.class,
					() -> (connector) -> ((AbstractProtocol<?>) connector.getProtocolHandler())
						.setKeepAliveTimeout(7_000))
			.run((context) -> assertThat(connectors(context)).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 7_000, 60_000)));
	}

	@Test
	void failModeStopsStartupWhenInverted() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.mode=fail")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(KeepAliveTimeoutsInvertedException.class)
				.hasMessageContaining("server.tomcat.keep-alive-timeout"));
	}

	@Test
	void failModeStartsWhenTimeoutsOutlastLoadBalancer() {
		this.contextRunner
			.withPropertyValues("lb.idle-timeout=60", "lb.mode=fail", "server.tomcat.keep-alive-timeout=65s",
					"server.tomcat.connection-timeout=70s")
			.run((context) -> assertThat(context.getBean(KeepAliveEndpoint.class).keepAlive().status())
				.isEqualTo("OK"));
	}

	@Test
	void withoutLoadBalancerNothingChanges(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			KeepAliveDescriptor descriptor = context.getBean(KeepAliveEndpoint.class).keepAlive();
			assertThat(descriptor.status()).isEqualTo("UNCONFIGURED");
			assertThat(descriptor.lbIdleTimeoutMillis()).isNull();
			assertThat(descriptor.connectors()).singleElement()
				.satisfies((connector) -> assertTimeouts(connector, 60_000, 60_000));
			assertThat(descriptor.warnings()).isEmpty();
		});
		assertThat(output).contains("No load balancer idle timeout declared", "Set lb.idle-timeout");
	}

	private static List<ConnectorDescriptor> connectors(ApplicationContext context) {
		return context.getBean(KeepAliveEndpoint.class).keepAlive().connectors();
	}

	private static void assertTimeouts(ConnectorDescriptor connector, long keepAlive, long header) {
		assertThat(connector.keepAliveTimeoutMillis()).as("keep-alive timeout").isEqualTo(keepAlive);
		assertThat(connector.headerTimeoutMillis()).as("header timeout").isEqualTo(header);
	}

	@Configuration(proxyBeanMethods = false)
	static class AdditionalConnectorConfiguration {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> additionalConnector() {
			return (factory) -> {
				Connector connector = new Connector();
				connector.setPort(0);
				factory.addAdditionalConnectors(connector);
			};
		}

	}

}
