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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeepAliveDrainAutoConfiguration}: which beans each kind of application
 * gets, the startup log, and the startup errors.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class KeepAliveDrainAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations
		.of(KeepAliveAutoConfiguration.class, KeepAliveDrainAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS);

	@Test
	void servletApplicationGetsDrainForTomcatAndJetty() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ConnectionDrain.class)
			.hasSingleBean(DrainPolicy.class)
			.hasBean("tomcatServerDrainFactory")
			.hasBean("jettyServerDrainFactory")
			.doesNotHaveBean(NettyServerDrain.Servers.class));
	}

	@Test
	void reactiveApplicationGetsDrainForNetty() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.run((context) -> assertThat(context).hasSingleBean(ConnectionDrain.class)
				.hasSingleBean(NettyServerDrain.Servers.class)
				.hasSingleBean(NettyDrainWebServerFactoryCustomizer.class)
				.hasBean("nettyServerDrainFactory"));
	}

	@Test
	void nonWebApplicationGetsNoDrain() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionDrain.class));
	}

	@Test
	void startupLogSaysWhetherTheDrainIsOn(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "spring.main.cloud-platform=kubernetes")
			.run((context) -> assertThat(output).contains("Connection drain at shutdown is on (a load balancer is "
					+ "declared (lb.idle-timeout) and the KUBERNETES cloud platform is active)"));
	}

	@Test
	void immediateShutdownWithDrainIsWarnedAboutAtStartup(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.drain.enabled=true", "server.shutdown=immediate")
			.run((context) -> assertThat(output).contains("WARN")
				.contains("server.shutdown=immediate with lb.drain.enabled: requests still in flight when the drain "
						+ "ends are cut off"));
	}

	@Test
	void stoppingWithoutClosingDoesNotDrain(CapturedOutput output) {
		this.contextRunner.withPropertyValues("lb.drain.enabled=true").run((context) -> {
			context.getSourceApplicationContext().stop();
			assertThat(context.getBean(ConnectionDrain.class).getState()).isEqualTo(ConnectionDrain.State.READY);
			assertThat(output).doesNotContain("Draining");
		});
	}

	@Test
	void drainTimeoutLongerThanShutdownPhaseFailsStartup() {
		this.contextRunner.withPropertyValues("lb.drain.timeout=45s", "spring.lifecycle.timeout-per-shutdown-phase=30s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property lb.drain.timeout with value 'PT45S' is invalid: must be at least "
							+ "1000ms shorter than spring.lifecycle.timeout-per-shutdown-phase (30000ms)");
			});
	}

}
