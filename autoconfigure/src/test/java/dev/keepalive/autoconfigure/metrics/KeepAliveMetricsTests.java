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

import java.util.concurrent.TimeUnit;

import dev.keepalive.autoconfigure.KeepAliveAutoConfiguration;
import dev.keepalive.autoconfigure.RawHttpConnection;
import dev.keepalive.autoconfigure.drain.KeepAliveDrainAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeepAliveMetrics} on a real, started Tomcat.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveMetricsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(
				AutoConfigurations.of(TomcatServletWebServerAutoConfiguration.class, KeepAliveAutoConfiguration.class,
						KeepAliveDrainAutoConfiguration.class, KeepAliveMetricsAutoConfiguration.class,
						MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("server.port=0");

	@Test
	void gaugesReportDeclaredAndEffectiveTimeouts() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.http2.enabled=true").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TimeGauge idle = registry.get("keepalive.lb.idle.timeout").tag("source", "lb.idle-timeout").timeGauge();
			assertThat(idle.value(TimeUnit.SECONDS)).isEqualTo(60);
			assertThat(keepAlive(registry, "HTTP/1.1")).isEqualTo(65);
			assertThat(keepAlive(registry, "h2c")).isEqualTo(65);
			assertThat(registry.get("keepalive.server.header.timeout")
				.tags("web.server", "application", "server", "tomcat", "protocol", "HTTP/1.1", "port",
						String.valueOf(port(context)))
				.timeGauge()
				.value(TimeUnit.SECONDS)).isEqualTo(70);
			assertThat(registry.get("keepalive.inverted").gauge().value()).isZero();
		});
	}

	@Test
	void gaugesReadTheRunningServer() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TomcatWebServer webServer = (TomcatWebServer) ((WebServerApplicationContext) context
				.getSourceApplicationContext()).getWebServer();
			((AbstractProtocol<?>) webServer.getTomcat().getConnector().getProtocolHandler())
				.setKeepAliveTimeout(30_000);
			assertThat(keepAlive(registry, "HTTP/1.1")).isEqualTo(30);
			assertThat(registry.get("keepalive.inverted").gauge().value()).isOne();
		});
	}

	@Test
	void timeoutThatNeverExpiresReadsAsInfinity() {
		this.contextRunner.withPropertyValues("lb.idle-timeout=60", "server.tomcat.keep-alive-timeout=-1")
			.run((context) -> assertThat(keepAlive(context.getBean(MeterRegistry.class), "HTTP/1.1"))
				.isEqualTo(Double.POSITIVE_INFINITY));
	}

	@Test
	void withoutIdleTimeoutThereIsNoIdleTimeoutGauge() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("keepalive.lb.idle.timeout").meter()).isNull();
			assertThat(registry.get("keepalive.inverted").gauge().value()).isZero();
			assertThat(keepAlive(registry, "HTTP/1.1")).isEqualTo(60);
		});
	}

	@Test
	void drainGaugesCountOpenConnections() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("keepalive.drain.active").gauge().value()).isZero();
			assertThat(drainConnections(registry)).isZero();
			try (RawHttpConnection connection = new RawHttpConnection(port(context))) {
				connection.exchange("/");
				assertThat(drainConnections(registry)).isOne();
			}
		});
	}

	@Test
	void drainGaugeIsOneWhileDraining() {
		this.contextRunner.withPropertyValues("lb.drain.enabled=true", "lb.drain.timeout=3s").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (RawHttpConnection connection = new RawHttpConnection(port(context))) {
				connection.exchange("/");
				Thread closing = new Thread(context.getSourceApplicationContext()::close);
				closing.start();
				Thread.sleep(1_000);
				assertThat(registry.get("keepalive.drain.active").gauge().value()).isOne();
				closing.join(10_000);
			}
		});
	}

	private static double drainConnections(MeterRegistry registry) {
		return registry.get("keepalive.drain.connections").tag("web.server", "application").gauge().value();
	}

	private static double keepAlive(MeterRegistry registry, String protocol) {
		return registry.get("keepalive.server.keepalive.timeout")
			.tags("server", "tomcat", "protocol", protocol)
			.timeGauge()
			.value(TimeUnit.SECONDS);
	}

	private static int port(AssertableWebApplicationContext context) {
		return ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
	}

}
