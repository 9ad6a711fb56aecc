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

package dev.keepalive.autoconfigure.netty;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.ConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.KeepAliveMode;
import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.RaisedTimeoutWarnings;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Raises Reactor Netty's idle timeout above the load balancer's idle timeout, in
 * {@link KeepAliveMode#ADJUST adjust} mode, and reads it back for a running server. Netty
 * has no idle timeout unless {@code server.netty.idle-timeout} is set, and then never
 * closes an idle connection first.
 * <p>
 * A running {@link NettyWebServer} does not expose its configuration, so the final
 * configuration of every server this customizer prepared is recorded by the port it binds
 * to, when Netty reports it bound.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class NettyKeepAliveWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, ConnectorTimeoutsReader, Ordered {

	/**
	 * Order of this customizer: after Spring Boot's own (order 0), so that the
	 * {@code server.netty.*} properties are applied first and seen here.
	 */
	public static final int ORDER = 1;

	static final String IDLE_TIMEOUT_PROPERTY = "server.netty.idle-timeout";

	private final KeepAlivePolicy policy;

	private final RaisedTimeoutWarnings warnings;

	private static final long BOUND_WAIT_MILLIS = 5_000;

	private final Map<Integer, List<ConnectorTimeouts>> boundServers = new HashMap<>();

	private final Set<Integer> waitedFor = new HashSet<>();

	public NettyKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy, RaisedTimeoutWarnings warnings) {
		this.policy = policy;
		this.warnings = warnings;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(this::customize);
	}

	private HttpServer customize(HttpServer httpServer) {
		HttpServer server = httpServer;
		long idleTimeout = idleTimeoutMillis(server);
		if (this.policy.isConfigured() && this.policy.getMode() == KeepAliveMode.ADJUST
				&& idleTimeout != ConnectorTimeouts.NEVER && idleTimeout < this.policy.getRequiredKeepAliveMillis()) {
			this.warnings.raising(IDLE_TIMEOUT_PROPERTY, idleTimeout, this.policy.getRequiredKeepAliveMillis());
			server = server.idleTimeout(Duration.ofMillis(this.policy.getRequiredKeepAliveMillis()));
		}
		long finalIdleTimeout = idleTimeoutMillis(server);
		HttpProtocol[] protocols = server.configuration().protocols();
		return server.doOnBound((bound) -> this.boundServers.put(bound.port(),
				List.of(protocols)
					.stream()
					.map((protocol) -> new ConnectorTimeouts("netty", bound.port(), protocolName(protocol),
							finalIdleTimeout, finalIdleTimeout, IDLE_TIMEOUT_PROPERTY, null))
					.toList()));
	}

	@Override
	public List<ConnectorTimeouts> read(WebServer webServer) {
		if (!(webServer instanceof NettyWebServer)) {
			return List.of();
		}
		int port = webServer.getPort();
		synchronized (this.boundServers) {
			// Netty reports the bound server on its event loop, which can trail the end
			// of the server's start by a moment: wait for it once per port.
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_WAIT_MILLIS);
			while (!this.boundServers.containsKey(port) && !this.waitedFor.contains(port)
					&& System.nanoTime() < deadline) {
				try {
					this.boundServers.wait(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			this.waitedFor.add(port);
			return this.boundServers.getOrDefault(port, List.of());
		}
	}

	private static long idleTimeoutMillis(HttpServer server) {
		Duration idleTimeout = server.configuration().idleTimeout();
		return (idleTimeout != null) ? ConnectorTimeouts.timeout(idleTimeout.toMillis()) : ConnectorTimeouts.NEVER;
	}

	private static String protocolName(HttpProtocol protocol) {
		return switch (protocol) {
			case HTTP11 -> "HTTP/1.1";
			case H2 -> "h2";
			case H2C -> "h2c";
			default -> protocol.name();
		};
	}

}
