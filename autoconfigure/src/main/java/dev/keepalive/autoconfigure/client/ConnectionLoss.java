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

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;

/**
 * Recognizes the failures of a request whose connection was closed or reset by the server
 * before any byte of the response arrived: what a client sees when it reuses a pooled
 * connection that the server has just closed.
 *
 * @author keepalive-spring-boot-starter contributors
 */
final class ConnectionLoss {

	private static final Set<String> NO_RESPONSE_TYPES = Set.of("org.apache.hc.core5.http.NoHttpResponseException",
			"org.apache.hc.core5.http.ConnectionClosedException",
			"jdk.internal.net.http.common.ConnectionExpiredException");

	private static final String PREMATURE_CLOSE = "reactor.netty.http.client.PrematureCloseException";

	private ConnectionLoss() {
	}

	/**
	 * Whether the failure, or one of its causes, shows that the connection was lost
	 * before any byte of the response arrived.
	 * @param failure the failure of a request
	 * @return {@code true} for a reset, an end of stream, a broken pipe or a premature
	 * close before the response
	 */
	static boolean beforeResponse(Throwable failure) {
		Throwable candidate = failure;
		for (int depth = 0; candidate != null && depth < 10; depth++) {
			String type = candidate.getClass().getName();
			String message = String.valueOf(candidate.getMessage()).toLowerCase(Locale.ROOT);
			if (type.equals(PREMATURE_CLOSE)) {
				return message.contains("before response");
			}
			if (NO_RESPONSE_TYPES.contains(type) || candidate instanceof EOFException
					|| candidate instanceof ClosedChannelException) {
				return true;
			}
			if (candidate instanceof IOException && (message.contains("connection reset")
					|| message.contains("broken pipe") || message.contains("header parser received no bytes"))) {
				return true;
			}
			candidate = (candidate.getCause() != candidate) ? candidate.getCause() : null;
		}
		return false;
	}

}
