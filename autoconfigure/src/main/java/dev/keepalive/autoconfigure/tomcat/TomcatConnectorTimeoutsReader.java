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

package dev.keepalive.autoconfigure.tomcat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.ConnectorTimeoutsReader;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.ajp.AbstractAjpProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http2.Http2Protocol;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * {@link ConnectorTimeoutsReader} for Tomcat: reads {@code keepAliveTimeout} and
 * {@code connectionTimeout} from every connector of the server's service, and the
 * {@code keepAliveTimeout} of every HTTP/2 upgrade protocol.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class TomcatConnectorTimeoutsReader implements ConnectorTimeoutsReader {

	static final String KEEP_ALIVE_PROPERTY = "server.tomcat.keep-alive-timeout";

	static final String HEADER_TIMEOUT_PROPERTY = "server.tomcat.connection-timeout";

	@Override
	public List<ConnectorTimeouts> read(WebServer webServer) {
		if (!(webServer instanceof TomcatWebServer tomcatWebServer)) {
			return List.of();
		}
		return Arrays.stream(tomcatWebServer.getTomcat().getService().findConnectors())
			.flatMap((connector) -> read(connector).stream())
			.toList();
	}

	/**
	 * Read the timeouts of a connector: one entry for its protocol handler and one for
	 * each HTTP/2 upgrade protocol. An HTTP/2 connection idles on the HTTP/2 protocol's
	 * keep-alive timeout, and waits for its preface or upgrade request on the connector's
	 * connection timeout.
	 * @param connector the connector
	 * @return the timeouts
	 */
	private static List<ConnectorTimeouts> read(Connector connector) {
		if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
			return List.of();
		}
		int port = connector.getLocalPort();
		long connectionTimeout = ConnectorTimeouts.timeout(protocol.getConnectionTimeout());
		List<ConnectorTimeouts> timeouts = new ArrayList<>();
		timeouts.add(new ConnectorTimeouts("tomcat", port, protocolName(protocol),
				ConnectorTimeouts.timeout(protocol.getKeepAliveTimeout()), connectionTimeout, KEEP_ALIVE_PROPERTY,
				HEADER_TIMEOUT_PROPERTY));
		for (UpgradeProtocol upgradeProtocol : connector.findUpgradeProtocols()) {
			if (upgradeProtocol instanceof Http2Protocol http2) {
				String name = connector.getSecure() ? "h2" : "h2c";
				timeouts.add(new ConnectorTimeouts("tomcat", port, name, http2Timeout(http2.getKeepAliveTimeout()),
						connectionTimeout, KEEP_ALIVE_PROPERTY, HEADER_TIMEOUT_PROPERTY));
			}
		}
		return timeouts;
	}

	/**
	 * Return an HTTP/2 timeout of Tomcat's as a {@link ConnectorTimeouts} value. Unlike
	 * HTTP/1.1, Tomcat's HTTP/2 treats only {@code -1} as "no timeout": zero or another
	 * negative value times an idle connection out at once.
	 * @param millis the timeout as Tomcat's {@code Http2Protocol} holds it
	 * @return the timeout, or {@link ConnectorTimeouts#NEVER}
	 */
	static long http2Timeout(long millis) {
		return (millis == -1) ? ConnectorTimeouts.NEVER : Math.max(millis, 0);
	}

	private static String protocolName(AbstractProtocol<?> protocol) {
		if (protocol instanceof AbstractHttp11Protocol) {
			return "HTTP/1.1";
		}
		if (protocol instanceof AbstractAjpProtocol) {
			return "AJP/1.3";
		}
		return protocol.getClass().getSimpleName();
	}

}
