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

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.util.ClassUtils;

/**
 * {@link ServerDrain} for Jetty. Draining adds an {@link HttpConfiguration.Customizer} to
 * every connector's HTTP configuration: Jetty runs the customizers for each request, and
 * this one puts {@code Connection: close} on the HTTP/1.x response, which makes Jetty
 * close the connection after writing it. HTTP/2 sessions are shut down gracefully: a
 * GOAWAY, their open streams finish, then they close.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class JettyServerDrain implements ServerDrain {

	private static final boolean HTTP2_PRESENT = ClassUtils.isPresent("org.eclipse.jetty.http2.HTTP2Connection",
			JettyServerDrain.class.getClassLoader());

	private static final HttpField CONNECTION_CLOSE = new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);

	private final List<AbstractConnector> connectors;

	private final AtomicLong requests = new AtomicLong();

	private JettyServerDrain(List<AbstractConnector> connectors) {
		this.connectors = connectors;
	}

	/**
	 * Create the drain of the given server if it is Jetty.
	 * @param webServer the running web server
	 * @return the drain, or {@code null} if the server is not Jetty
	 */
	public static @Nullable ServerDrain of(WebServer webServer) {
		if (!(webServer instanceof JettyWebServer jettyWebServer)) {
			return null;
		}
		List<AbstractConnector> connectors = Arrays.stream(jettyWebServer.getServer().getConnectors())
			.filter(AbstractConnector.class::isInstance)
			.map(AbstractConnector.class::cast)
			.toList();
		return new JettyServerDrain(connectors);
	}

	@Override
	public void startDraining() {
		Set<HttpConfiguration> configurations = Collections.newSetFromMap(new IdentityHashMap<>());
		for (AbstractConnector connector : this.connectors) {
			connector.getConnectionFactories()
				.stream()
				.filter(HttpConfiguration.ConnectionFactory.class::isInstance)
				.map((factory) -> ((HttpConfiguration.ConnectionFactory) factory).getHttpConfiguration())
				.forEach(configurations::add);
		}
		configurations.forEach((configuration) -> configuration.addCustomizer(this::customize));
		retireHttp2Connections();
	}

	private Request customize(Request request, HttpFields.Mutable responseHeaders) {
		this.requests.incrementAndGet();
		if (request.getConnectionMetaData().getHttpVersion().getVersion() < HttpVersion.HTTP_2.getVersion()) {
			responseHeaders.ensureField(CONNECTION_CLOSE);
		}
		return request;
	}

	@Override
	public void retireHttp2Connections() {
		if (HTTP2_PRESENT) {
			this.connectors.forEach(Http2::shutDownSessions);
		}
	}

	@Override
	public long openConnections() {
		return this.connectors.stream().mapToLong((connector) -> connector.getConnectedEndPoints().size()).sum();
	}

	@Override
	public long requestCount() {
		return this.requests.get();
	}

	/**
	 * Kept apart so that Jetty's optional HTTP/2 classes are only loaded when present.
	 */
	private static final class Http2 {

		private static void shutDownSessions(AbstractConnector connector) {
			for (EndPoint endPoint : connector.getConnectedEndPoints()) {
				Connection connection = endPoint.getConnection();
				while (connection instanceof SslConnection sslConnection) {
					connection = sslConnection.getSslEndPoint().getConnection();
				}
				if (connection instanceof HTTP2Connection http2Connection) {
					// Idempotent: a session already shutting down returns the same
					// future.
					http2Connection.getSession().shutdown();
				}
			}
		}

	}

}
