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

import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Starts the sample application the way a user does, through {@link SpringApplication},
 * so that Spring Boot's failure analysis and environment post-processing take part.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationStartupTests {

	@Test
	void failModeRefusesToStartWithFailureAnalysis(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--lb.mode=fail", "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration"));
		assertThat(output).contains("APPLICATION FAILED TO START", "Description:",
				"Its idle timeout is 60000ms (lb.idle-timeout) and lb.mode=fail", "Action:", "set lb.mode=adjust",
				"set server.tomcat.keep-alive-timeout to at least 65000ms",
				"set server.tomcat.connection-timeout to at least 70000ms");
	}

	@Test
	void failModeWithProviderNamesTheProvider(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--lb.mode=fail", "--lb.idle-timeout=", "--lb.provider=gcp"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"Its idle timeout is 600000ms (lb.provider=gcp) and lb.mode=fail");
	}

	@Test
	void nonPositiveIdleTimeoutRefusesToStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--lb.idle-timeout=0"));
		assertThat(output).contains("APPLICATION FAILED TO START", "lb.idle-timeout",
				"a positive duration such as 60 (seconds), 60s, 1m or 500ms");
	}

	@Test
	void unparsableIdleTimeoutRefusesToStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--lb.idle-timeout=one minute"));
		assertThat(output).contains("APPLICATION FAILED TO START", "Failed to bind lb.idle-timeout", "\"one minute\"",
				"Set lb.idle-timeout to a positive duration such as 60 (seconds), 60s, 1m or 500ms.");
	}

	@Test
	void unknownModeRefusesToStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--lb.mode=warn"));
		assertThat(output).contains("APPLICATION FAILED TO START", "Set lb.mode to one of adjust, report, fail.");
	}

	@Test
	void negativeMarginRefusesToStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--lb.keep-alive-margin=-5s"));
		assertThat(output).contains("APPLICATION FAILED TO START", "lb.keep-alive-margin", "a positive duration");
	}

	@Test
	void withoutIdleTimeoutNothingChangesAndEndpointSaysSo(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--lb.idle-timeout=")) {
			Map<String, Object> body = JsonPath.parse(get(context, "/actuator/keepalive")).read("$");
			assertThat(body).containsEntry("status", "UNCONFIGURED").containsEntry("lbIdleTimeoutMillis", null);
		}
		assertThat(output).contains("No load balancer idle timeout declared", "Set lb.idle-timeout");
	}

	@Test
	void userExposureChoiceWinsAndStartupSaysHowToAddKeepAlive(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--management.endpoints.web.exposure.include=health")) {
			TestRestTemplate restTemplate = new TestRestTemplate();
			assertThat(restTemplate.getForEntity(url(context, "/actuator/keepalive"), String.class).getStatusCode())
				.isEqualTo(HttpStatus.NOT_FOUND);
		}
		assertThat(output).contains("management.endpoints.web.exposure.include is set to [health]",
				"add keepalive to it");
	}

	@Test
	void metricsAreVisibleAtTheMetricsEndpoint() {
		try (ConfigurableApplicationContext context = run(
				"--management.endpoints.web.exposure.include=health,keepalive,metrics")) {
			String keepAlive = get(context,
					"/actuator/metrics/keepalive.server.keepalive.timeout?tag=protocol:HTTP/1.1");
			assertThat(JsonPath.parse(keepAlive).<String>read("$.baseUnit")).isEqualTo("seconds");
			assertThat(JsonPath.parse(keepAlive).<Double>read("$.measurements[0].value")).isEqualTo(65.0);
			String inverted = get(context, "/actuator/metrics/keepalive.inverted");
			assertThat(JsonPath.parse(inverted).<Double>read("$.measurements[0].value")).isZero();
		}
	}

	private static ConfigurableApplicationContext run(String... args) {
		String[] allArgs = new String[args.length + 1];
		allArgs[0] = "--server.port=0";
		System.arraycopy(args, 0, allArgs, 1, args.length);
		return SpringApplication.run(SampleApplication.class, allArgs);
	}

	private static String get(ConfigurableApplicationContext context, String path) {
		return new TestRestTemplate().getForObject(url(context, path), String.class);
	}

	private static String url(ConfigurableApplicationContext context, String path) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + path;
	}

}
