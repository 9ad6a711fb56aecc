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

import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Retries a request once when the connection it was sent on was lost before any byte of
 * the response arrived, if the method is safe to repeat and the client stack does not
 * retry it by itself. The body is the buffered byte array of an intercepted request, so
 * it is sent again unchanged. Any other failure, and the retry's own, reaches the caller
 * unchanged.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveRetryInterceptor implements ClientHttpRequestInterceptor {

	private static final Log logger = LogFactory.getLog(KeepAliveRetryInterceptor.class);

	private final ClientStack stack;

	private final KeepAliveClientEvents events;

	KeepAliveRetryInterceptor(ClientStack stack, KeepAliveClientEvents events) {
		this.stack = stack;
		this.events = events;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		try {
			return execution.execute(request, body);
		}
		catch (IOException ex) {
			if (!this.stack.isRetriedByStarter(request.getMethod(), false) || !ConnectionLoss.beforeResponse(ex)) {
				throw ex;
			}
			logger.debug(LogMessage.format("Retrying %s %s once: the connection was lost before the response (%s)",
					request.getMethod(), request.getURI(), ex));
			this.events.retried(KeepAliveClientEvents.REST_CLIENT, this.stack);
			return execution.execute(request, body);
		}
	}

}
