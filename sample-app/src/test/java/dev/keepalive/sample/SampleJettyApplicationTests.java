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

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample application on Jetty, swapped in by excluding Tomcat's
 * auto-configuration.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration")
@AutoConfigureTestRestTemplate
class SampleJettyApplicationTests {

	@Autowired
	private TestRestTemplate restTemplate;

	@Test
	void keepAliveEndpointReportsRaisedJettyIdleTimeout() {
		ResponseEntity<String> response = this.restTemplate.getForEntity("/actuator/keepalive", String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		DocumentContext json = JsonPath.parse(response.getBody());
		assertThat(json.read("$.status", String.class)).isEqualTo("OK");
		assertThat(json.read("$.lbIdleTimeoutMillis", Long.class)).isEqualTo(60_000);
		assertThat(json.read("$.connectors[0].server", String.class)).isEqualTo("jetty");
		assertThat(json.read("$.connectors[0].keepAliveTimeoutMillis", Long.class)).isEqualTo(65_000);
		assertThat(json.read("$.connectors[0].headerTimeoutMillis", Long.class)).isEqualTo(65_000);
		assertThat(json.read("$.warnings.length()", Integer.class)).isZero();
	}

}
