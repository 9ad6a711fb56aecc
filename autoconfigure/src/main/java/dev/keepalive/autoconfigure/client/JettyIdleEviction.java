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

package dev.keepalive.autoconfigure.client;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.IdleTimeout;

/**
 * Bounds how long Jetty's HttpClient keeps an idle connection: the connector's idle
 * timeout, which closes a connection that is idle in the pool, is set to the maximum idle
 * time (Jetty does not read the {@code Keep-Alive} hint). Because the same timeout would
 * otherwise also end a request that waits longer for its response, every request that has
 * no idle timeout of its own gets the client's previous one while it is in flight. A
 * connector idle timeout that is already lower, or that a later customizer sets, is left
 * alone.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class JettyIdleEviction implements Consumer<HttpClient> {

	private final ClientKeepAlivePolicy policy;

	private final String api;

	private final KeepAliveClientEvents events;

	JettyIdleEviction(ClientKeepAlivePolicy policy, String api, KeepAliveClientEvents events) {
		this.policy = policy;
		this.api = api;
		this.events = events;
	}

	@Override
	public void accept(HttpClient client) {
		long inFlightIdleTimeout = client.getIdleTimeout();
		long bound = this.policy.getMaxIdleMillis();
		if (inFlightIdleTimeout > 0 && inFlightIdleTimeout <= bound) {
			return;
		}
		client.setIdleTimeout(bound);
		client.getRequestListeners()
			.addQueuedListener((request) -> keepInFlightIdleTimeout(client, request, bound, inFlightIdleTimeout));
		client.getClientConnector().addBean(new EvictionListener(bound));
	}

	private static void keepInFlightIdleTimeout(HttpClient client, Request request, long bound,
			long inFlightIdleTimeout) {
		if (request.getIdleTimeout() < 0 && client.getIdleTimeout() == bound) {
			request.idleTimeout(inFlightIdleTimeout, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Counts connections closed after being idle for the bound.
	 */
	private final class EvictionListener implements Connection.Listener {

		private final long bound;

		EvictionListener(long bound) {
			this.bound = bound;
		}

		@Override
		public void onClosed(Connection connection) {
			if (connection.getEndPoint() instanceof IdleTimeout endPoint && endPoint.getIdleTimeout() == this.bound
					&& endPoint.getIdleFor() >= this.bound) {
				JettyIdleEviction.this.events.evicted(JettyIdleEviction.this.api, ClientStack.JETTY);
			}
		}

	}

}
