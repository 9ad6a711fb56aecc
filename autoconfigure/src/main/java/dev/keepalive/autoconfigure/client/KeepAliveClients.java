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

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * What the starter does to the HTTP clients in use: the RestClient and RestTemplate stack
 * that Spring Boot's {@code ClientHttpRequestFactoryBuilder} builds, and the WebClient
 * stack that its {@code ClientHttpConnectorBuilder} builds. Logs it once at startup and
 * describes it for the {@code keepalive} actuator endpoint.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class KeepAliveClients implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(KeepAliveClients.class);

	/**
	 * How long the JDK's HttpClient can keep reusing an expired idle connection: it hands
	 * out pooled connections without checking their expiry, and its selector thread,
	 * which purges them, sleeps up to 3 s ({@code HttpClientImpl.SelectorManager}).
	 */
	static final long JDK_PURGE_INTERVAL_MILLIS = 3000;

	private final ClientKeepAlivePolicy policy;

	private final KeepAliveClientEvents events;

	private final Supplier<@Nullable Object> requestFactoryBuilder;

	private final Supplier<@Nullable Object> connectorBuilder;

	public KeepAliveClients(ClientKeepAlivePolicy policy, KeepAliveClientEvents events,
			Supplier<@Nullable Object> requestFactoryBuilder, Supplier<@Nullable Object> connectorBuilder) {
		this.policy = policy;
		this.events = events;
		this.requestFactoryBuilder = requestFactoryBuilder;
		this.connectorBuilder = connectorBuilder;
	}

	@Override
	public void afterSingletonsInstantiated() {
		logger.info(getStartedLogMessage());
		String warning = getJdkWarning();
		if (warning != null) {
			logger.warn(warning);
		}
	}

	@Nullable String getJdkWarning() {
		boolean jdk = describe().stacks().stream().anyMatch((stack) -> stack.client().equals(ClientStack.JDK.getId()));
		Long seconds = JdkKeepAliveTimeoutEnvironmentPostProcessor.keepAliveSeconds();
		if (!jdk || seconds == null || seconds * 1000 >= JDK_PURGE_INTERVAL_MILLIS) {
			return null;
		}
		return JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY + "=" + seconds
				+ "s is below 3s, which the JDK's HttpClient cannot honour: it can reuse an idle connection for up to "
				+ "3s, so a server that closes idle connections sooner can still reset a request; only GET, HEAD, "
				+ "OPTIONS, PUT and DELETE are then retried. Set keepalive.client.max-idle to 3s or more, or use "
				+ "another client (spring.http.clients.imperative.factory, spring.http.clients.reactive.connector)";
	}

	String getStartedLogMessage() {
		List<StackDescriptor> stacks = describe().stacks();
		if (stacks.isEmpty()) {
			return "HTTP clients (keepalive.client): no RestClient, RestTemplate or WebClient builder in use";
		}
		return "HTTP clients (keepalive.client): "
				+ stacks.stream().map(this::describe).collect(Collectors.joining("; "));
	}

	private String describe(StackDescriptor stack) {
		String api = stack.api().equals(KeepAliveClientEvents.REST_CLIENT) ? "RestClient/RestTemplate" : "WebClient";
		String bound = stack.keepAliveHint() ? "the server's Keep-Alive timeout - " + this.policy.getHintMarginMillis()
				+ "ms, else " + stack.idleBoundMillis() + "ms" : stack.idleBoundMillis() + "ms";
		return api + " on " + stack.client() + ": idle connections reused for at most " + bound + " ("
				+ stack.idleBoundSource() + "), retry " + stack.retry();
	}

	/**
	 * Describe the effective settings of each HTTP client stack in use.
	 * @return the description
	 */
	public ClientsDescriptor describe() {
		List<StackDescriptor> stacks = new ArrayList<>();
		addStack(stacks, KeepAliveClientEvents.REST_CLIENT, ClientStack.of(this.requestFactoryBuilder.get()));
		addStack(stacks, KeepAliveClientEvents.WEB_CLIENT, ClientStack.of(this.connectorBuilder.get()));
		return new ClientsDescriptor(this.policy.getMaxIdleMillis(), this.policy.getHintMarginMillis(),
				this.policy.isRetry(), stacks);
	}

	private void addStack(List<StackDescriptor> stacks, String api, @Nullable ClientStack stack) {
		if (stack == null) {
			return;
		}
		boolean reactive = api.equals(KeepAliveClientEvents.WEB_CLIENT);
		long bound = this.policy.getMaxIdleMillis();
		String source = "keepalive.client.max-idle";
		if (stack == ClientStack.JDK) {
			Long seconds = JdkKeepAliveTimeoutEnvironmentPostProcessor.keepAliveSeconds();
			long keepAlive = ((seconds != null) ? seconds : ((Runtime.version().feature() >= 20) ? 30 : 1200)) * 1000;
			bound = Math.max(keepAlive, JDK_PURGE_INTERVAL_MILLIS);
			source = JdkKeepAliveTimeoutEnvironmentPostProcessor.describe();
			if (keepAlive < JDK_PURGE_INTERVAL_MILLIS) {
				source += "; the JDK purges expired connections only when its selector thread wakes, at least every "
						+ JDK_PURGE_INTERVAL_MILLIS + "ms";
			}
		}
		String retry = this.policy.isRetry() ? stack.describeRetry(reactive) : "off (keepalive.client.retry=false)";
		stacks.add(new StackDescriptor(api, stack.getId(), bound, stack.readsKeepAliveHint(), source, retry,
				this.events.getEvictions(api, stack), this.events.getRetries(api, stack)));
	}

	/**
	 * The starter's client settings.
	 *
	 * @param maxIdleMillis the longest time an idle connection is reused without a
	 * Keep-Alive hint ({@code keepalive.client.max-idle})
	 * @param hintMarginMillis what is subtracted from a Keep-Alive hint
	 * ({@code keepalive.client.hint-margin})
	 * @param retry whether safe requests are retried once
	 * ({@code keepalive.client.retry})
	 * @param stacks the client stacks in use
	 */
	public record ClientsDescriptor(long maxIdleMillis, long hintMarginMillis, boolean retry,
			List<StackDescriptor> stacks) {

	}

	/**
	 * The effective settings of one client stack.
	 *
	 * @param api {@code rest-client} (RestClient and RestTemplate) or {@code web-client}
	 * @param client the client library, as in {@code spring.http.clients.*}:
	 * {@code http-components}, {@code jetty}, {@code reactor} or {@code jdk}
	 * @param idleBoundMillis the longest time an idle connection is reused when the
	 * server sends no Keep-Alive hint
	 * @param keepAliveHint whether a server's Keep-Alive hint minus the margin is used
	 * instead when the server sends one
	 * @param idleBoundSource where the bound comes from
	 * @param retry who retries which requests
	 * @param evictions idle connections the starter closed (Reactor Netty and Jetty; the
	 * other clients retire them inside the library)
	 * @param retries requests the starter retried
	 */
	public record StackDescriptor(String api, String client, long idleBoundMillis, boolean keepAliveHint,
			String idleBoundSource, String retry, long evictions, long retries) {

	}

}
