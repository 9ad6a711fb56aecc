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

import org.jspecify.annotations.Nullable;

/**
 * The {@code Keep-Alive: timeout=N} response header that tells an HTTP/1.1 client how
 * long the server keeps an idle connection open, so that the client stops reusing it
 * before the server closes it. The value is the server's keep-alive timeout rounded down
 * to whole seconds, so it never promises more than the server keeps.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class KeepAliveHint {

	/**
	 * Name of the header.
	 */
	public static final String HEADER_NAME = "Keep-Alive";

	private KeepAliveHint() {
	}

	/**
	 * Return the header's value for the given keep-alive timeout.
	 * @param keepAliveTimeoutMillis the keep-alive timeout the server applies to an idle
	 * connection, zero or negative if it never times one out
	 * @return the value, such as {@code timeout=65}, or {@code null} if the server never
	 * times an idle connection out and there is nothing to hint
	 */
	public static @Nullable String value(long keepAliveTimeoutMillis) {
		return (keepAliveTimeoutMillis > 0) ? "timeout=" + keepAliveTimeoutMillis / 1000 : null;
	}

}
