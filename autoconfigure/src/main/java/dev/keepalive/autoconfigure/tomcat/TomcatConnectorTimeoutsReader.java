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

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.ConnectorTimeoutsReader;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ajp.AbstractAjpProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * {@link ConnectorTimeoutsReader} for Tomcat: reads {@code keepAliveTimeout} and
 * {@code connectionTimeout} from every connector of the server's service.
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
			.map(TomcatConnectorTimeoutsReader::read)
			.filter(Objects::nonNull)
			.toList();
	}

	static @Nullable ConnectorTimeouts read(Connector connector) {
		if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
			return null;
		}
		return new ConnectorTimeouts("tomcat", connector.getLocalPort(), protocolName(protocol),
				ConnectorTimeouts.timeout(protocol.getKeepAliveTimeout()),
				ConnectorTimeouts.timeout(protocol.getConnectionTimeout()), KEEP_ALIVE_PROPERTY,
				HEADER_TIMEOUT_PROPERTY);
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
