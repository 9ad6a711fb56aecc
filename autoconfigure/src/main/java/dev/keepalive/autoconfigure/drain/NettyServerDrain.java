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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerState;

import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * {@link ServerDrain} for Reactor Netty. A running {@link NettyWebServer} exposes neither
 * its connections nor a hook per request, so {@link Servers#observe(HttpServer)} installs
 * one on every server before it binds: an observer that runs before the application's
 * handler for each request and, while draining, marks the HTTP/1.1 response not to keep
 * the connection alive, so that Reactor Netty sends {@code Connection: close} and closes
 * the connection after it. The connections are the channel group that Spring Boot gives
 * the server. HTTP/2 connections are retired with two GOAWAY frames, see
 * {@link #retireHttp2Connections()}.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public final class NettyServerDrain implements ServerDrain, ConnectionObserver {

	private static final long GOAWAY_GRACE_NANOS = Duration.ofSeconds(1).toNanos();

	private final AtomicLong requests = new AtomicLong();

	/**
	 * HTTP/2 connections sent a first GOAWAY, with the time it was sent.
	 */
	private final Map<Channel, Long> goingAway = new ConcurrentHashMap<>();

	private final Set<Channel> retired = ConcurrentHashMap.newKeySet();

	private volatile boolean draining;

	private volatile @Nullable ChannelGroup channels;

	private NettyServerDrain() {
	}

	@Override
	public void onStateChange(Connection connection, State newState) {
		if (newState == HttpServerState.REQUEST_RECEIVED && this.draining) {
			this.requests.incrementAndGet();
			if (connection instanceof HttpServerResponse response && isConnection(connection.channel())) {
				response.keepAlive(false);
			}
		}
	}

	@Override
	public void startDraining() {
		this.draining = true;
		retireHttp2Connections();
	}

	/**
	 * Retire HTTP/2 connections in two steps, as Tomcat and Jetty do: a first GOAWAY with
	 * the highest stream id tells the client to open no new stream while those already on
	 * their way are still processed; a second later, a GOAWAY with the last stream id
	 * actually received, and a close once the open streams have finished (Netty's
	 * graceful close, which sends no further GOAWAY).
	 */
	@Override
	public void retireHttp2Connections() {
		ChannelGroup channels = this.channels;
		if (channels == null) {
			return;
		}
		long now = System.nanoTime();
		for (Channel channel : channels) {
			if (isConnection(channel) && channel.pipeline().get(Http2FrameCodec.class) != null) {
				Long firstGoAway = this.goingAway.putIfAbsent(channel, now);
				if (firstGoAway == null) {
					channel.writeAndFlush(
							new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
				}
				else if (now - firstGoAway >= GOAWAY_GRACE_NANOS && this.retired.add(channel)) {
					channel.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
					channel.close();
				}
			}
		}
	}

	@Override
	public long openConnections() {
		ChannelGroup channels = this.channels;
		if (channels == null) {
			return UNKNOWN;
		}
		return channels.stream().filter(NettyServerDrain::isConnection).count();
	}

	@Override
	public long requestCount() {
		return this.requests.get();
	}

	/**
	 * Whether the channel is a connection rather than an HTTP/2 stream: the group holds
	 * both, and a stream's parent is its connection.
	 */
	private static boolean isConnection(Channel channel) {
		return channel.parent() instanceof ServerChannel;
	}

	/**
	 * The drains of the Reactor Netty servers of the application, by port.
	 */
	public static final class Servers {

		private final Map<Integer, NettyServerDrain> drains = new ConcurrentHashMap<>();

		/**
		 * Make the given server observable by the drain.
		 * @param httpServer the server, before it binds
		 * @return the observed server
		 */
		public HttpServer observe(HttpServer httpServer) {
			NettyServerDrain drain = new NettyServerDrain();
			return httpServer.childObserve(drain)
				.doOnBind((config) -> drain.channels = config.channelGroup())
				.doOnBound((server) -> this.drains.put(server.port(), drain));
		}

		/**
		 * Return the drain of the given server if it is a Reactor Netty server observed
		 * by {@link #observe(HttpServer)}.
		 * @param webServer the running web server
		 * @return the drain, or {@code null}
		 */
		public @Nullable ServerDrain drainOf(WebServer webServer) {
			return (webServer instanceof NettyWebServer) ? this.drains.get(webServer.getPort()) : null;
		}

	}

}
