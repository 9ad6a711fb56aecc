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

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * The client libraries that Spring Boot can build a RestClient, RestTemplate or WebClient
 * on, named as in {@code spring.http.clients.*}, and which requests each one already
 * retries on its own.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public enum ClientStack {

	/**
	 * Apache HttpClient 5: reads the Keep-Alive hint; the classic client retries
	 * idempotent requests with a repeatable body once by itself.
	 */
	HTTP_COMPONENTS("http-components", true),

	/**
	 * Jetty's HttpClient.
	 */
	JETTY("jetty", false),

	/**
	 * Reactor Netty's HttpClient: the starter reads the Keep-Alive hint for it.
	 */
	REACTOR("reactor", true),

	/**
	 * The JDK's {@code java.net.http.HttpClient}: retries GET and HEAD once by itself
	 * when a reused connection produced nothing.
	 */
	JDK("jdk", false);

	private static final Set<HttpMethod> SAFE_TO_REPEAT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE);

	private final String id;

	private final boolean readsKeepAliveHint;

	ClientStack(String id, boolean readsKeepAliveHint) {
		this.id = id;
		this.readsKeepAliveHint = readsKeepAliveHint;
	}

	public String getId() {
		return this.id;
	}

	/**
	 * Whether the idle bound follows the server's {@code Keep-Alive} hint on this client.
	 * @return {@code true} if the hint minus the margin is used when the server sends one
	 */
	public boolean readsKeepAliveHint() {
		return this.readsKeepAliveHint;
	}

	/**
	 * Whether the starter retries the given method on this client: the method is safe to
	 * repeat, and the client does not already retry it on its own.
	 * @param method the request method
	 * @param reactive whether the request is made by a WebClient
	 * @return {@code true} if the starter retries it
	 */
	public boolean isRetriedByStarter(HttpMethod method, boolean reactive) {
		if (!SAFE_TO_REPEAT.contains(method)) {
			return false;
		}
		return switch (this) {
			case HTTP_COMPONENTS -> reactive;
			case JDK -> method != HttpMethod.GET && method != HttpMethod.HEAD;
			default -> true;
		};
	}

	/**
	 * Describe who retries which requests on this client.
	 * @param reactive whether for a WebClient
	 * @return a short description
	 */
	public String describeRetry(boolean reactive) {
		return switch (this) {
			case HTTP_COMPONENTS -> reactive ? "starter: GET, HEAD, OPTIONS, PUT, DELETE"
					: "client: GET, HEAD, OPTIONS, PUT, DELETE (Apache HttpClient's own retry)";
			case JDK -> "starter: OPTIONS, PUT, DELETE; client: GET, HEAD (the JDK's own retry)";
			default -> "starter: GET, HEAD, OPTIONS, PUT, DELETE";
		};
	}

	/**
	 * Return the stack a Spring Boot client builder builds on.
	 * @param builder a {@code ClientHttpRequestFactoryBuilder} or
	 * {@code ClientHttpConnectorBuilder}
	 * @return the stack, or {@code null} for another builder (such as {@code simple})
	 */
	public static @Nullable ClientStack of(@Nullable Object builder) {
		if (builder == null) {
			return null;
		}
		String name = builder.getClass().getSimpleName();
		if (name.startsWith("HttpComponents")) {
			return HTTP_COMPONENTS;
		}
		if (name.startsWith("Jetty")) {
			return JETTY;
		}
		if (name.startsWith("Reactor")) {
			return REACTOR;
		}
		if (name.startsWith("Jdk")) {
			return JDK;
		}
		return null;
	}

}
