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

import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.keepalive.autoconfigure.RawHttpConnection;
import org.junit.jupiter.api.Test;

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

	@Test
	void managementServerIsAdjustedAndListed() throws Exception {
		try (ConfigurableApplicationContext context = run("adjust")) {
			int managementPort = managementPort(context);
			String json = get(managementPort, "/actuator/keepalive");
			assertThat(JsonPath.parse(json).<String>read("$.status")).isEqualTo("OK");
			List<Map<String, Object>> connectors = JsonPath.parse(json).read("$.connectors");
			assertThat(connectors).extracting((connector) -> connector.get("webServer"))
				.containsExactly("application", "management");
			assertThat(connectors).extracting((connector) -> connector.get("port"))
				.containsExactly(applicationPort(context), managementPort);
			assertThat(connectors).allSatisfy((connector) -> {
				assertThat(connector).containsEntry("keepAliveTimeoutMillis", 5_000);
				assertThat(connector).containsEntry("headerTimeoutMillis", 8_000);
			});
			assertThat(answersAgainAfterIdle(managementPort)).isTrue();
		}
	}

	@Test
	void reportModeLeavesManagementConnectionThatDiesBeforeLoadBalancerIdleTimeout() throws Exception {
		try (ConfigurableApplicationContext context = run("report")) {
			int managementPort = managementPort(context);
			String json = get(managementPort, "/actuator/keepalive");
			assertThat(JsonPath.parse(json).<List<String>>read("$.warnings"))
				.anySatisfy((warning) -> assertThat(warning).startsWith("management tomcat connector on port "));
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

	private static ConfigurableApplicationContext run(String mode) {
		return SpringApplication.run(SampleApplication.class, "--server.port=0", "--management.server.port=0",
				"--spring.autoconfigure.exclude="
						+ "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration,"
						+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server."
						+ "JettyServletManagementContextAutoConfiguration",
				"--lb.idle-timeout=2", "--lb.keep-alive-margin=3s", "--lb.header-timeout-margin=3s",
				"--server.tomcat.keep-alive-timeout=1s", "--server.tomcat.connection-timeout=1s", "--lb.mode=" + mode);
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
