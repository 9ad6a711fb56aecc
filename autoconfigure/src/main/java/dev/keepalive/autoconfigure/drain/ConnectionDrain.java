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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveInspector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the application's web servers when the application context closes, before Spring
 * Boot's graceful shutdown. Readiness reports {@link ReadinessState#REFUSING_TRAFFIC
 * refusing traffic}, so that a load balancer that checks it stops routing, while every
 * server keeps its listener open and serves every request, on new and existing
 * connections alike. Each response retires its connection in-band
 * ({@code Connection: close}, or GOAWAY for HTTP/2), and no idle connection is closed:
 * the load balancer's idle timeout, which the starter keeps below the server's, retires
 * those. The drain ends when the application's server holds no connection and no request
 * has arrived for a second, or at {@code lb.drain.timeout}. A separate management server
 * drains alongside, but its traffic (health checks, scrapes) does not keep the drain
 * going.
 * <p>
 * It runs only when the context closes, not when it is merely stopped, in {@link #PHASE
 * the first phase to stop}: before graceful shutdown and before a separate management
 * server's context is closed, so both servers listen throughout.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class ConnectionDrain implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

	/**
	 * Lifecycle phase of the drain: {@link SmartLifecycle#DEFAULT_PHASE}, the first to
	 * stop (together with other beans of that phase), above
	 * {@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

	private static final long POLL_MILLIS = 100;

	private static final long QUIET_NANOS = Duration.ofSeconds(1).toNanos();

	private static final Log logger = LogFactory.getLog(ConnectionDrain.class);

	private final DrainPolicy policy;

	private final List<ServerDrainFactory> factories;

	private final ApplicationContext context;

	private final @Nullable ApplicationAvailability availability;

	private final Map<WebServer, String> webServers = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile State state = State.READY;

	public ConnectionDrain(DrainPolicy policy, List<ServerDrainFactory> factories, ApplicationContext context,
			@Nullable ApplicationAvailability availability) {
		this.policy = policy;
		this.factories = List.copyOf(factories);
		this.context = context;
		this.availability = availability;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		this.webServers.put(event.getWebServer(), KeepAliveInspector.webServerName(event));
	}

	@Override
	public void start() {
		this.running = true;
		logger.info(this.policy.describe());
		String shutdownWarning = this.policy.getShutdownWarning();
		if (shutdownWarning != null) {
			logger.warn(shutdownWarning);
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		if (!this.policy.isEnabled() || !isClosing()) {
			callback.run();
			return;
		}
		Thread thread = new Thread(() -> {
			try {
				drain();
			}
			catch (RuntimeException ex) {
				logger.warn("Drain failed, graceful shutdown follows", ex);
			}
			finally {
				this.state = State.DRAINED;
				callback.run();
			}
		}, "keepalive-drain");
		// A server write that blocks must not keep the JVM alive once the context has
		// closed.
		thread.setDaemon(true);
		thread.start();
	}

	private boolean isClosing() {
		return this.context instanceof ConfigurableApplicationContext configurable && configurable.isClosed();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	/**
	 * Return the state of the drain.
	 * @return the state
	 */
	public State getState() {
		return this.state;
	}

	/**
	 * Return the number of connections the application's web servers hold open.
	 * @return the number of open connections, or {@link ServerDrain#UNKNOWN}
	 */
	public long getOpenConnections() {
		return openConnections(serverDrains());
	}

	/**
	 * Return the number of connections each of the application's web servers holds open.
	 * @return the number of open connections, or {@link ServerDrain#UNKNOWN}, by web
	 * server name: {@code application}, or {@code management} for a separate management
	 * server
	 */
	public Map<String, Long> getOpenConnectionsByWebServer() {
		Map<String, Long> open = new LinkedHashMap<>();
		serverDrains().forEach((name, drain) -> open.merge(name, drain.openConnections(), ConnectionDrain::sum));
		return open;
	}

	/**
	 * Return the policy the drain follows.
	 * @return the policy
	 */
	public DrainPolicy getPolicy() {
		return this.policy;
	}

	private void drain() {
		long start = System.nanoTime();
		long deadline = start + Duration.ofMillis(this.policy.getTimeoutMillis()).toNanos();
		Map<String, ServerDrain> drains = serverDrains();
		if (drains.isEmpty()) {
			logger.info("No web server to drain");
			return;
		}
		// The load balancer's traffic goes to the application's server. A separate
		// management server drains too, but its health checks and scrapes do not keep the
		// drain going.
		Map<String, ServerDrain> deciding = drains.containsKey(ConnectorTimeouts.APPLICATION)
				? Map.of(ConnectorTimeouts.APPLICATION, drains.get(ConnectorTimeouts.APPLICATION)) : drains;
		this.state = State.DRAINING;
		refuseTraffic();
		drains.values().forEach(ServerDrain::startDraining);
		logger.info("Draining " + drains.keySet() + " for at most " + this.policy.getTimeoutMillis() + "ms ("
				+ this.policy.getTimeoutSource() + "): readiness refuses traffic, the servers keep serving and close "
				+ "each connection after its next response; " + describeOpen(drains) + " open");
		long firstRequestCount = requestCount(deciding);
		long requests = firstRequestCount;
		long lastRequest = Long.MIN_VALUE;
		boolean drained = false;
		try {
			long now = start;
			while (now < deadline) {
				Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, Duration.ofNanos(deadline - now).toMillis())));
				drains.values().forEach(ServerDrain::retireHttp2Connections);
				now = System.nanoTime();
				long count = requestCount(deciding);
				if (count != requests) {
					requests = count;
					lastRequest = now;
				}
				// Each response closes its connection, so a server that the load balancer
				// still sends requests to holds no connection between two of them: only a
				// quiet second shows that it has stopped.
				long quietSince = (lastRequest != Long.MIN_VALUE) ? lastRequest : start;
				if (now < deadline && now - quietSince >= QUIET_NANOS && isDrained(deciding)) {
					drained = true;
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long end = System.nanoTime();
		this.state = State.DRAINED;
		log(drains, Duration.ofNanos(end - start).toMillis(), drained, requests - firstRequestCount,
				(lastRequest != Long.MIN_VALUE) ? end - lastRequest : -1);
	}

	private void log(Map<String, ServerDrain> drains, long tookMillis, boolean drained, long served,
			long sinceLastRequestNanos) {
		boolean lastSecond = sinceLastRequestNanos >= 0 && sinceLastRequestNanos < QUIET_NANOS;
		String requests = "requests served during the drain: " + served + ", "
				+ (lastSecond
						? "still arriving in its last second (the last "
								+ Duration.ofNanos(sinceLastRequestNanos).toMillis() + "ms before its end)"
						: "none in its last second");
		if (drained) {
			logger.info("Drain finished after " + tookMillis + "ms: no connection is open and no request arrived in "
					+ "its last second; requests served during the drain: " + served);
		}
		else if (!lastSecond) {
			logger.info("Drain ended after " + tookMillis + "ms (" + this.policy.getTimeoutSource() + " "
					+ this.policy.getTimeoutMillis() + "ms) with " + describeOpen(drains) + " still open; " + requests);
		}
		else {
			logger.warn("Drain ended after " + tookMillis + "ms (" + this.policy.getTimeoutSource() + " "
					+ this.policy.getTimeoutMillis() + "ms) with " + describeOpen(drains) + " still open; " + requests
					+ ": the load balancer still routes to this instance, and connections it opens once graceful "
					+ "shutdown has closed the listener are refused. Make it stop routing sooner (readiness "
					+ "probe, deregistration), or raise " + DrainPolicy.TIMEOUT_PROPERTY);
		}
	}

	private void refuseTraffic() {
		if (this.availability == null || this.availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	private Map<String, ServerDrain> serverDrains() {
		Map<String, ServerDrain> drains = new LinkedHashMap<>();
		this.webServers.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue(KeepAliveInspector.WEB_SERVER_ORDER))
			.forEach((entry) -> {
				ServerDrain drain = create(entry.getKey());
				if (drain != null) {
					drains.put(entry.getValue(), drain);
				}
			});
		return drains;
	}

	private @Nullable ServerDrain create(WebServer webServer) {
		for (ServerDrainFactory factory : this.factories) {
			ServerDrain drain = factory.create(webServer);
			if (drain != null) {
				return drain;
			}
		}
		return null;
	}

	private static String describeOpen(Map<String, ServerDrain> drains) {
		return drains.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ": " + describe(entry.getValue().openConnections()))
			.collect(Collectors.joining(", ", "connections ", ""));
	}

	private static String describe(long open) {
		return (open != ServerDrain.UNKNOWN) ? String.valueOf(open) : "unknown";
	}

	private static boolean isDrained(Map<String, ServerDrain> drains) {
		return drains.values().stream().allMatch(ServerDrain::isDrained);
	}

	private static long openConnections(Map<String, ServerDrain> drains) {
		return drains.values().stream().mapToLong(ServerDrain::openConnections).reduce(0, ConnectionDrain::sum);
	}

	private static long sum(long a, long b) {
		return (a == ServerDrain.UNKNOWN || b == ServerDrain.UNKNOWN) ? ServerDrain.UNKNOWN : a + b;
	}

	private static long requestCount(Map<String, ServerDrain> drains) {
		return drains.values().stream().mapToLong(ServerDrain::requestCount).sum();
	}

	/**
	 * The state of the drain.
	 */
	public enum State {

		/**
		 * The application runs; no drain has started.
		 */
		READY,

		/**
		 * The application is shutting down and the servers are draining.
		 */
		DRAINING,

		/**
		 * The drain has ended; graceful shutdown follows.
		 */
		DRAINED

	}

}
