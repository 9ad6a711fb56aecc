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

/**
 * The connections of one running web server, as the drain sees them.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public interface ServerDrain {

	/**
	 * Value of {@link #openConnections()} when the server cannot count its connections.
	 */
	long UNKNOWN = -1;

	/**
	 * Start draining: from now on every HTTP/1.1 response carries
	 * {@code Connection: close} and the server closes the connection after writing it,
	 * and every HTTP/2 connection gets a GOAWAY. The listener stays open and no idle
	 * connection is closed.
	 */
	void startDraining();

	/**
	 * Send a GOAWAY to the HTTP/2 connections opened since the last call. Called
	 * repeatedly while draining.
	 */
	void retireHttp2Connections();

	/**
	 * Return how many connections the server holds open, idle or not.
	 * @return the number of open connections, or {@link #UNKNOWN}
	 */
	long openConnections();

	/**
	 * Whether the server holds no open connection. Unlike {@link #openConnections()}, it
	 * must be exact, and may take a moment.
	 * @return {@code true} if no connection is open
	 */
	default boolean isDrained() {
		return openConnections() == 0;
	}

	/**
	 * Return a count of the requests the server has served, at least those served while
	 * draining. Only its increase matters: whether requests are still arriving.
	 * @return a count that never decreases
	 */
	long requestCount();

}
