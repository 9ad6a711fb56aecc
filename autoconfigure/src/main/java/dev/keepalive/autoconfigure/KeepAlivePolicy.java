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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.log.LogMessage;
import org.springframework.util.Assert;

/**
 * The timeouts a server needs behind the declared load balancer, validated from
 * {@link LoadBalancerProperties}.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class KeepAlivePolicy {

	/**
	 * Largest timeout, in milliseconds, that every supported server accepts: Tomcat takes
	 * an {@code int}.
	 */
	public static final long MAX_TIMEOUT_MILLIS = Integer.MAX_VALUE;

	private static final String DURATION_FORM = "a positive duration such as 60 (seconds), 60s, 1m or 500ms";

	private static final long SMALLEST_SAFE_MARGIN_MILLIS = 1000;

	private static final Log logger = LogFactory.getLog(KeepAlivePolicy.class);

	private final KeepAliveMode mode;

	private final @Nullable LoadBalancerProvider provider;

	private final @Nullable Long idleTimeoutMillis;

	private final @Nullable String idleTimeoutSource;

	private final long minimumKeepAliveMillis;

	private final long keepAliveMarginMillis;

	private final long headerTimeoutMarginMillis;

	private final boolean keepAliveHint;

	private KeepAlivePolicy(LoadBalancerProperties properties, @Nullable Long idleTimeoutMillis,
			@Nullable String idleTimeoutSource, long keepAliveMarginMillis, long headerTimeoutMarginMillis) {
		this.mode = properties.getMode();
		this.provider = properties.getProvider();
		this.idleTimeoutMillis = idleTimeoutMillis;
		this.idleTimeoutSource = idleTimeoutSource;
		Duration minimumKeepAlive = (this.provider != null) ? this.provider.getMinimumKeepAlive() : null;
		this.minimumKeepAliveMillis = (minimumKeepAlive != null) ? minimumKeepAlive.toMillis() : 0;
		this.keepAliveMarginMillis = keepAliveMarginMillis;
		this.headerTimeoutMarginMillis = headerTimeoutMarginMillis;
		this.keepAliveHint = properties.isKeepAliveHint();
	}

	/**
	 * Validate the given properties and create the policy they declare.
	 * @param properties the load balancer properties
	 * @return the policy
	 * @throws InvalidConfigurationPropertyValueException if a value is not accepted
	 */
	public static KeepAlivePolicy of(LoadBalancerProperties properties) {
		long keepAliveMargin = positiveMillis("lb.keep-alive-margin", properties.getKeepAliveMargin());
		long headerTimeoutMargin = positiveMillis("lb.header-timeout-margin", properties.getHeaderTimeoutMargin());
		warnIfSmall("lb.keep-alive-margin", keepAliveMargin);
		warnIfSmall("lb.header-timeout-margin", headerTimeoutMargin);
		Duration idleTimeout = properties.getIdleTimeout();
		String source = "lb.idle-timeout";
		if (idleTimeout == null && properties.getProvider() != null) {
			idleTimeout = properties.getProvider().getIdleTimeout();
			source = "lb.provider";
		}
		if (idleTimeout == null) {
			return new KeepAlivePolicy(properties, null, null, keepAliveMargin, headerTimeoutMargin);
		}
		long idle = positiveMillis("lb.idle-timeout", idleTimeout);
		Duration minimumKeepAlive = (properties.getProvider() != null) ? properties.getProvider().getMinimumKeepAlive()
				: null;
		long keepAlive = Math.max(idle + keepAliveMargin, (minimumKeepAlive != null) ? minimumKeepAlive.toMillis() : 0);
		if (keepAlive > MAX_TIMEOUT_MILLIS - headerTimeoutMargin) {
			throw new InvalidConfigurationPropertyValueException("lb.idle-timeout", idleTimeout,
					"lb.idle-timeout + lb.keep-alive-margin + lb.header-timeout-margin must not exceed "
							+ MAX_TIMEOUT_MILLIS + "ms (about 24 days), the largest timeout Tomcat accepts");
		}
		return new KeepAlivePolicy(properties, idle, source, keepAliveMargin, headerTimeoutMargin);
	}

	private static void warnIfSmall(String name, long margin) {
		if (margin < SMALLEST_SAFE_MARGIN_MILLIS) {
			logger.warn(LogMessage.format(
					"%s=%dms is below %dms: a load balancer's idle timer can fire a few "
							+ "milliseconds late, so with a small margin the server can still close first",
					name, margin, SMALLEST_SAFE_MARGIN_MILLIS));
		}
	}

	/**
	 * Return the given duration property in milliseconds, or fail startup with a message
	 * that names the property and the form it accepts.
	 * @param name the property's name
	 * @param value the property's value
	 * @return the duration in milliseconds, from 1 to {@link #MAX_TIMEOUT_MILLIS}
	 * @throws InvalidConfigurationPropertyValueException if the value is not accepted
	 */
	public static long positiveMillis(String name, Duration value) {
		long millis;
		try {
			millis = value.toMillis();
		}
		catch (ArithmeticException ex) {
			millis = Long.MAX_VALUE;
		}
		if (millis < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"must be " + DURATION_FORM + " (at least 1ms)");
		}
		if (millis > MAX_TIMEOUT_MILLIS) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"must be " + DURATION_FORM + " of at most " + MAX_TIMEOUT_MILLIS + "ms (about 24 days)");
		}
		return millis;
	}

	public KeepAliveMode getMode() {
		return this.mode;
	}

	/**
	 * Whether HTTP/1.1 responses that keep the connection open tell the client the
	 * server's keep-alive timeout in a {@code Keep-Alive: timeout=N} header. Independent
	 * of a declared load balancer: clients that reuse connections directly need it most.
	 * @return {@code true} if the servers send the hint
	 */
	public boolean isKeepAliveHint() {
		return this.keepAliveHint;
	}

	/**
	 * Whether a load balancer idle timeout was declared, directly or through a provider.
	 * @return {@code true} if there is an idle timeout to outlast
	 */
	public boolean isConfigured() {
		return this.idleTimeoutMillis != null;
	}

	/**
	 * Whether the starter raises server timeouts: an idle timeout is declared and the
	 * mode is {@link KeepAliveMode#ADJUST adjust}.
	 * @return {@code true} if timeouts that are too low are raised
	 */
	public boolean isAdjusting() {
		return isConfigured() && this.mode == KeepAliveMode.ADJUST;
	}

	/**
	 * Return the declared load balancer provider.
	 * @return the provider, or {@code null}
	 */
	public @Nullable LoadBalancerProvider getProvider() {
		return this.provider;
	}

	/**
	 * Return where the idle timeout comes from.
	 * @return {@code lb.idle-timeout}, {@code lb.provider}, or {@code null} if there is
	 * none
	 */
	public @Nullable String getIdleTimeoutSource() {
		return this.idleTimeoutSource;
	}

	/**
	 * Describe where the idle timeout comes from, for messages.
	 * @return {@code lb.idle-timeout}, or {@code lb.provider=} and the provider's id
	 */
	public String describeIdleTimeoutSource() {
		return ("lb.provider".equals(this.idleTimeoutSource) && this.provider != null)
				? "lb.provider=" + this.provider.getId() : "lb.idle-timeout";
	}

	/**
	 * Return the smallest keep-alive timeout that does not lose the race with the load
	 * balancer: more than its idle timeout, and at least the provider's stated minimum.
	 * @return the smallest acceptable keep-alive timeout in milliseconds
	 */
	public long getAcceptableKeepAliveMillis() {
		return Math.max(idleTimeoutMillis() + 1, this.minimumKeepAliveMillis);
	}

	/**
	 * Return the declared load balancer idle timeout.
	 * @return the idle timeout in milliseconds, or {@code null} if none was declared
	 */
	public @Nullable Long getIdleTimeoutMillis() {
		return this.idleTimeoutMillis;
	}

	/**
	 * Return the smallest keep-alive timeout that satisfies the policy.
	 * @return the required keep-alive timeout in milliseconds
	 */
	public long getRequiredKeepAliveMillis() {
		return Math.max(idleTimeoutMillis() + this.keepAliveMarginMillis, this.minimumKeepAliveMillis);
	}

	/**
	 * Return the smallest header timeout that satisfies the policy on a server whose
	 * keep-alive timeout is the given one.
	 * @param keepAliveMillis the server's keep-alive timeout, negative for none
	 * @return the required header timeout in milliseconds
	 */
	public long getRequiredHeaderTimeoutMillis(long keepAliveMillis) {
		return Math.max(keepAliveMillis, getRequiredKeepAliveMillis()) + this.headerTimeoutMarginMillis;
	}

	private long idleTimeoutMillis() {
		Assert.state(this.idleTimeoutMillis != null, "No load balancer idle timeout declared");
		return this.idleTimeoutMillis;
	}

}
