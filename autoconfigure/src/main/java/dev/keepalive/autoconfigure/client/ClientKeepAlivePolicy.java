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

import java.util.Locale;

import dev.keepalive.autoconfigure.KeepAlivePolicy;
import org.jspecify.annotations.Nullable;

/**
 * How long an idle pooled client connection may be reused, validated from
 * {@link KeepAliveClientProperties}: the server's {@code Keep-Alive: timeout=N} hint
 * minus a margin when the client can read it, otherwise a fixed bound.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class ClientKeepAlivePolicy {

	private final long maxIdleMillis;

	private final long hintMarginMillis;

	private final boolean retry;

	private ClientKeepAlivePolicy(long maxIdleMillis, long hintMarginMillis, boolean retry) {
		this.maxIdleMillis = maxIdleMillis;
		this.hintMarginMillis = hintMarginMillis;
		this.retry = retry;
	}

	/**
	 * Validate the given properties and create the policy they declare.
	 * @param properties the client properties
	 * @return the policy
	 */
	public static ClientKeepAlivePolicy of(KeepAliveClientProperties properties) {
		return new ClientKeepAlivePolicy(
				KeepAlivePolicy.positiveMillis("keepalive.client.max-idle", properties.getMaxIdle()),
				KeepAlivePolicy.positiveMillis("keepalive.client.hint-margin", properties.getHintMargin()),
				properties.isRetry());
	}

	/**
	 * Return how long a connection may stay idle after a response with the given
	 * {@code Keep-Alive} header.
	 * @param keepAliveHeader the value of the response's {@code Keep-Alive} header, or
	 * {@code null}
	 * @return the hint's timeout minus the margin (0 if the margin is larger), or the
	 * maximum idle time when there is no hint
	 */
	public long idleBoundMillis(@Nullable String keepAliveHeader) {
		Long hintSeconds = timeoutSeconds(keepAliveHeader);
		if (hintSeconds == null) {
			return this.maxIdleMillis;
		}
		return Math.max(0, hintSeconds * 1000 - this.hintMarginMillis);
	}

	static @Nullable Long timeoutSeconds(@Nullable String keepAliveHeader) {
		if (keepAliveHeader == null) {
			return null;
		}
		for (String element : keepAliveHeader.split(",")) {
			String[] nameAndValue = element.trim().split("=", 2);
			if (nameAndValue.length == 2 && nameAndValue[0].trim().toLowerCase(Locale.ROOT).equals("timeout")) {
				try {
					long seconds = Long.parseLong(nameAndValue[1].trim());
					return (seconds >= 0 && seconds < Integer.MAX_VALUE) ? seconds : null;
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
		return null;
	}

	public long getMaxIdleMillis() {
		return this.maxIdleMillis;
	}

	public long getHintMarginMillis() {
		return this.hintMarginMillis;
	}

	public boolean isRetry() {
		return this.retry;
	}

}
