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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.ConnectorTimeoutsReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerConfig;

import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.core.log.LogMessage;

/**
 * {@link ConnectorTimeoutsReader} for Reactor Netty. A running {@link NettyWebServer}
 * does not expose its configuration, so {@link #record(HttpServer)} makes every server it
 * is given report the configuration it binds with, which is final, by the port it binds
 * to.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class NettyConnectorTimeoutsReader implements ConnectorTimeoutsReader {

	static final String IDLE_TIMEOUT_PROPERTY = "server.netty.idle-timeout";

	private static final long BOUND_WAIT_MILLIS = 5_000;

	private static final Log logger = LogFactory.getLog(NettyConnectorTimeoutsReader.class);

	private final Map<Integer, CompletableFuture<List<ConnectorTimeouts>>> boundServers = new ConcurrentHashMap<>();

	/**
	 * Make the given server record its configuration when it binds.
	 * @param httpServer the server
	 * @return the server that records its configuration
	 */
	public HttpServer record(HttpServer httpServer) {
		AtomicReference<HttpServerConfig> bindConfig = new AtomicReference<>();
		return httpServer.doOnBind((config) -> bindConfig.set((HttpServerConfig) config))
			.doOnBound((bound) -> bound(bound.port(), bindConfig.get()));
	}

	private void bound(int port, HttpServerConfig config) {
		long idleTimeout = idleTimeoutMillis(config);
		List<ConnectorTimeouts> timeouts = List.of(config.protocols())
			.stream()
			.map((protocol) -> new ConnectorTimeouts("netty", port, protocolName(protocol), idleTimeout, idleTimeout,
					IDLE_TIMEOUT_PROPERTY, null))
			.toList();
		this.boundServers.computeIfAbsent(port, (key) -> new CompletableFuture<>()).complete(timeouts);
	}

	@Override
	public List<ConnectorTimeouts> read(WebServer webServer) {
		if (!(webServer instanceof NettyWebServer)) {
			return List.of();
		}
		int port = webServer.getPort();
		CompletableFuture<List<ConnectorTimeouts>> timeouts = this.boundServers.computeIfAbsent(port,
				(key) -> new CompletableFuture<>());
		try {
			// Netty reports a bound server on its event loop, which can trail the end of
			// the server's start by a moment.
			return timeouts.get(BOUND_WAIT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn(LogMessage.format("No configuration recorded for the Netty server on port %d", port));
			timeouts.complete(List.of());
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
		catch (ExecutionException ex) {
			return List.of();
		}
	}

	static long idleTimeoutMillis(HttpServerConfig config) {
		Duration idleTimeout = config.idleTimeout();
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
