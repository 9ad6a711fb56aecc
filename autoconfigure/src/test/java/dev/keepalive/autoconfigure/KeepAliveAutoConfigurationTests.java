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

import java.util.Properties;

import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpointAutoConfiguration;
import dev.keepalive.autoconfigure.jetty.JettyConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.jetty.JettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.metrics.KeepAliveMetrics;
import dev.keepalive.autoconfigure.metrics.KeepAliveMetricsAutoConfiguration;
import dev.keepalive.autoconfigure.netty.NettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.tomcat.TomcatConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.tomcat.TomcatKeepAliveWebServerFactoryCustomizer;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeepAliveAutoConfiguration} and
 * {@link KeepAliveEndpointAutoConfiguration}: conditions, binding and the startup errors
 * for bad input.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class KeepAliveAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KeepAliveAutoConfiguration.class, EndpointAutoConfiguration.class,
				KeepAliveEndpointAutoConfiguration.class));

	@Test
	void servletApplicationGetsCustomizersForBothServers() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(KeepAlivePolicy.class)
			.hasSingleBean(KeepAliveInspector.class)
			.hasSingleBean(TomcatKeepAliveWebServerFactoryCustomizer.class)
			.hasSingleBean(TomcatConnectorTimeoutsReader.class)
			.hasSingleBean(JettyKeepAliveWebServerFactoryCustomizer.class)
			.hasSingleBean(JettyConnectorTimeoutsReader.class));
	}

	@Test
	void reactiveApplicationGetsCustomizers() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KeepAliveAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(TomcatKeepAliveWebServerFactoryCustomizer.class)
				.hasSingleBean(JettyKeepAliveWebServerFactoryCustomizer.class)
				.hasSingleBean(NettyKeepAliveWebServerFactoryCustomizer.class));
	}

	@Test
	void nettyPartBacksOffWithoutReactorNetty() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KeepAliveAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(NettyKeepAliveWebServerFactoryCustomizer.class)
				.hasSingleBean(TomcatKeepAliveWebServerFactoryCustomizer.class));
	}

	@Test
	void backsOffInNonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KeepAliveAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KeepAlivePolicy.class));
	}

	@Test
	void tomcatPartBacksOffWithoutTomcat() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Tomcat.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TomcatKeepAliveWebServerFactoryCustomizer.class)
				.hasSingleBean(JettyKeepAliveWebServerFactoryCustomizer.class));
	}

	@Test
	void jettyPartBacksOffWithoutJetty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Server.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JettyKeepAliveWebServerFactoryCustomizer.class)
				.hasSingleBean(TomcatKeepAliveWebServerFactoryCustomizer.class));
	}

	@Test
	void worksWithoutActuatorAndMicrometer() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(KeepAliveAutoConfiguration.class, KeepAliveMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer"))
			.withPropertyValues("lb.idle-timeout=60")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(KeepAliveInspector.class)
				.hasSingleBean(TomcatKeepAliveWebServerFactoryCustomizer.class)
				.doesNotHaveBean(KeepAliveMetrics.class));
	}

	@Test
	void endpointAutoConfigurationIsFilteredOutWithoutActuator() throws Exception {
		// Its class-level conditions reference actuator types, so it must be filtered out
		// by the auto-configuration metadata before its annotations are read.
		Properties metadata = PropertiesLoaderUtils
			.loadProperties(new ClassPathResource("META-INF/spring-autoconfigure-metadata.properties"));
		assertThat(metadata.getProperty(KeepAliveEndpointAutoConfiguration.class.getName() + ".ConditionalOnClass"))
			.isEqualTo(ConditionalOnAvailableEndpoint.class.getName());
	}

	@Test
	void servletApplicationGetsNoNettyCustomizer() {
		this.contextRunner
			.run((context) -> assertThat(context).doesNotHaveBean(NettyKeepAliveWebServerFactoryCustomizer.class));
	}

	@Test
	void userPolicyReplacesTheDefaultOne() {
		KeepAlivePolicy policy = KeepAlivePolicy.of(new LoadBalancerProperties());
		this.contextRunner.withBean(KeepAlivePolicy.class, () -> policy)
			.run((context) -> assertThat(context.getBean(KeepAlivePolicy.class)).isSameAs(policy));
	}

	@Test
	void bindsLoadBalancerProperties() {
		this.contextRunner
			.withPropertyValues("lb.idle-timeout=60", "lb.keep-alive-margin=10", "lb.header-timeout-margin=20s",
					"lb.mode=report")
			.run((context) -> {
				KeepAlivePolicy policy = context.getBean(KeepAlivePolicy.class);
				assertThat(policy.getIdleTimeoutMillis()).isEqualTo(60_000);
				assertThat(policy.getRequiredKeepAliveMillis()).isEqualTo(70_000);
				assertThat(policy.getRequiredHeaderTimeoutMillis(70_000)).isEqualTo(90_000);
				assertThat(policy.getMode()).isEqualTo(KeepAliveMode.REPORT);
			});
	}

	@Test
	void marginBelowOneSecondIsWarnedAbout(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "lb.keep-alive-margin=1ms")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("lb.keep-alive-margin=1ms is below 1000ms")
			.doesNotContain("lb.header-timeout-margin=");
	}

	@Test
	void endpointIsAvailableWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=keepalive")
			.run((context) -> assertThat(context).hasSingleBean(KeepAliveEndpoint.class));
	}

	@Test
	void endpointIsNotAvailableWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(KeepAliveEndpoint.class));
	}

	@Test
	void endpointIsNotAvailableWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=keepalive",
					"management.endpoint.keepalive.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(KeepAliveEndpoint.class));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					lb.idle-timeout=0          | lb.idle-timeout         | a positive duration such as 60 (seconds), 60s, 1m or 500ms
					lb.idle-timeout=-60s       | lb.idle-timeout         | a positive duration
					lb.idle-timeout=100us      | lb.idle-timeout         | at least 1ms
					lb.idle-timeout=30d        | lb.idle-timeout         | at most 2147483647ms
					lb.idle-timeout=2147480s  | lb.idle-timeout         | lb.idle-timeout + lb.keep-alive-margin + lb.header-timeout-margin must not exceed 2147483647ms
					lb.keep-alive-margin=-5s   | lb.keep-alive-margin    | a positive duration
					lb.keep-alive-margin=0     | lb.keep-alive-margin    | a positive duration
					lb.header-timeout-margin=-1| lb.header-timeout-margin| a positive duration
					""")
	void invalidValueFailsStartupNamingPropertyAndAcceptedForm(String property, String name, String reason) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + name + " with value")
				.hasMessageContaining(reason);
		});
	}

	@ParameterizedTest
	@CsvSource({ "lb.idle-timeout=sixty", "lb.keep-alive-margin=5 s", "lb.mode=sometimes", "lb.provider=aws-elb" })
	void unparsableValueFailsStartup(String property) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).getFailure().hasRootCauseInstanceOf(IllegalArgumentException.class);
			BindException bindException = findCause(context.getStartupFailure(), BindException.class);
			assertThat(bindException).isNotNull();
			assertThat(bindException.getProperty()).isNotNull();
			assertThat(bindException.getProperty().getName()).hasToString(property.substring(0, property.indexOf('=')));
		});
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		Throwable candidate = failure;
		while (candidate != null && !type.isInstance(candidate)) {
			candidate = candidate.getCause();
		}
		return type.cast(candidate);
	}

}
