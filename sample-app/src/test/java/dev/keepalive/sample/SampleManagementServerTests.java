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

package dev.keepalive.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.keepalive.autoconfigure.RawHttpConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for a separate management server ({@code management.server.port}), which some
 * load balancers send health checks or traffic to. Scaled down like the autoconfigure
 * module's wire tests: load balancer idle timeout 2 s, server timeouts 1 s, margins 3 s,
 * idle waits 3 s.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class SampleManagementServerTests {

	@ParameterizedTest
	@EnumSource(Server.class)
	void managementServerIsAdjustedAndListed(Server server) throws Exception {
		try (ConfigurableApplicationContext context = run(server, "adjust")) {
			int managementPort = managementPort(context);
			String json = get(managementPort, "/actuator/keepalive");
			assertThat(JsonPath.parse(json).<String>read("$.status")).isEqualTo("OK");
			List<Map<String, Object>> connectors = JsonPath.parse(json).read("$.connectors");
			assertThat(connectors).extracting((connector) -> connector.get("webServer"))
				.containsExactly("application", "management");
			assertThat(connectors).extracting((connector) -> connector.get("port"))
				.containsExactly(applicationPort(context), managementPort);
			assertThat(connectors).allSatisfy((connector) -> {
				assertThat(connector).containsEntry("server", server.id);
				assertThat(connector).containsEntry("keepAliveTimeoutMillis", 5_000);
				assertThat(connector).containsEntry("headerTimeoutMillis", server.headerTimeout);
			});
			assertThat(answersAgainAfterIdle(managementPort)).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(Server.class)
	void reportModeLeavesManagementConnectionThatDiesBeforeLoadBalancerIdleTimeout(Server server) throws Exception {
		try (ConfigurableApplicationContext context = run(server, "report")) {
			int managementPort = managementPort(context);
			String json = get(managementPort, "/actuator/keepalive");
			assertThat(JsonPath.parse(json).<List<String>>read("$.warnings")).anySatisfy(
					(warning) -> assertThat(warning).startsWith("management " + server.id + " connector on port "));
			assertThat(answersAgainAfterIdle(managementPort)).isFalse();
		}
	}

	private static boolean answersAgainAfterIdle(int port) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.get("/actuator/health");
			Thread.sleep(3_000);
			try {
				connection.get("/actuator/health");
				return true;
			}
			catch (java.io.IOException ex) {
				return false;
			}
		}
	}

	private static ConfigurableApplicationContext run(Server server, String mode) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.autoconfigure.exclude=" + server.otherServersAutoConfigurations, "--lb.idle-timeout=2",
				"--lb.keep-alive-margin=3s", "--lb.header-timeout-margin=3s", "--lb.mode=" + mode));
		args.addAll(List.of(server.tooLowTimeouts));
		return SpringApplication.run(SampleApplication.class, args.toArray(String[]::new));
	}

	/**
	 * The servers under test, each picked by excluding the other one's
	 * auto-configuration, with its timeouts set to 1 s.
	 */
	enum Server {

		TOMCAT("tomcat", 8_000,
				"org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration,"
						+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration",
				"--server.tomcat.keep-alive-timeout=1s", "--server.tomcat.connection-timeout=1s"),

		JETTY("jetty", 5_000,
				"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration,"
						+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration",
				"--server.jetty.connection-idle-timeout=1s");

		private final String id;

		private final int headerTimeout;

		final String otherServersAutoConfigurations;

		private final String[] tooLowTimeouts;

		Server(String id, int headerTimeout, String otherServersAutoConfigurations, String... tooLowTimeouts) {
			this.id = id;
			this.headerTimeout = headerTimeout;
			this.otherServersAutoConfigurations = otherServersAutoConfigurations;
			this.tooLowTimeouts = tooLowTimeouts;
		}

	}

	private static String get(int port, String path) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			return connection.get(path);
		}
	}

	private static int applicationPort(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static int managementPort(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
	}

}
