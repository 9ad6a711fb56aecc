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

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.LoadBalancerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.core.env.Environment;

/**
 * Whether and for how long to drain connections at shutdown, validated from the
 * {@code lb.drain.*} properties and the environment.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class DrainPolicy {

	static final String ENABLED_PROPERTY = "lb.drain.enabled";

	static final String TIMEOUT_PROPERTY = "lb.drain.timeout";

	static final String PHASE_TIMEOUT_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

	/**
	 * Drain timeout when {@code lb.drain.timeout} is not set and the shutdown phase
	 * timeout is at least twice as long: with Spring Boot's default phase timeout of 30 s
	 * it leaves as much time for graceful shutdown, within Kubernetes' default
	 * termination grace period of 30 s.
	 */
	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Time the drain needs within its shutdown phase to end and log once its timeout is
	 * reached.
	 */
	private static final long PHASE_HEADROOM_MILLIS = 1000;

	/**
	 * Cloud platforms whose default stop grace period, 30 s, leaves room for the default
	 * drain and graceful shutdown: Kubernetes ({@code terminationGracePeriodSeconds}),
	 * Amazon ECS ({@code stopTimeout}) and Heroku. Cloud Foundry (and SAP BTP) kill an
	 * application 10 s after {@code SIGTERM} and Nomad 5 s after it by default, so there
	 * the drain must be turned on with a timeout that fits.
	 */
	private static final Set<CloudPlatform> DEFAULT_PLATFORMS = EnumSet.of(CloudPlatform.KUBERNETES,
			CloudPlatform.AWS_ECS, CloudPlatform.HEROKU);

	private final boolean enabled;

	private final String enabledReason;

	private final long timeoutMillis;

	private final String timeoutSource;

	private final long phaseTimeoutMillis;

	private final Shutdown shutdown;

	private DrainPolicy(boolean enabled, String enabledReason, long timeoutMillis, String timeoutSource,
			long phaseTimeoutMillis, Shutdown shutdown) {
		this.enabled = enabled;
		this.enabledReason = enabledReason;
		this.timeoutMillis = timeoutMillis;
		this.timeoutSource = timeoutSource;
		this.phaseTimeoutMillis = phaseTimeoutMillis;
		this.shutdown = shutdown;
	}

	/**
	 * Validate the drain properties against the environment and create the policy they
	 * declare.
	 * @param properties the load balancer properties
	 * @param environment the environment, for the cloud platform, the shutdown phase
	 * timeout and {@code server.shutdown}
	 * @return the policy
	 * @throws InvalidConfigurationPropertyValueException if {@code lb.drain.timeout} is
	 * not accepted
	 */
	public static DrainPolicy of(LoadBalancerProperties properties, Environment environment) {
		Binder binder = Binder.get(environment);
		long phaseTimeout = binder.bind(PHASE_TIMEOUT_PROPERTY, Duration.class)
			.orElse(DEFAULT_PHASE_TIMEOUT)
			.toMillis();
		Shutdown shutdown = binder.bind("server.shutdown", Shutdown.class).orElse(Shutdown.GRACEFUL);
		LoadBalancerProperties.Drain drain = properties.getDrain();
		long timeout;
		String timeoutSource;
		if (drain.getTimeout() != null) {
			timeout = KeepAlivePolicy.positiveMillis(TIMEOUT_PROPERTY, drain.getTimeout());
			if (timeout > phaseTimeout - PHASE_HEADROOM_MILLIS) {
				throw new InvalidConfigurationPropertyValueException(TIMEOUT_PROPERTY, drain.getTimeout(),
						"must be at least " + PHASE_HEADROOM_MILLIS + "ms shorter than " + PHASE_TIMEOUT_PROPERTY + " ("
								+ phaseTimeout + "ms): the drain runs in the first shutdown phase, Spring "
								+ "stops waiting for a phase after that time, and the drain needs a moment to end. "
								+ "Lower " + TIMEOUT_PROPERTY + " or raise " + PHASE_TIMEOUT_PROPERTY);
			}
			timeoutSource = TIMEOUT_PROPERTY;
		}
		else {
			timeout = Math.min(DEFAULT_TIMEOUT.toMillis(), phaseTimeout / 2);
			timeoutSource = "default";
		}
		if (drain.getEnabled() != null) {
			return new DrainPolicy(drain.getEnabled(), ENABLED_PROPERTY + "=" + drain.getEnabled(), timeout,
					timeoutSource, phaseTimeout, shutdown);
		}
		String loadBalancer = (properties.getIdleTimeout() != null) ? "lb.idle-timeout"
				: (properties.getProvider() != null) ? "lb.provider" : null;
		if (loadBalancer == null) {
			return new DrainPolicy(false, "no load balancer is declared (lb.idle-timeout or lb.provider)", timeout,
					timeoutSource, phaseTimeout, shutdown);
		}
		CloudPlatform platform = CloudPlatform.getActive(environment);
		if (platform == null || platform == CloudPlatform.NONE) {
			return new DrainPolicy(false, "no cloud platform detected, as on a developer's machine; set "
					+ ENABLED_PROPERTY + "=true to drain here too", timeout, timeoutSource, phaseTimeout, shutdown);
		}
		if (!DEFAULT_PLATFORMS.contains(platform)) {
			return new DrainPolicy(false,
					"the " + platform + " cloud platform may stop the application sooner after SIGTERM than a drain "
							+ "and graceful shutdown take; set " + ENABLED_PROPERTY + "=true and an " + TIMEOUT_PROPERTY
							+ " that fits its grace period",
					timeout, timeoutSource, phaseTimeout, shutdown);
		}
		return new DrainPolicy(true,
				"a load balancer is declared (" + loadBalancer + ") and the " + platform + " cloud platform is active",
				timeout, timeoutSource, phaseTimeout, shutdown);
	}

	/**
	 * Whether to drain connections at shutdown.
	 * @return {@code true} if the drain runs
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Return why the drain is on or off.
	 * @return the reason, such as {@code lb.drain.enabled=true}
	 */
	public String getEnabledReason() {
		return this.enabledReason;
	}

	/**
	 * Return the longest time the drain waits.
	 * @return the timeout in milliseconds
	 */
	public long getTimeoutMillis() {
		return this.timeoutMillis;
	}

	/**
	 * Return where the timeout comes from.
	 * @return {@code lb.drain.timeout} or {@code default}
	 */
	public String getTimeoutSource() {
		return this.timeoutSource;
	}

	/**
	 * Return what the application does after the drain, for messages: whether Spring
	 * Boot's graceful shutdown lets requests in flight finish.
	 * @return a warning if requests still in flight when the drain ends are cut off, or
	 * {@code null}
	 */
	public @Nullable String getShutdownWarning() {
		if (!this.enabled || this.shutdown != Shutdown.IMMEDIATE) {
			return null;
		}
		return "server.shutdown=immediate with " + ENABLED_PROPERTY
				+ ": requests still in flight when the drain ends are cut off instead of being finished by "
				+ "graceful shutdown. Set server.shutdown=graceful (the default)";
	}

	/**
	 * Describe the policy for the startup log.
	 * @return a description
	 */
	public String describe() {
		if (!this.enabled) {
			return "Connection drain at shutdown is off: " + this.enabledReason;
		}
		String then = (this.shutdown == Shutdown.GRACEFUL) ? "then graceful shutdown for at most "
				+ this.phaseTimeoutMillis + "ms (" + PHASE_TIMEOUT_PROPERTY + ")" : "then an immediate shutdown";
		return "Connection drain at shutdown is on (" + this.enabledReason + "): before graceful shutdown, the "
				+ "servers keep serving for at most " + this.timeoutMillis + "ms (" + this.timeoutSource
				+ ") while readiness refuses traffic, and every response closes its connection; " + then;
	}

}
