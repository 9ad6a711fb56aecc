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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.log.LogMessage;

/**
 * Warns when the starter raises a timeout that the user set explicitly through one of
 * Spring Boot's {@code server.*} properties, once per property and value.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class RaisedTimeoutWarnings {

	private static final Log logger = LogFactory.getLog(RaisedTimeoutWarnings.class);

	private final Binder binder;

	private final KeepAlivePolicy policy;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	public RaisedTimeoutWarnings(Environment environment, KeepAlivePolicy policy) {
		this.binder = Binder.get(environment);
		this.policy = policy;
	}

	/**
	 * Note that a timeout is being raised, and log a warning if its current value is the
	 * one the user set through the given property.
	 * @param property the property that sets the timeout
	 * @param currentMillis the current timeout
	 * @param raisedMillis the timeout it is raised to
	 */
	public void raising(String property, long currentMillis, long raisedMillis) {
		Long userMillis = this.binder.bind(property, Duration.class).map(Duration::toMillis).orElse(null);
		if (userMillis != null && userMillis == currentMillis && this.warned.add(property + "=" + currentMillis)) {
			logger.warn(LogMessage.format(
					"%s=%dms is below the %dms that the load balancer's idle timeout of %dms (%s) requires; raising "
							+ "it to %3$dms. Set lb.mode=report to keep your value",
					property, currentMillis, raisedMillis, this.policy.getIdleTimeoutMillis(),
					this.policy.describeIdleTimeoutSource()));
		}
	}

}
