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

import org.apache.hc.client5.http.ConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * Apache HttpClient 5's keep-alive strategy with the starter's bound: the server's
 * {@code Keep-Alive} timeout hint minus the margin, otherwise the maximum idle time. A
 * connection keep-alive that the application set in its {@link RequestConfig} (HttpClient
 * keeps 3 minutes by default) is used instead of the maximum idle time. Used by the
 * classic and the async client.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class HttpComponentsKeepAliveStrategy implements ConnectionKeepAliveStrategy {

	private final ClientKeepAlivePolicy policy;

	HttpComponentsKeepAliveStrategy(ClientKeepAlivePolicy policy) {
		this.policy = policy;
	}

	@Override
	public TimeValue getKeepAliveDuration(HttpResponse response, HttpContext context) {
		Header hint = response.getFirstHeader(HttpHeaders.KEEP_ALIVE);
		if (hint == null) {
			RequestConfig requestConfig = HttpClientContext.castOrCreate(context).getRequestConfigOrDefault();
			TimeValue keepAlive = requestConfig.getConnectionKeepAlive();
			if (keepAlive != null && !keepAlive.equals(RequestConfig.DEFAULT.getConnectionKeepAlive())) {
				return keepAlive;
			}
		}
		return TimeValue.ofMilliseconds(this.policy.idleBoundMillis((hint != null) ? hint.getValue() : null));
	}

}
