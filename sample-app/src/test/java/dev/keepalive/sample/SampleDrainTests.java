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

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.keepalive.autoconfigure.RawHttpConnection;
import dev.keepalive.autoconfigure.RawHttpConnection.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for the drain at shutdown in the whole sample application, with a separate
 * management server: both servers keep serving with {@code Connection: close} while
 * {@code /actuator/health/readiness} answers 503 and {@code /actuator/keepalive} shows
 * the drain under way.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class SampleDrainTests {

	@ParameterizedTest
	@EnumSource(SampleManagementServerTests.Server.class)
	void applicationAndManagementServersDrainTogether(SampleManagementServerTests.Server server) throws Exception {
		ConfigurableApplicationContext context = run(server, true);
		int applicationPort = ((WebServerApplicationContext) context).getWebServer().getPort();
		int managementPort = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
		try (RawHttpConnection pooledApplication = new RawHttpConnection(applicationPort);
				RawHttpConnection pooledManagement = new RawHttpConnection(managementPort)) {
			assertThat(pooledApplication.get("/")).isEqualTo("hello");
			assertThat(exchange(managementPort, "/actuator/health/readiness").status()).isEqualTo(200);
			assertThat(pooledManagement.exchange("/actuator/health").status()).isEqualTo(200);
			Thread closing = closeInBackground(context);
			Thread.sleep(1_000);
			Response readiness = exchange(managementPort, "/actuator/health/readiness");
			assertThat(readiness.status()).isEqualTo(503);
			assertThat(readiness.header("Connection")).isEqualToIgnoringCase("close");
			Response application = exchange(applicationPort, "/");
			assertThat(application.body()).isEqualTo("hello");
			assertThat(application.header("Connection")).isEqualToIgnoringCase("close");
			DocumentContext keepAlive = JsonPath.parse(exchange(managementPort, "/actuator/keepalive").body());
			assertThat(keepAlive.read("$.drain.state", String.class)).isEqualTo("DRAINING");
			assertThat(keepAlive.read("$.drain.openConnections", Long.class)).isGreaterThanOrEqualTo(2);
			closing.join(30_000);
			assertThat(closing.isAlive()).isFalse();
		}
	}

	@ParameterizedTest
	@EnumSource(SampleManagementServerTests.Server.class)
	void withoutDrainTheApplicationRefusesConnectionsAsSoonAsItShutsDown(SampleManagementServerTests.Server server)
			throws Exception {
		ConfigurableApplicationContext context = run(server, false);
		int applicationPort = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (RawHttpConnection pooledApplication = new RawHttpConnection(applicationPort)) {
			assertThat(pooledApplication.get("/")).isEqualTo("hello");
			Thread closing = closeInBackground(context);
			Thread.sleep(1_000);
			assertThatIOException().isThrownBy(() -> exchange(applicationPort, "/"));
			closing.join(30_000);
		}
	}

	private static ConfigurableApplicationContext run(SampleManagementServerTests.Server server, boolean drain) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.autoconfigure.exclude=" + server.otherServersAutoConfigurations,
				"--management.endpoint.health.probes.enabled=true", "--lb.idle-timeout=2",
				"--lb.drain.enabled=" + drain, "--lb.drain.timeout=3s"));
		return SpringApplication.run(SampleApplication.class, args.toArray(String[]::new));
	}

	private static Thread closeInBackground(ConfigurableApplicationContext context) {
		Thread thread = new Thread(context::close, "test-shutdown");
		thread.start();
		return thread;
	}

	private static Response exchange(int port, String path) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			return connection.exchange(path);
		}
	}

}
