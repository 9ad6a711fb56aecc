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

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a server's connectors outlast the load balancer, with a warning for each
 * timeout that does not.
 *
 * @param status the overall status
 * @param warnings one message per timeout that does not exceed the value it must exceed
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public record KeepAliveAssessment(Status status, List<String> warnings) {

	/**
	 * Assess the given connectors against the policy.
	 * @param policy the policy
	 * @param connectors the connectors of the running servers
	 * @return the assessment
	 */
	public static KeepAliveAssessment of(KeepAlivePolicy policy, List<ConnectorTimeouts> connectors) {
		Long idleTimeout = policy.getIdleTimeoutMillis();
		if (idleTimeout == null) {
			return new KeepAliveAssessment(Status.UNCONFIGURED, List.of());
		}
		if (connectors.isEmpty()) {
			return new KeepAliveAssessment(Status.UNKNOWN, List.of("No connector of an embedded Tomcat, Jetty or "
					+ "Reactor Netty server found: the server has not started, or it is not one the starter knows"));
		}
		String remedy = (policy.getMode() != KeepAliveMode.ADJUST) ? ", or set lb.mode=adjust" : "";
		List<String> warnings = new ArrayList<>();
		long acceptableKeepAlive = policy.getAcceptableKeepAliveMillis();
		String limit = (acceptableKeepAlive > idleTimeout + 1)
				? String.format("below the %dms that %s asks of backends", acceptableKeepAlive, policy.getProvider())
				: String.format("not later than the load balancer's idle timeout of %dms (%s)", idleTimeout,
						policy.describeIdleTimeoutSource());
		for (ConnectorTimeouts connector : connectors) {
			long keepAlive = connector.keepAliveTimeoutMillis();
			if (keepAlive != ConnectorTimeouts.NEVER && keepAlive < acceptableKeepAlive) {
				warnings.add(String.format("%s closes idle connections after %dms, %s: set %s to at least %dms%s",
						connector.describe(), keepAlive, limit, connector.keepAliveProperty(),
						policy.getRequiredKeepAliveMillis(), remedy));
			}
			long header = connector.headerTimeoutMillis();
			long headerFloor = (keepAlive != ConnectorTimeouts.NEVER) ? keepAlive : idleTimeout;
			if (connector.hasSeparateHeaderTimeout() && header != ConnectorTimeouts.NEVER && header <= headerFloor) {
				warnings.add(String.format(
						"%s waits %dms for a request's first line and headers, not longer than %s of %dms: "
								+ "set %s to at least %dms%s",
						connector.describe(), header,
						(keepAlive != ConnectorTimeouts.NEVER) ? "its keep-alive timeout"
								: "the load balancer's idle timeout",
						headerFloor, connector.headerTimeoutProperty(),
						policy.getRequiredHeaderTimeoutMillis(keepAlive), remedy));
			}
		}
		return new KeepAliveAssessment(warnings.isEmpty() ? Status.OK : Status.INVERTED, List.copyOf(warnings));
	}

	/**
	 * The overall status of an assessment.
	 */
	public enum Status {

		/**
		 * Every connector outlasts the load balancer.
		 */
		OK,

		/**
		 * At least one connector can close an idle connection before the load balancer
		 * does.
		 */
		INVERTED,

		/**
		 * No load balancer idle timeout was declared.
		 */
		UNCONFIGURED,

		/**
		 * An idle timeout was declared, but no server connector could be read.
		 */
		UNKNOWN

	}

}
