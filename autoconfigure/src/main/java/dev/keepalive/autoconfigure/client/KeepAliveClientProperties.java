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

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for the outbound HTTP clients that Spring Boot builds for
 * RestClient, RestTemplate and WebClient.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@ConfigurationProperties("keepalive.client")
public class KeepAliveClientProperties {

	/**
	 * Whether to keep the HTTP clients from reusing idle connections that the server may
	 * already have closed, and to retry safe requests that failed on one.
	 */
	private boolean enabled = true;

	/**
	 * Longest time an idle pooled connection is reused when the server sends no
	 * Keep-Alive timeout hint. Keep it below the keep-alive timeout of the servers this
	 * application calls. If a duration suffix is not specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration maxIdle = Duration.ofSeconds(4);

	/**
	 * Amount subtracted from a server's Keep-Alive timeout hint, on clients that read it,
	 * to get the longest time an idle connection to that server is reused. If a duration
	 * suffix is not specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration hintMargin = Duration.ofSeconds(1);

	/**
	 * Whether to retry a GET, HEAD, OPTIONS, PUT or DELETE request once, on a new
	 * connection, when a reused connection failed before any byte of the response
	 * arrived. POST and PATCH are never retried.
	 */
	private boolean retry = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getMaxIdle() {
		return this.maxIdle;
	}

	public void setMaxIdle(Duration maxIdle) {
		this.maxIdle = maxIdle;
	}

	public Duration getHintMargin() {
		return this.hintMargin;
	}

	public void setHintMargin(Duration hintMargin) {
		this.hintMargin = hintMargin;
	}

	public boolean isRetry() {
		return this.retry;
	}

	public void setRetry(boolean retry) {
		this.retry = retry;
	}

}
