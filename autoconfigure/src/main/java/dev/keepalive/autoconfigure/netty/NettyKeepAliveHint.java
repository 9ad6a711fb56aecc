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

package dev.keepalive.autoconfigure.netty;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveHint;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerConfig;
import reactor.netty.http.server.HttpServerState;

/**
 * Adds a {@code Keep-Alive: timeout=N} header, with the server's idle timeout in whole
 * seconds, to every HTTP/1.1 response that keeps the connection open. Reactor Netty never
 * sends this header itself, and sends none here when it has no idle timeout
 * ({@code server.netty.idle-timeout} unset): it never closes an idle connection then.
 * <p>
 * Reactor Netty's {@code HttpTrafficHandler} makes the final keep-alive decision as the
 * response headers pass it on their way out: it sets {@code Connection: close} when the
 * application or the drain at shutdown asked for it ({@code keepAlive(false)}), when the
 * request did, when {@code maxKeepAliveRequests} is reached or when the body length is
 * not self-defined. An outbound handler placed between the HTTP codec and that handler
 * sees the response after this decision and before it is encoded, so it hints exactly the
 * responses whose {@code Connection} header keeps the connection open. It is added to a
 * connection's pipeline when its first request arrives, because with TLS and ALPN the
 * HTTP/1.1 codec only exists once HTTP/1.1 has been negotiated. The idle timeout is the
 * one the server was bound with, which is final.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class NettyKeepAliveHint implements ConnectionObserver {

	private static final String HANDLER_NAME = "keepalive.hint";

	private final Handler handler = new Handler();

	private NettyKeepAliveHint() {
	}

	/**
	 * Make the given server send the hint.
	 * @param httpServer the server, before it binds
	 * @return the server that sends the hint
	 */
	public static HttpServer install(HttpServer httpServer) {
		NettyKeepAliveHint hint = new NettyKeepAliveHint();
		return httpServer.doOnBind((config) -> hint.handler.bound((HttpServerConfig) config)).childObserve(hint);
	}

	@Override
	public void onStateChange(Connection connection, State newState) {
		if (newState == HttpServerState.REQUEST_RECEIVED) {
			ChannelPipeline pipeline = connection.channel().pipeline();
			if (pipeline.get(HANDLER_NAME) == null
					&& pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
				pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, this.handler);
			}
		}
	}

	@ChannelHandler.Sharable
	private static final class Handler extends ChannelOutboundHandlerAdapter {

		private volatile String hint = "";

		void bound(HttpServerConfig config) {
			String value = KeepAliveHint.value(NettyConnectorTimeoutsReader.idleTimeoutMillis(config));
			this.hint = (value != null) ? value : "";
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof HttpResponse response && !this.hint.isEmpty()
					&& HttpVersion.HTTP_1_1.equals(response.protocolVersion())
					&& response.status().codeClass() != HttpStatusClass.INFORMATIONAL
					&& HttpUtil.isKeepAlive(response)) {
				response.headers().set(KeepAliveHint.HEADER_NAME, this.hint);
			}
			super.write(ctx, msg, promise);
		}

	}

}
