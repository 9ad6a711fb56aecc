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

import java.util.Map;

import dev.keepalive.autoconfigure.LoadBalancerProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DrainPolicy}: when the drain is on by default, its timeout, and the
 * startup errors for values that cannot work.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class DrainPolicyTests {

	@Test
	void offWithoutLoadBalancerEvenOnCloudPlatform() {
		DrainPolicy policy = policy("spring.main.cloud-platform", "kubernetes");
		assertThat(policy.isEnabled()).isFalse();
		assertThat(policy.getEnabledReason())
			.isEqualTo("no load balancer is declared (lb.idle-timeout or lb.provider)");
	}

	@Test
	void offWithLoadBalancerButNoCloudPlatform() {
		DrainPolicy policy = policy("lb.idle-timeout", "60", "spring.main.cloud-platform", "none");
		assertThat(policy.isEnabled()).isFalse();
		assertThat(policy.getEnabledReason()).startsWith("no cloud platform detected")
			.endsWith("set lb.drain.enabled=true to drain here too");
	}

	@Test
	void onWithIdleTimeoutOnKubernetes() {
		DrainPolicy policy = policy("lb.idle-timeout", "60", "spring.main.cloud-platform", "kubernetes");
		assertThat(policy.isEnabled()).isTrue();
		assertThat(policy.getEnabledReason())
			.isEqualTo("a load balancer is declared (lb.idle-timeout) and the KUBERNETES cloud platform is active");
	}

	@Test
	void onWithProviderOnKubernetes() {
		DrainPolicy policy = policy("lb.provider", "aws-nlb", "spring.main.cloud-platform", "kubernetes");
		assertThat(policy.isEnabled()).isTrue();
		assertThat(policy.getEnabledReason()).contains("(lb.provider)");
	}

	@Test
	void onWhereKubernetesIsDetectedFromTheEnvironment() {
		MockEnvironment environment = new MockEnvironment().withProperty("lb.idle-timeout", "60");
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443")));
		DrainPolicy policy = policy(environment);
		assertThat(policy.isEnabled()).isTrue();
		assertThat(policy.getEnabledReason()).contains("KUBERNETES");
	}

	@Test
	void onWhereAwsEcsIsDetectedFromTheEnvironment() {
		DrainPolicy policy = policy("lb.provider", "aws-alb", "AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
		assertThat(policy.isEnabled()).isTrue();
		assertThat(policy.getEnabledReason()).contains("AWS_ECS");
	}

	@Test
	void offOnPlatformsThatStopApplicationsSoonerByDefault() {
		for (String platform : new String[] { "cloud_foundry", "sap", "nomad", "azure_app_service" }) {
			DrainPolicy policy = policy("lb.idle-timeout", "60", "spring.main.cloud-platform", platform);
			assertThat(policy.isEnabled()).as(platform).isFalse();
			assertThat(policy.getEnabledReason())
				.startsWith("the " + platform.toUpperCase() + " cloud platform may stop")
				.endsWith("set lb.drain.enabled=true and an lb.drain.timeout that fits its grace period");
		}
	}

	@Test
	void onWithHerokuDefaults() {
		assertThat(policy("lb.idle-timeout", "60", "spring.main.cloud-platform", "heroku").isEnabled()).isTrue();
	}

	@Test
	void explicitSettingWinsBothWays() {
		assertThat(policy("lb.drain.enabled", "true").isEnabled()).isTrue();
		DrainPolicy off = policy("lb.drain.enabled", "false", "lb.idle-timeout", "60", "spring.main.cloud-platform",
				"kubernetes");
		assertThat(off.isEnabled()).isFalse();
		assertThat(off.getEnabledReason()).isEqualTo("lb.drain.enabled=false");
	}

	@Test
	void defaultTimeoutIsFifteenSeconds() {
		DrainPolicy policy = policy();
		assertThat(policy.getTimeoutMillis()).isEqualTo(15_000);
		assertThat(policy.getTimeoutSource()).isEqualTo("default");
		assertThat(policy("spring.lifecycle.timeout-per-shutdown-phase", "60s").getTimeoutMillis()).isEqualTo(15_000);
	}

	@Test
	void defaultTimeoutIsHalfOfAShorterShutdownPhase() {
		assertThat(policy("spring.lifecycle.timeout-per-shutdown-phase", "20s").getTimeoutMillis()).isEqualTo(10_000);
	}

	@Test
	void timeoutWithoutUnitIsInSeconds() {
		DrainPolicy policy = policy("lb.drain.timeout", "5");
		assertThat(policy.getTimeoutMillis()).isEqualTo(5_000);
		assertThat(policy.getTimeoutSource()).isEqualTo("lb.drain.timeout");
	}

	@Test
	void timeoutASecondShorterThanTheShutdownPhaseFits() {
		assertThat(policy("lb.drain.timeout", "29s").getTimeoutMillis()).isEqualTo(29_000);
	}

	@Test
	void timeoutAsLongAsTheShutdownPhaseFailsNamingBothProperties() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> policy("lb.drain.timeout", "10s", "spring.lifecycle.timeout-per-shutdown-phase", "10s"))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("lb.drain.timeout"))
			.withMessageContaining(
					"must be at least 1000ms shorter than spring.lifecycle.timeout-per-shutdown-phase (10000ms)")
			.withMessageContaining("Lower lb.drain.timeout or raise spring.lifecycle.timeout-per-shutdown-phase");
	}

	@Test
	void zeroTimeoutFails() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> policy("lb.drain.timeout", "0"))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("lb.drain.timeout"))
			.withMessageContaining("a positive duration such as 60 (seconds)");
	}

	@Test
	void immediateShutdownWithDrainIsWarnedAbout() {
		assertThat(policy("lb.drain.enabled", "true", "server.shutdown", "immediate").getShutdownWarning())
			.startsWith("server.shutdown=immediate with lb.drain.enabled: requests still in flight when the drain "
					+ "ends are cut off");
		assertThat(policy("lb.drain.enabled", "false", "server.shutdown", "immediate").getShutdownWarning()).isNull();
		assertThat(policy("lb.drain.enabled", "true").getShutdownWarning()).isNull();
	}

	@Test
	void describesWhatItDoes() {
		assertThat(policy("lb.drain.enabled", "true").describe()).isEqualTo("Connection drain at shutdown is on "
				+ "(lb.drain.enabled=true): before graceful shutdown, the servers keep serving for at most 15000ms "
				+ "(default) while readiness refuses traffic, and every response closes its connection; then "
				+ "graceful shutdown for at most 30000ms (spring.lifecycle.timeout-per-shutdown-phase)");
		assertThat(policy().describe()).isEqualTo(
				"Connection drain at shutdown is off: no load balancer is declared (lb.idle-timeout or lb.provider)");
	}

	private static DrainPolicy policy(String... keysAndValues) {
		MockEnvironment environment = new MockEnvironment();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			environment.setProperty(keysAndValues[i], keysAndValues[i + 1]);
		}
		return policy(environment);
	}

	private static DrainPolicy policy(MockEnvironment environment) {
		LoadBalancerProperties properties = Binder.get(environment)
			.bindOrCreate("lb", Bindable.of(LoadBalancerProperties.class));
		return DrainPolicy.of(properties, environment);
	}

}
