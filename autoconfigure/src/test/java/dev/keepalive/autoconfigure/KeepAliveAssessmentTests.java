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

import dev.keepalive.autoconfigure.KeepAliveAssessment.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeepAliveAssessment}.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveAssessmentTests {

	private final KeepAlivePolicy policy = policy(KeepAliveMode.REPORT);

	@Test
	void withoutIdleTimeoutIsUnconfigured() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(KeepAlivePolicy.of(new LoadBalancerProperties()),
				List.of(tomcat(1_000, 1_000)));
		assertThat(assessment.status()).isEqualTo(Status.UNCONFIGURED);
		assertThat(assessment.warnings()).isEmpty();
	}

	@Test
	void withoutConnectorsIsUnknown() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy, List.of());
		assertThat(assessment.status()).isEqualTo(Status.UNKNOWN);
		assertThat(assessment.warnings()).singleElement().asString().contains("No connector");
	}

	@Test
	void timeoutsAboveIdleTimeoutAreOk() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy, List.of(tomcat(60_001, 60_002)));
		assertThat(assessment.status()).isEqualTo(Status.OK);
		assertThat(assessment.warnings()).isEmpty();
	}

	@Test
	void keepAliveEqualToIdleTimeoutIsInverted() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy, List.of(tomcat(60_000, 70_000)));
		assertThat(assessment.status()).isEqualTo(Status.INVERTED);
		assertThat(assessment.warnings()).singleElement()
			.asString()
			.contains("tomcat connector on port 8080 (HTTP/1.1)", "60000ms", "server.tomcat.keep-alive-timeout",
					"at least 65000ms", "lb.mode=adjust");
	}

	@Test
	void headerTimeoutNotAboveKeepAliveIsInverted() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy, List.of(tomcat(65_000, 65_000)));
		assertThat(assessment.status()).isEqualTo(Status.INVERTED);
		assertThat(assessment.warnings()).singleElement()
			.asString()
			.contains("waits 65000ms", "keep-alive timeout of 65000ms", "server.tomcat.connection-timeout",
					"at least 70000ms");
	}

	@Test
	void infiniteTimeoutsAreOk() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy,
				List.of(tomcat(ConnectorTimeouts.NEVER, ConnectorTimeouts.NEVER)));
		assertThat(assessment.status()).isEqualTo(Status.OK);
	}

	@Test
	void finiteHeaderTimeoutWithInfiniteKeepAliveIsComparedWithIdleTimeout() {
		assertThat(KeepAliveAssessment.of(this.policy, List.of(tomcat(ConnectorTimeouts.NEVER, 60_001))).status())
			.isEqualTo(Status.OK);
		assertThat(KeepAliveAssessment.of(this.policy, List.of(tomcat(ConnectorTimeouts.NEVER, 60_000))).warnings())
			.singleElement()
			.asString()
			.contains("the load balancer's idle timeout of 60000ms");
	}

	@Test
	void sharedHeaderTimeoutIsNotComparedWithKeepAlive() {
		ConnectorTimeouts jetty = new ConnectorTimeouts("jetty", 8080, "HTTP/1.1", 65_000, 65_000,
				"server.jetty.connection-idle-timeout", null);
		assertThat(KeepAliveAssessment.of(this.policy, List.of(jetty)).status()).isEqualTo(Status.OK);
	}

	@Test
	void everyInvertedConnectorGetsItsOwnWarning() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy,
				List.of(tomcat(30_000, 70_000), tomcat(65_000, 70_000), tomcat(20_000, 10_000)));
		assertThat(assessment.warnings()).hasSize(3);
	}

	@Test
	void adjustModeDoesNotSuggestAdjustMode() {
		KeepAliveAssessment assessment = KeepAliveAssessment.of(policy(KeepAliveMode.ADJUST),
				List.of(tomcat(60_000, 70_000)));
		assertThat(assessment.warnings()).singleElement().asString().doesNotContain("lb.mode");
	}

	private static ConnectorTimeouts tomcat(long keepAlive, long header) {
		return new ConnectorTimeouts("tomcat", 8080, "HTTP/1.1", keepAlive, header, "server.tomcat.keep-alive-timeout",
				"server.tomcat.connection-timeout");
	}

	private static KeepAlivePolicy policy(KeepAliveMode mode) {
		LoadBalancerProperties properties = new LoadBalancerProperties();
		properties.setIdleTimeout(Duration.ofSeconds(60));
		properties.setMode(mode);
		return KeepAlivePolicy.of(properties);
	}

}
