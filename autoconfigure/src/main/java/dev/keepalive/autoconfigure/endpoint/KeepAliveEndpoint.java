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

package dev.keepalive.autoconfigure.endpoint;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveAssessment;
import dev.keepalive.autoconfigure.KeepAliveInspector;
import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.LoadBalancerProvider;
import dev.keepalive.autoconfigure.client.KeepAliveClients;
import dev.keepalive.autoconfigure.client.KeepAliveClients.ClientsDescriptor;
import dev.keepalive.autoconfigure.drain.ConnectionDrain;
import dev.keepalive.autoconfigure.drain.DrainPolicy;
import dev.keepalive.autoconfigure.drain.ServerDrain;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@link Endpoint @Endpoint} that reports the keep-alive and header timeouts read from
 * the running web server's connectors, and whether they outlast the load balancer.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@Endpoint(id = "keepalive")
public class KeepAliveEndpoint {

	private final KeepAliveInspector inspector;

	private final @Nullable ConnectionDrain drain;

	private final @Nullable KeepAliveClients clients;

	public KeepAliveEndpoint(KeepAliveInspector inspector, @Nullable ConnectionDrain drain,
			@Nullable KeepAliveClients clients) {
		this.inspector = inspector;
		this.drain = drain;
		this.clients = clients;
	}

	@ReadOperation
	public KeepAliveDescriptor keepAlive() {
		KeepAlivePolicy policy = this.inspector.getPolicy();
		List<ConnectorTimeouts> connectors = this.inspector.getConnectors();
		KeepAliveAssessment assessment = KeepAliveAssessment.of(policy, connectors);
		Long idleTimeout = policy.getIdleTimeoutMillis();
		LoadBalancerProvider provider = policy.getProvider();
		return new KeepAliveDescriptor(assessment.status().name(), policy.getMode().name().toLowerCase(),
				(provider != null) ? provider.getId() : null, idleTimeout, policy.getIdleTimeoutSource(),
				(idleTimeout != null) ? policy.getRequiredKeepAliveMillis() : null, policy.isKeepAliveHint(),
				connectors.stream().map(ConnectorDescriptor::new).toList(), assessment.warnings(),
				(provider != null) ? provider.getNote() : null,
				(this.drain != null) ? new DrainDescriptor(this.drain) : null,
				(this.clients != null) ? this.clients.describe() : null);
	}

	/**
	 * Description of the keep-alive timeouts.
	 *
	 * @param status {@code OK}, {@code INVERTED}, {@code UNCONFIGURED} or {@code UNKNOWN}
	 * @param mode the starter's mode: {@code adjust}, {@code report} or {@code fail}
	 * @param provider the declared {@code lb.provider}, or {@code null}
	 * @param lbIdleTimeoutMillis the load balancer idle timeout, or {@code null}
	 * @param lbIdleTimeoutSource {@code lb.idle-timeout} or {@code lb.provider}, or
	 * {@code null}
	 * @param targetKeepAliveTimeoutMillis the keep-alive timeout that {@code adjust} mode
	 * raises a lower one to: the idle timeout plus the margin, or a provider's stated
	 * minimum; {@code null} without an idle timeout
	 * @param keepAliveHint whether HTTP/1.1 responses that keep the connection open carry
	 * {@code Keep-Alive: timeout=N} with the connector's keep-alive timeout in whole
	 * seconds ({@code lb.keep-alive-hint}); a connector that never times out sends none
	 * @param connectors the connectors of the running servers
	 * @param warnings one message per timeout that does not outlast what it must
	 * @param providerNote why the provider implies no idle timeout, or {@code null}
	 * @param drain the connection drain at shutdown, or {@code null} if it is not
	 * available
	 * @param clients what the starter does to the outbound HTTP clients, or {@code null}
	 * when {@code keepalive.client.enabled=false}
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record KeepAliveDescriptor(String status, String mode, @Nullable String provider,
			@Nullable Long lbIdleTimeoutMillis, @Nullable String lbIdleTimeoutSource,
			@Nullable Long targetKeepAliveTimeoutMillis, boolean keepAliveHint, List<ConnectorDescriptor> connectors,
			List<String> warnings, @Nullable String providerNote, @Nullable DrainDescriptor drain,
			@Nullable ClientsDescriptor clients) implements OperationResponseBody {

	}

	/**
	 * Description of the connection drain at shutdown.
	 *
	 * @param enabled whether the drain runs when the application shuts down
	 * @param enabledReason why it is on or off
	 * @param timeoutMillis the longest time it waits before graceful shutdown
	 * @param timeoutSource {@code lb.drain.timeout} or {@code default}
	 * @param state {@code READY}, {@code DRAINING} or {@code DRAINED}
	 * @param openConnections the connections the application's web servers hold open, or
	 * {@code null} if a server cannot count them
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record DrainDescriptor(boolean enabled, String enabledReason, long timeoutMillis, String timeoutSource,
			String state, @Nullable Long openConnections) {

		DrainDescriptor(ConnectionDrain drain) {
			this(drain.getPolicy(), drain.getState(), drain.getOpenConnections());
		}

		private DrainDescriptor(DrainPolicy policy, ConnectionDrain.State state, long openConnections) {
			this(policy.isEnabled(), policy.getEnabledReason(), policy.getTimeoutMillis(), policy.getTimeoutSource(),
					state.name(), (openConnections != ServerDrain.UNKNOWN) ? openConnections : null);
		}

	}

	/**
	 * Description of one connector's timeouts; {@code -1} means the server never times
	 * the connection out.
	 *
	 * @param webServer {@code application}, or {@code management} for a separate
	 * management server
	 * @param server the server, such as {@code tomcat} or {@code jetty}
	 * @param port the local port
	 * @param protocol the protocol, such as {@code HTTP/1.1}
	 * @param keepAliveTimeoutMillis how long an idle connection is kept between requests
	 * @param headerTimeoutMillis how long the server waits for a request's first line and
	 * headers
	 */
	public record ConnectorDescriptor(String webServer, String server, int port, String protocol,
			long keepAliveTimeoutMillis, long headerTimeoutMillis) {

		ConnectorDescriptor(ConnectorTimeouts connector) {
			this(connector.webServer(), connector.server(), connector.port(), connector.protocol(),
					connector.keepAliveTimeoutMillis(), connector.headerTimeoutMillis());
		}

	}

}
