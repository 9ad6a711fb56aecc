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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the starter does to the HTTP clients: idle connections it closed and
 * requests it retried, per API ({@code rest-client} for RestClient and RestTemplate,
 * {@code web-client}) and client stack.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class KeepAliveClientEvents {

	/**
	 * API name of RestClient and RestTemplate.
	 */
	public static final String REST_CLIENT = "rest-client";

	/**
	 * API name of WebClient.
	 */
	public static final String WEB_CLIENT = "web-client";

	private final Map<String, AtomicLong> evictions = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> retries = new ConcurrentHashMap<>();

	void evicted(String api, ClientStack stack) {
		counter(this.evictions, api, stack).incrementAndGet();
	}

	void retried(String api, ClientStack stack) {
		counter(this.retries, api, stack).incrementAndGet();
	}

	/**
	 * Return how many idle connections the starter has closed.
	 * @param api {@link #REST_CLIENT} or {@link #WEB_CLIENT}
	 * @param stack the client stack
	 * @return the count
	 */
	public long getEvictions(String api, ClientStack stack) {
		return counter(this.evictions, api, stack).get();
	}

	/**
	 * Return how many requests the starter has retried.
	 * @param api {@link #REST_CLIENT} or {@link #WEB_CLIENT}
	 * @param stack the client stack
	 * @return the count
	 */
	public long getRetries(String api, ClientStack stack) {
		return counter(this.retries, api, stack).get();
	}

	private static AtomicLong counter(Map<String, AtomicLong> counters, String api, ClientStack stack) {
		return counters.computeIfAbsent(api + "/" + stack.getId(), (key) -> new AtomicLong());
	}

}
