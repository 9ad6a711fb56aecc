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

package dev.keepalive.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveAssessment;
import dev.keepalive.autoconfigure.KeepAliveInspector;
import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.drain.ConnectionDrain;
import dev.keepalive.autoconfigure.drain.ServerDrain;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Gauges for the load balancer idle timeout, each connector's effective keep-alive and
 * header timeouts (read from the running server at every read of the gauge), and
 * {@code keepalive.inverted}, which is 1 while a timeout does not outlast the load
 * balancer. A timeout that never expires reads as positive infinity. With the connection
 * * drain, {@code keepalive.drain.connections} (the connections each web server holds
 * open) and {@code keepalive.drain.active} (1 while draining).
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class KeepAliveMetrics implements MeterBinder, ApplicationListener<WebServerInitializedEvent> {

	private final KeepAliveInspector inspector;

	private final @Nullable ConnectionDrain drain;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	public KeepAliveMetrics(KeepAliveInspector inspector, @Nullable ConnectionDrain drain) {
		this.inspector = inspector;
		this.drain = drain;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		KeepAlivePolicy policy = this.inspector.getPolicy();
		if (policy.isConfigured()) {
			TimeGauge.builder("keepalive.lb.idle.timeout", policy, TimeUnit.MILLISECONDS, this::idleTimeout)
				.tag("source", String.valueOf(policy.getIdleTimeoutSource()))
				.tag("provider", (policy.getProvider() != null) ? policy.getProvider().getId() : "none")
				.description("Idle timeout of the load balancer's pooled connections")
				.register(registry);
		}
		Gauge.builder("keepalive.inverted", this.inspector, this::inverted)
			.description("1 while a server timeout does not outlast the load balancer's idle timeout, else 0")
			.register(registry);
		if (this.drain != null) {
			Gauge
				.builder("keepalive.drain.active", this.drain,
						(drain) -> (drain.getState() == ConnectionDrain.State.DRAINING) ? 1 : 0)
				.description("1 while the web servers drain their connections at shutdown, else 0")
				.register(registry);
		}
	}

	private static double openConnections(ConnectionDrain drain, String webServer) {
		Long open = drain.getOpenConnectionsByWebServer().get(webServer);
		return (open != null && open != ServerDrain.UNKNOWN) ? open : Double.NaN;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		this.registries.forEach((registry) -> bindConnectors(registry, event));
	}

	private void bindConnectors(MeterRegistry registry, WebServerInitializedEvent event) {
		WebServer webServer = event.getWebServer();
		String name = KeepAliveInspector.webServerName(event);
		ConnectionDrain drain = this.drain;
		if (drain != null) {
			Gauge.builder("keepalive.drain.connections", drain, (candidate) -> openConnections(candidate, name))
				.tag("web.server", name)
				.description("Connections a web server holds open; the drain at shutdown ends when the "
						+ "application's is at 0")
				.register(registry);
		}
		for (ConnectorTimeouts connector : this.inspector.getConnectors(webServer, name)) {
			Tags tags = Tags.of("web.server", name, "server", connector.server(), "port",
					String.valueOf(connector.port()), "protocol", connector.protocol());
			register(registry, "keepalive.server.keepalive.timeout",
					"Time a server connection is kept open idle between requests", tags, webServer, name, connector,
					ConnectorTimeouts::keepAliveTimeoutMillis);
			register(registry, "keepalive.server.header.timeout",
					"Time a server connection waits for a request's first line and headers", tags, webServer, name,
					connector, ConnectorTimeouts::headerTimeoutMillis);
		}
	}

	private void register(MeterRegistry registry, String meterName, String description, Tags tags, WebServer webServer,
			String name, ConnectorTimeouts connector, ToDoubleFunction<ConnectorTimeouts> value) {
		TimeGauge.builder(meterName, () -> current(webServer, name, connector, value), TimeUnit.MILLISECONDS)
			.tags(tags)
			.description(description)
			.register(registry);
	}

	private double current(WebServer webServer, String name, ConnectorTimeouts connector,
			ToDoubleFunction<ConnectorTimeouts> value) {
		return this.inspector.getConnectors(webServer, name)
			.stream()
			.filter((candidate) -> candidate.port() == connector.port()
					&& candidate.protocol().equals(connector.protocol()))
			.mapToDouble(value)
			.map((millis) -> (millis == ConnectorTimeouts.NEVER) ? Double.POSITIVE_INFINITY : millis)
			.findFirst()
			.orElse(Double.NaN);
	}

	private double idleTimeout(KeepAlivePolicy policy) {
		Long idleTimeout = policy.getIdleTimeoutMillis();
		return (idleTimeout != null) ? idleTimeout : Double.NaN;
	}

	private double inverted(KeepAliveInspector inspector) {
		return (inspector.assess().status() == KeepAliveAssessment.Status.INVERTED) ? 1 : 0;
	}

}
