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

package dev.keepalive.autoconfigure.jetty;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.ConnectorTimeoutsReader;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.util.ClassUtils;

/**
 * {@link ConnectorTimeoutsReader} for Jetty: reads the idle timeout of every connector of
 * the server. On Jetty that one timeout governs idle keep-alive connections, a new
 * connection's wait for its first request and header reads alike.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class JettyConnectorTimeoutsReader implements ConnectorTimeoutsReader {

	static final String IDLE_TIMEOUT_PROPERTY = "server.jetty.connection-idle-timeout";

	private static final boolean HTTP2_PRESENT = ClassUtils.isPresent(
			"org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory",
			JettyConnectorTimeoutsReader.class.getClassLoader());

	@Override
	public List<ConnectorTimeouts> read(WebServer webServer) {
		if (!(webServer instanceof JettyWebServer jettyWebServer)) {
			return List.of();
		}
		return Arrays.stream(jettyWebServer.getServer().getConnectors())
			.flatMap((connector) -> read(connector).stream())
			.toList();
	}

	/**
	 * Read the timeouts of a connector: one entry for each HTTP protocol it speaks. An
	 * HTTP/2 connection idles on the connector's idle timeout as well.
	 * @param connector the connector
	 * @return the timeouts
	 */
	private static List<ConnectorTimeouts> read(Connector connector) {
		if (!(connector instanceof AbstractConnector abstractConnector)) {
			return List.of();
		}
		int port = (connector instanceof NetworkConnector networkConnector) ? networkConnector.getLocalPort() : -1;
		long idleTimeout = ConnectorTimeouts.timeout(abstractConnector.getIdleTimeout());
		return connector.getConnectionFactories()
			.stream()
			.map(JettyConnectorTimeoutsReader::protocolName)
			.filter(Objects::nonNull)
			.map((protocol) -> new ConnectorTimeouts("jetty", port, protocol, idleTimeout, idleTimeout,
					IDLE_TIMEOUT_PROPERTY, null))
			.toList();
	}

	private static @Nullable String protocolName(ConnectionFactory factory) {
		if (factory instanceof HttpConnectionFactory) {
			return "HTTP/1.1";
		}
		return HTTP2_PRESENT ? Http2.protocolName(factory) : null;
	}

	/**
	 * Kept apart so that Jetty's optional HTTP/2 classes are only loaded when present.
	 */
	private static final class Http2 {

		private static @Nullable String protocolName(ConnectionFactory factory) {
			if (factory instanceof AbstractHTTP2ServerConnectionFactory) {
				return (factory instanceof HTTP2CServerConnectionFactory) ? "h2c" : "h2";
			}
			return null;
		}

	}

}
