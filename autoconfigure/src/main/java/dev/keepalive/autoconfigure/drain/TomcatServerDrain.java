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
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.RequestGroupInfo;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * {@link ServerDrain} for Tomcat. Draining sets {@code maxKeepAliveRequests} to 1 on
 * every HTTP/1.1 connector: Tomcat reads it for each request, and then answers with
 * {@code Connection: close} and closes the connection after the response, whatever the
 * application does with its headers. The connection handler's {@code pause()} pauses the
 * processors, not the connector: HTTP/2 connections send a GOAWAY and finish their open
 * streams, while HTTP/1.1 and WebSocket processors ignore it.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class TomcatServerDrain implements ServerDrain {

	private final List<AbstractHttp11Protocol<?>> protocols;

	private TomcatServerDrain(List<AbstractHttp11Protocol<?>> protocols) {
		this.protocols = protocols;
	}

	/**
	 * Create the drain of the given server if it is Tomcat.
	 * @param webServer the running web server
	 * @return the drain, or {@code null} if the server is not Tomcat
	 */
	public static @Nullable ServerDrain of(WebServer webServer) {
		if (!(webServer instanceof TomcatWebServer tomcatWebServer)) {
			return null;
		}
		Connector[] connectors = tomcatWebServer.getTomcat().getService().findConnectors();
		List<AbstractHttp11Protocol<?>> protocols = Arrays.stream(connectors)
			.map(Connector::getProtocolHandler)
			.filter(AbstractHttp11Protocol.class::isInstance)
			.<AbstractHttp11Protocol<?>>map(AbstractHttp11Protocol.class::cast)
			.toList();
		return new TomcatServerDrain(protocols);
	}

	@Override
	public void startDraining() {
		this.protocols.forEach((protocol) -> protocol.setMaxKeepAliveRequests(1));
		retireHttp2Connections();
	}

	@Override
	public void retireHttp2Connections() {
		this.protocols.forEach((protocol) -> protocol.getHandler().pause());
	}

	/**
	 * Return how many connections the server holds open, from the connection limit latch:
	 * the acceptor counts a connection up before it waits for it, so the latch holds one
	 * more than the open connections while the acceptor waits. Without a latch
	 * ({@code maxConnections} -1) the count is unknown.
	 */
	@Override
	public long openConnections() {
		long open = 0;
		for (AbstractHttp11Protocol<?> protocol : this.protocols) {
			long count = protocol.getConnectionCount();
			if (count < 0) {
				return UNKNOWN;
			}
			open += Math.max(0, count - 1);
		}
		return open;
	}

	/**
	 * Whether no connection is open, from the connections the endpoint tracks: exact,
	 * unlike the latch, and waits up to 50 ms per connector while one is open.
	 */
	@Override
	public boolean isDrained() {
		return this.protocols.stream().allMatch((protocol) -> protocol.awaitConnectionsClose(1) > 0);
	}

	@Override
	public long requestCount() {
		long count = 0;
		for (AbstractHttp11Protocol<?> protocol : this.protocols) {
			if (protocol.getHandler().getGlobal() instanceof RequestGroupInfo global) {
				count += global.getRequestCount();
			}
		}
		return count;
	}

}
