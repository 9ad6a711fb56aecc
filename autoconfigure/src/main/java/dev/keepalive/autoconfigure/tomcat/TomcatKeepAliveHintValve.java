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

package dev.keepalive.autoconfigure.tomcat;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.parser.TokenList;

/**
 * Makes Tomcat send its own {@code Keep-Alive: timeout=N} hint on every HTTP/1.1 response
 * that keeps the connection open, not only to clients that ask with
 * {@code Connection: keep-alive}.
 * <p>
 * Tomcat decides whether a connection stays open inside
 * {@code Http11Processor.prepareResponse}, which is final and runs when the response is
 * committed: it closes the connection for {@code maxKeepAliveRequests} (which the drain
 * at shutdown sets to 1), a {@code Connection: close} from the request or the
 * application, an error status, a body it cannot delimit or swallow. Only when the
 * connection stays open, and only if the request carries the {@code keep-alive}
 * connection token, does it add {@code Keep-Alive: timeout=} with its keep-alive timeout
 * in whole seconds ({@code keepAliveTimeout / 1000}, none when it never times out). This
 * valve adds that token to an HTTP/1.1 request that lacks it, before the application
 * runs, so that Tomcat's own decision and value apply to every response: no second copy
 * of the rules, and never a hint on a closing response or a duplicate header. The
 * application sees {@code Connection: keep-alive} among the request headers, which in
 * HTTP/1.1 states the default.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class TomcatKeepAliveHintValve extends ValveBase {

	private static final String CONNECTION = "Connection";

	private static final String KEEP_ALIVE = "keep-alive";

	public TomcatKeepAliveHintValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if ("HTTP/1.1".equals(request.getProtocol())) {
			MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
			if (!hasKeepAliveToken(headers)) {
				headers.addValue(CONNECTION).setString(KEEP_ALIVE);
			}
		}
		getNext().invoke(request, response);
	}

	private static boolean hasKeepAliveToken(MimeHeaders headers) throws IOException {
		if (headers.getValue(CONNECTION) == null) {
			return false;
		}
		Set<String> tokens = new HashSet<>();
		TokenList.parseTokenList(headers.values(CONNECTION), tokens);
		return tokens.contains(KEEP_ALIVE);
	}

}
