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

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties that declare the load balancer in front of the application.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@ConfigurationProperties("lb")
public class LoadBalancerProperties {

	/**
	 * Idle timeout of the load balancer's pooled connections to this application, as set
	 * in its console (AWS ALB: 60). The server's keep-alive timeout must exceed it,
	 * otherwise the load balancer can reuse a connection the server is closing and answer
	 * 502. If a duration suffix is not specified, seconds will be used. When unset, no
	 * server timeout is changed.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration idleTimeout;

	/**
	 * Load balancer product, such as aws-alb or gcp. Implies its documented default idle
	 * timeout when lb.idle-timeout is not set.
	 */
	private @Nullable LoadBalancerProvider provider;

	/**
	 * Amount that adjust mode adds to the load balancer's idle timeout to get the
	 * server's keep-alive timeout, so that the load balancer always closes an idle
	 * connection first. If a duration suffix is not specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration keepAliveMargin = Duration.ofSeconds(5);

	/**
	 * Amount that adjust mode adds to the server's keep-alive timeout to get its timeout
	 * for a request's first line and headers. Load balancers pre-open connections and
	 * hold them idle before the first request. If a duration suffix is not specified,
	 * seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration headerTimeoutMargin = Duration.ofSeconds(5);

	/**
	 * What to do when the server's timeouts do not exceed the load balancer's idle
	 * timeout.
	 */
	private KeepAliveMode mode = KeepAliveMode.ADJUST;

	/**
	 * Whether HTTP/1.1 responses that keep the connection open carry a "Keep-Alive:
	 * timeout=N" header with the server's keep-alive timeout in whole seconds, so that
	 * clients which reuse connections directly (Node's http.Agent, undici and fetch) stop
	 * reusing one before the server closes it. Applies with or without a load balancer.
	 */
	private boolean keepAliveHint = true;

	private final Drain drain = new Drain();

	public @Nullable Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(@Nullable Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public @Nullable LoadBalancerProvider getProvider() {
		return this.provider;
	}

	public void setProvider(@Nullable LoadBalancerProvider provider) {
		this.provider = provider;
	}

	public Duration getKeepAliveMargin() {
		return this.keepAliveMargin;
	}

	public void setKeepAliveMargin(Duration keepAliveMargin) {
		this.keepAliveMargin = keepAliveMargin;
	}

	public Duration getHeaderTimeoutMargin() {
		return this.headerTimeoutMargin;
	}

	public void setHeaderTimeoutMargin(Duration headerTimeoutMargin) {
		this.headerTimeoutMargin = headerTimeoutMargin;
	}

	public KeepAliveMode getMode() {
		return this.mode;
	}

	public void setMode(KeepAliveMode mode) {
		this.mode = mode;
	}

	public boolean isKeepAliveHint() {
		return this.keepAliveHint;
	}

	public void setKeepAliveHint(boolean keepAliveHint) {
		this.keepAliveHint = keepAliveHint;
	}

	public Drain getDrain() {
		return this.drain;
	}

	/**
	 * The drain that runs when the application shuts down, before Spring Boot's graceful
	 * shutdown: readiness reports refusing traffic while the server keeps serving, and
	 * every response retires its connection in-band.
	 */
	public static class Drain {

		/**
		 * Whether to drain connections when the application shuts down, before graceful
		 * shutdown. When unset, the drain is on if a load balancer is declared (an idle
		 * timeout or a provider) and Spring Boot detects Kubernetes, Amazon ECS or
		 * Heroku, whose default stop grace period is 30 seconds, and off otherwise, so
		 * that stopping an application on a developer's machine does not wait.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Longest time the drain waits for the load balancer to stop sending requests and
		 * close its connections, before graceful shutdown starts. Must be at least a
		 * second shorter than spring.lifecycle.timeout-per-shutdown-phase. When unset, 15
		 * seconds, or half of spring.lifecycle.timeout-per-shutdown-phase when that is
		 * less than 30 seconds. If a duration suffix is not specified, seconds will be
		 * used.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration timeout;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

}
