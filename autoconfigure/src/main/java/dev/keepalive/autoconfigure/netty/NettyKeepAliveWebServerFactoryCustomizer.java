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

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveMode;
import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.RaisedTimeoutWarnings;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Raises Reactor Netty's idle timeout above the load balancer's idle timeout, in
 * {@link KeepAliveMode#ADJUST adjust} mode, and in every mode makes the server record its
 * final configuration for the {@link NettyConnectorTimeoutsReader}. Netty has no idle
 * timeout unless {@code server.netty.idle-timeout} is set, and then never closes an idle
 * connection first. With the keep-alive hint on, installs the {@link NettyKeepAliveHint}.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class NettyKeepAliveWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	/**
	 * Order of this customizer: after Spring Boot's own (order 0), so that the
	 * {@code server.netty.*} properties are applied first and seen here.
	 */
	public static final int ORDER = 1;

	private final KeepAlivePolicy policy;

	private final RaisedTimeoutWarnings warnings;

	private final NettyConnectorTimeoutsReader reader;

	public NettyKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy, RaisedTimeoutWarnings warnings,
			NettyConnectorTimeoutsReader reader) {
		this.policy = policy;
		this.warnings = warnings;
		this.reader = reader;
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
		HttpServer customized = httpServer;
		if (this.policy.isAdjusting()) {
			long idleTimeout = NettyConnectorTimeoutsReader.idleTimeoutMillis(httpServer.configuration());
			long required = this.policy.getRequiredKeepAliveMillis();
			if (idleTimeout != ConnectorTimeouts.NEVER && idleTimeout < required) {
				this.warnings.raising(NettyConnectorTimeoutsReader.IDLE_TIMEOUT_PROPERTY, idleTimeout, required);
				customized = customized.idleTimeout(Duration.ofMillis(required));
			}
		}
		if (this.policy.isKeepAliveHint()) {
			customized = NettyKeepAliveHint.install(customized);
		}
		return this.reader.record(customized);
	}

}
