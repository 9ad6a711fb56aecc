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
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;

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

	@Override
	public List<ConnectorTimeouts> read(WebServer webServer) {
		if (!(webServer instanceof JettyWebServer jettyWebServer)) {
			return List.of();
		}
		return Arrays.stream(jettyWebServer.getServer().getConnectors())
			.map(JettyConnectorTimeoutsReader::read)
			.filter(Objects::nonNull)
			.toList();
	}

	private static @Nullable ConnectorTimeouts read(Connector connector) {
		if (!(connector instanceof AbstractConnector abstractConnector)) {
			return null;
		}
		int port = (connector instanceof NetworkConnector networkConnector) ? networkConnector.getLocalPort() : -1;
		String protocol = (connector.getConnectionFactory(HttpConnectionFactory.class) != null) ? "HTTP/1.1"
				: abstractConnector.getDefaultProtocol();
		long idleTimeout = ConnectorTimeouts.timeout(abstractConnector.getIdleTimeout());
		return new ConnectorTimeouts("jetty", port, protocol, idleTimeout, idleTimeout, IDLE_TIMEOUT_PROPERTY, null);
	}

}
