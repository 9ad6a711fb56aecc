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

package dev.keepalive.autoconfigure.metrics;

import dev.keepalive.autoconfigure.client.ClientStack;
import dev.keepalive.autoconfigure.client.KeepAliveClientEvents;
import dev.keepalive.autoconfigure.client.KeepAliveClients;
import dev.keepalive.autoconfigure.client.KeepAliveClients.StackDescriptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counters of what the starter does to the HTTP clients in use:
 * {@code keepalive.client.evictions}, idle connections it closed, and
 * {@code keepalive.client.retries}, requests it retried; tagged with the API
 * ({@code rest-client} or {@code web-client}) and the client stack.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class KeepAliveClientMetrics implements MeterBinder {

	private final KeepAliveClients clients;

	private final KeepAliveClientEvents events;

	public KeepAliveClientMetrics(KeepAliveClients clients, KeepAliveClientEvents events) {
		this.clients = clients;
		this.events = events;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (StackDescriptor stack : this.clients.describe().stacks()) {
			ClientStack clientStack = ClientStack.valueOf(stack.client().toUpperCase().replace('-', '_'));
			FunctionCounter
				.builder("keepalive.client.evictions", this.events,
						(events) -> events.getEvictions(stack.api(), clientStack))
				.description("Idle connections the starter closed before the server could")
				.tags("api", stack.api(), "client", stack.client())
				.register(registry);
			FunctionCounter
				.builder("keepalive.client.retries", this.events,
						(events) -> events.getRetries(stack.api(), clientStack))
				.description("Requests the starter retried after a reused connection failed before the response")
				.tags("api", stack.api(), "client", stack.client())
				.register(registry);
		}
	}

}
