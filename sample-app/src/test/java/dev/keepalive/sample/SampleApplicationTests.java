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

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample application on Tomcat: the user's three steps (dependency,
 * {@code lb.idle-timeout=60s}, request) give a correct {@code /actuator/keepalive}. Both
 * servers are on the test class path (see the pom), so Jetty is excluded here.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.autoconfigure.exclude="
				+ "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration")
@AutoConfigureTestRestTemplate
class SampleApplicationTests {

	@Autowired
	private TestRestTemplate restTemplate;

	@LocalServerPort
	private int port;

	@Test
	void keepAliveEndpointReportsRaisedTomcatTimeouts() {
		ResponseEntity<String> response = this.restTemplate
			.exchange(RequestEntity.get("/actuator/keepalive").accept(MediaType.ALL).build(), String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getHeaders().getContentType()).hasToString("application/vnd.spring-boot.actuator.v3+json");
		DocumentContext json = JsonPath.parse(response.getBody());
		assertThat(json.read("$.status", String.class)).isEqualTo("OK");
		assertThat(json.read("$.mode", String.class)).isEqualTo("adjust");
		assertThat(json.read("$.lbIdleTimeoutMillis", Long.class)).isEqualTo(60_000);
		assertThat(json.read("$.lbIdleTimeoutSource", String.class)).isEqualTo("lb.idle-timeout");
		assertThat(json.read("$", Map.class)).containsEntry("provider", null).containsEntry("providerNote", null);
		assertThat(json.read("$.keepAliveHint", Boolean.class)).isTrue();
		assertThat(json.read("$.connectors.length()", Integer.class)).isOne();
		assertThat(json.read("$.connectors[0].webServer", String.class)).isEqualTo("application");
		assertThat(json.read("$.connectors[0].server", String.class)).isEqualTo("tomcat");
		assertThat(json.read("$.connectors[0].port", Integer.class)).isEqualTo(this.port);
		assertThat(json.read("$.connectors[0].protocol", String.class)).isEqualTo("HTTP/1.1");
		assertThat(json.read("$.connectors[0].keepAliveTimeoutMillis", Long.class)).isEqualTo(65_000);
		assertThat(json.read("$.connectors[0].headerTimeoutMillis", Long.class)).isEqualTo(70_000);
		assertThat(json.read("$.warnings.length()", Integer.class)).isZero();
		assertThat(json.read("$.drain.enabled", Boolean.class)).isFalse();
		assertThat(json.read("$.drain.enabledReason", String.class)).startsWith("no cloud platform detected");
		assertThat(json.read("$.drain.timeoutMillis", Long.class)).isEqualTo(15_000);
		assertThat(json.read("$.drain.timeoutSource", String.class)).isEqualTo("default");
		assertThat(json.read("$.drain.state", String.class)).isEqualTo("READY");
		assertThat(json.read("$.drain.openConnections", Long.class)).isNotNegative();
	}

	@Test
	void keepAliveEndpointDescribesTheHttpClients() {
		ResponseEntity<String> response = this.restTemplate
			.exchange(RequestEntity.get("/actuator/keepalive").accept(MediaType.ALL).build(), String.class);
		DocumentContext json = JsonPath.parse(response.getBody());
		assertThat(json.read("$.clients", Map.class)).containsOnlyKeys("maxIdleMillis", "hintMarginMillis", "retry",
				"stacks");
		assertThat(json.read("$.clients.maxIdleMillis", Long.class)).isEqualTo(4000);
		assertThat(json.read("$.clients.hintMarginMillis", Long.class)).isEqualTo(1000);
		assertThat(json.read("$.clients.retry", Boolean.class)).isTrue();
		List<Map<String, Object>> stacks = json.read("$.clients.stacks");
		assertThat(stacks).isNotEmpty()
			.allSatisfy((stack) -> assertThat(stack).containsOnlyKeys("api", "client", "idleBoundMillis",
					"keepAliveHint", "idleBoundSource", "retry", "evictions", "retries"));
		assertThat(stacks).extracting((stack) -> stack.get("api")).contains("rest-client");
		assertThat(stacks).extracting((stack) -> stack.get("client"))
			.isSubsetOf("http-components", "jetty", "reactor", "jdk");
	}

	@Test
	void applicationStillAnswers() {
		assertThat(this.restTemplate.getForObject("/", String.class)).isEqualTo("hello");
	}

}
