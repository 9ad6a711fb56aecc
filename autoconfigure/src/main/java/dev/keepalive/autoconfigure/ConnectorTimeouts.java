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

package dev.keepalive.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The timeouts of one connector of a running server, as read from the server itself.
 *
 * @param webServer which of the application's web servers the connector belongs to:
 * {@code application}, or {@code management} for a separate management server
 * @param server the server, such as {@code tomcat} or {@code jetty}
 * @param port the local port, or a negative value if the connector is not bound
 * @param protocol the protocol the connector speaks, such as {@code HTTP/1.1}
 * @param keepAliveTimeoutMillis how long an idle connection is kept between requests, or
 * {@link #NEVER}
 * @param headerTimeoutMillis how long the server waits for a request's first line and
 * headers, or {@link #NEVER}
 * @param keepAliveProperty the property that sets the keep-alive timeout
 * @param headerTimeoutProperty the property that sets the header timeout, or {@code null}
 * if the keep-alive timeout governs header reads as well
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public record ConnectorTimeouts(String webServer, String server, int port, String protocol, long keepAliveTimeoutMillis,
		long headerTimeoutMillis, String keepAliveProperty, @Nullable String headerTimeoutProperty) {

	/**
	 * Name of the application's main web server.
	 */
	public static final String APPLICATION = "application";

	/**
	 * Timeout value meaning that the server never times the connection out.
	 */
	public static final long NEVER = -1;

	/**
	 * Create the timeouts of a connector of the application's main web server.
	 * @param server the server, such as {@code tomcat} or {@code jetty}
	 * @param port the local port
	 * @param protocol the protocol
	 * @param keepAliveTimeoutMillis the keep-alive timeout, or {@link #NEVER}
	 * @param headerTimeoutMillis the header timeout, or {@link #NEVER}
	 * @param keepAliveProperty the property that sets the keep-alive timeout
	 * @param headerTimeoutProperty the property that sets the header timeout, or
	 * {@code null}
	 */
	public ConnectorTimeouts(String server, int port, String protocol, long keepAliveTimeoutMillis,
			long headerTimeoutMillis, String keepAliveProperty, @Nullable String headerTimeoutProperty) {
		this(APPLICATION, server, port, protocol, keepAliveTimeoutMillis, headerTimeoutMillis, keepAliveProperty,
				headerTimeoutProperty);
	}

	/**
	 * Return these timeouts as belonging to the given web server.
	 * @param webServer the web server's name
	 * @return the timeouts
	 */
	public ConnectorTimeouts withWebServer(String webServer) {
		return new ConnectorTimeouts(webServer, this.server, this.port, this.protocol, this.keepAliveTimeoutMillis,
				this.headerTimeoutMillis, this.keepAliveProperty, this.headerTimeoutProperty);
	}

	/**
	 * Return the given server timeout with every "no timeout" value as {@link #NEVER}.
	 * @param millis a timeout as the server reports it, zero or negative for none
	 * @return the timeout, or {@link #NEVER}
	 */
	public static long timeout(long millis) {
		return (millis > 0) ? millis : NEVER;
	}

	/**
	 * Whether the server has a header timeout of its own, distinct from the keep-alive
	 * timeout.
	 * @return {@code true} if the header timeout is a separate setting
	 */
	public boolean hasSeparateHeaderTimeout() {
		return this.headerTimeoutProperty != null;
	}

	/**
	 * Describe the connector for a log line or a warning.
	 * @return a description such as {@code tomcat connector on port 8080 (HTTP/1.1)},
	 * with the web server's name in front for a management server
	 */
	public String describe() {
		String connector = this.server + " connector on port " + this.port + " (" + this.protocol + ")";
		return APPLICATION.equals(this.webServer) ? connector : this.webServer + " " + connector;
	}

}
