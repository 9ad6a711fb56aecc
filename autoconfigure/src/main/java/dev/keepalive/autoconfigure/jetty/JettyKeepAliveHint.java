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

package dev.keepalive.autoconfigure.jetty;

import dev.keepalive.autoconfigure.KeepAliveHint;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;

/**
 * Adds a {@code Keep-Alive: timeout=N} header, with the connector's idle timeout in whole
 * seconds, to every HTTP/1.1 response that keeps the connection open. Jetty never sends
 * this header itself.
 * <p>
 * As an {@link HttpConfiguration.Customizer} it runs before the request is handled, too
 * early to know whether the connection will stay open. It wraps the request's
 * {@link HttpStream} instead, whose {@code prepareResponse} runs when the response is
 * committed, right before Jetty's {@code HttpGenerator} writes the headers: by then the
 * connection knows whether it is still persistent (a {@code Connection: close} request,
 * an unread request body, a bad message), the response headers hold any
 * {@code Connection: close} from the application or the drain at shutdown, and the
 * connector knows whether it is shutting down. A response to a request that expects
 * {@code 100-continue} gets no hint, because Jetty may still close that connection while
 * it sends the response. The idle timeout is read from the connector each time: between
 * requests Jetty applies the connector's idle timeout to the connection.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class JettyKeepAliveHint implements HttpConfiguration.Customizer {

	@Override
	public Request customize(Request request, HttpFields.Mutable responseHeaders) {
		if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
				&& !request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
			request.addHttpStreamWrapper((stream) -> new HintingStream(stream, request.getConnectionMetaData()));
		}
		return request;
	}

	private static final class HintingStream extends HttpStream.Wrapper {

		private final ConnectionMetaData connection;

		HintingStream(HttpStream wrapped, ConnectionMetaData connection) {
			super(wrapped);
			this.connection = connection;
		}

		@Override
		public void prepareResponse(HttpFields.Mutable headers) {
			super.prepareResponse(headers);
			if (this.connection.isPersistent() && !this.connection.getConnector().isShutdown()
					&& !headers.contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString())
					&& !headers.contains(HttpHeader.CONNECTION, HttpHeaderValue.UPGRADE.asString())) {
				String hint = KeepAliveHint.value(this.connection.getConnector().getIdleTimeout());
				if (hint != null) {
					headers.put(new HttpField(HttpHeader.KEEP_ALIVE, hint));
				}
			}
		}

	}

}
