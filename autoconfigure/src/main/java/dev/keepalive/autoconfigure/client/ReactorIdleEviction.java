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

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;

/**
 * Closes a Reactor Netty connection that has been idle in its pool longer than the bound:
 * the {@code Keep-Alive} timeout hint of the last response on it minus the margin,
 * otherwise the maximum idle time. A timer starts on the connection's event loop when it
 * is released to the pool and is cancelled when it is acquired again, so it works with
 * any {@code ConnectionProvider}; a provider's own lower {@code maxIdleTime} still
 * applies first.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class ReactorIdleEviction implements UnaryOperator<HttpClient> {

	private static final AttributeKey<Long> BOUND = AttributeKey.valueOf(ReactorIdleEviction.class, "bound");

	private static final AttributeKey<ScheduledFuture<?>> TIMER = AttributeKey.valueOf(ReactorIdleEviction.class,
			"timer");

	private final ClientKeepAlivePolicy policy;

	private final String api;

	private final KeepAliveClientEvents events;

	ReactorIdleEviction(ClientKeepAlivePolicy policy, String api, KeepAliveClientEvents events) {
		this.policy = policy;
		this.api = api;
		this.events = events;
	}

	@Override
	public HttpClient apply(HttpClient client) {
		return client
			.doOnResponse((response, connection) -> connection.channel()
				.attr(BOUND)
				.set(this.policy.idleBoundMillis(response.responseHeaders().get("Keep-Alive"))))
			.observe(this::onStateChange);
	}

	private void onStateChange(Connection connection, ConnectionObserver.State state) {
		Channel channel = connection.channel();
		if (state == ConnectionObserver.State.ACQUIRED) {
			cancelTimer(channel);
		}
		else if (state == ConnectionObserver.State.RELEASED && channel.isActive()) {
			cancelTimer(channel);
			Long bound = channel.attr(BOUND).get();
			long millis = (bound != null) ? bound : this.policy.getMaxIdleMillis();
			channel.attr(TIMER).set(channel.eventLoop().schedule(() -> evict(channel), millis, TimeUnit.MILLISECONDS));
		}
	}

	private void evict(Channel channel) {
		if (channel.isActive()) {
			this.events.evicted(this.api, ClientStack.REACTOR);
			channel.close();
		}
	}

	private static void cancelTimer(Channel channel) {
		ScheduledFuture<?> timer = channel.attr(TIMER).getAndSet(null);
		if (timer != null) {
			timer.cancel(false);
		}
	}

}
