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
import java.util.Map;

import dev.keepalive.autoconfigure.client.KeepAliveClientProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link KeepAliveTimeoutsInvertedFailureAnalyzer} and
 * {@link LoadBalancerPropertiesBindFailureAnalyzer}.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveFailureAnalyzerTests {

	@Test
	void invertedTimeoutsNameValuesAndProperties() {
		KeepAlivePolicy policy = KeepAlivePolicy.of(properties("lb.idle-timeout", "60", "lb.mode", "fail"));
		FailureAnalysis analysis = analyzeInverted(policy);
		assertThat(analysis.getDescription()).contains("60000ms (lb.idle-timeout) and lb.mode=fail",
				"    - tomcat connector on port 8080 (HTTP/1.1) closes idle connections after 60000ms",
				"set server.tomcat.keep-alive-timeout to at least 65000ms",
				"set server.tomcat.connection-timeout to at least 70000ms");
		assertThat(analysis.getAction()).contains("lb.mode=adjust");
	}

	@Test
	void invertedTimeoutsNameTheProviderTheIdleTimeoutCameFrom() {
		KeepAlivePolicy policy = KeepAlivePolicy.of(properties("lb.provider", "oci", "lb.mode", "fail"));
		FailureAnalysis analysis = analyzeInverted(policy);
		assertThat(analysis.getDescription()).contains("300000ms (lb.provider=oci) and lb.mode=fail",
				"below the 310000ms that oci asks of backends");
	}

	private static FailureAnalysis analyzeInverted(KeepAlivePolicy policy) {
		ConnectorTimeouts connector = new ConnectorTimeouts("tomcat", 8080, "HTTP/1.1", 60_000, 60_000,
				"server.tomcat.keep-alive-timeout", "server.tomcat.connection-timeout");
		KeepAliveAssessment assessment = KeepAliveAssessment.of(policy, List.of(connector));
		FailureAnalysis analysis = new KeepAliveTimeoutsInvertedFailureAnalyzer()
			.analyze(new KeepAliveTimeoutsInvertedException(policy.getIdleTimeoutMillis(),
					policy.describeIdleTimeoutSource(), assessment.warnings()));
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private static LoadBalancerProperties properties(String... keysAndValues) {
		Map<String, String> map = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("lb",
				Bindable.of(LoadBalancerProperties.class));
	}

	@Test
	void unparsableDurationNamesAcceptedForm() {
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer()
			.analyze(bindFailure(Map.of("lb.idle-timeout", "sixty")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("lb.idle-timeout", "\"sixty\"", "not a valid duration");
		assertThat(analysis.getAction())
			.isEqualTo("Set lb.idle-timeout to a positive duration such as 60 (seconds), 60s, 1m or 500ms.");
	}

	@Test
	void unknownModeListsModes() {
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer()
			.analyze(bindFailure(Map.of("lb.mode", "sometimes")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction()).isEqualTo("Set lb.mode to one of adjust, report, fail.");
	}

	@Test
	void unknownProviderListsProviders() {
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer()
			.analyze(bindFailure(Map.of("lb.provider", "aws-elb")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("lb.provider", "\"aws-elb\"");
		assertThat(analysis.getAction()).startsWith("Set lb.provider to one of aws-alb, aws-clb, aws-nlb,")
			.contains("oci, oci-nlb, or leave it unset and set lb.idle-timeout");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			keepalive.client.max-idle   | four  | a positive duration such as 4 (seconds), 4s or 800ms
			keepalive.client.hint-margin| 1 s   | a positive duration such as 4 (seconds), 4s or 800ms
			keepalive.client.enabled    | maybe | true or false
			keepalive.client.retry      | twice | true or false
			""")
	void unparsableClientValueNamesPropertyAndAcceptedForm(String name, String value, String form) {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(name, value)));
		BindException exception = catchThrowableOfType(BindException.class,
				() -> binder.bind("keepalive.client", Bindable.of(KeepAliveClientProperties.class)));
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer().analyze(exception);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Failed to bind " + name, "\"" + value + "\"");
		assertThat(analysis.getAction()).isEqualTo("Set " + name + " to " + form + ".");
	}

	@Test
	void unparsableDrainSwitchNamesAcceptedForm() {
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer()
			.analyze(bindFailure(Map.of("lb.drain.enabled", "maybe")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("lb.drain.enabled", "\"maybe\"");
		assertThat(analysis.getAction()).isEqualTo("Set lb.drain.enabled to true or false, or leave it unset to drain "
				+ "only where a load balancer is declared and Spring Boot detects Kubernetes, AWS ECS or Heroku.");
	}

	@Test
	void unparsableKeepAliveHintSwitchNamesAcceptedForm() {
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer()
			.analyze(bindFailure(Map.of("lb.keep-alive-hint", "sometimes")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("lb.keep-alive-hint", "\"sometimes\"");
		assertThat(analysis.getAction()).isEqualTo("Set lb.keep-alive-hint to true or false.");
	}

	@Test
	void unparsableDrainTimeoutNamesAcceptedForm() {
		FailureAnalysis analysis = new LoadBalancerPropertiesBindFailureAnalyzer()
			.analyze(bindFailure(Map.of("lb.drain.timeout", "soon")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction())
			.isEqualTo("Set lb.drain.timeout to a positive duration such as 60 (seconds), 60s, 1m or 500ms.");
	}

	@Test
	void otherPropertiesAreLeftToSpringBoot() {
		BindException exception = catchThrowableOfType(BindException.class,
				() -> new Binder(new MapConfigurationPropertySource(Map.of("other.port", "x"))).bind("other.port",
						Integer.class));
		assertThat(new LoadBalancerPropertiesBindFailureAnalyzer().analyze(exception)).isNull();
	}

	@Test
	void otherLibrariesLbPropertiesAreLeftToSpringBoot() {
		BindException exception = catchThrowableOfType(BindException.class,
				() -> new Binder(new MapConfigurationPropertySource(Map.of("lb.pool.size", "x"))).bind("lb.pool.size",
						Integer.class));
		assertThat(new LoadBalancerPropertiesBindFailureAnalyzer().analyze(exception)).isNull();
	}

	private static BindException bindFailure(Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		return catchThrowableOfType(BindException.class,
				() -> binder.bind("lb", Bindable.of(LoadBalancerProperties.class)));
	}

}
