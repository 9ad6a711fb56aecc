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

package dev.keepalive.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves over HTTP against a whole application, auto-configured with Spring Security on
 * the class path and no security configuration of its own, that
 * {@code /actuator/keepalive} needs authentication like every other actuator endpoint but
 * {@code health}: the starter exposes the endpoint, it does not open it.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveEndpointSecurityTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void keepAliveEndpointNeedsAuthenticationButHealthDoesNot() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SecuredApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.security.user.name=ops", "spring.security.user.password=secret",
					"lb.idle-timeout=60s")
			.run()) {
			int port = AbstractKeepAliveWireTests.port(context);
			assertThat(get(port, "/actuator/keepalive", null).statusCode()).isEqualTo(401);
			assertThat(get(port, "/actuator/keepalive", "ops:wrong").statusCode()).isEqualTo(401);
			assertThat(get(port, "/actuator/health", null).statusCode()).isEqualTo(200);
			HttpResponse<String> authenticated = get(port, "/actuator/keepalive", "ops:secret");
			assertThat(authenticated.statusCode()).isEqualTo(200);
			assertThat(authenticated.body()).contains("\"status\":\"OK\"", "\"keepAliveHint\":true");
		}
	}

	private HttpResponse<String> get(int port, String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = JettyServletWebServerAutoConfiguration.class)
	static class SecuredApplication {

	}

}
