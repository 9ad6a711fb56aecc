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

package dev.keepalive.autoconfigure.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Proves on real sockets, for RestClient, RestTemplate and WebClient on Apache
 * HttpClient, Jetty and Reactor Netty (the JDK client is in
 * {@link JdkClientKeepAliveWireTests}), in a non-web application, that the starter's
 * client side keeps a pooled connection from being reused after the server has closed it,
 * and retries a safe request once. The server treats a connection idle for 600 ms as
 * closed and the client waits 900 ms between requests, so the starter's bound (300 ms) is
 * 300 ms below the server's timeout and 600 ms below the idle time, and a slow machine
 * only makes the idle time longer. With the client side switched off, the same test sees
 * the failure.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveClientWireTests {

	private static final long SERVER_KEEP_ALIVE_MILLIS = 600;

	private static final long IDLE_MILLIS = 900;

	private static WebServer tomcat;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ImperativeHttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, CodecsAutoConfiguration.class,
				RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class,
				WebClientAutoConfiguration.class, KeepAliveClientAutoConfiguration.class));

	static Stream<Arguments> clients() {
		return Stream.of(Arguments.of(Api.REST_CLIENT, "http-components"), Arguments.of(Api.REST_CLIENT, "jetty"),
				Arguments.of(Api.REST_CLIENT, "reactor"), Arguments.of(Api.REST_TEMPLATE, "jetty"),
				Arguments.of(Api.WEB_CLIENT, "http-components"), Arguments.of(Api.WEB_CLIENT, "jetty"),
				Arguments.of(Api.WEB_CLIENT, "reactor"));
	}

	static Stream<Arguments> clientsThatReadTheKeepAliveHint() {
		return clients().filter((arguments) -> !"jetty".equals(arguments.get()[1]));
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("clients")
	void idleConnectionIsNotReusedAfterMaxIdle(Api api, String stack) throws IOException {
		try (ClosingServer server = new ClosingServer(SERVER_KEEP_ALIVE_MILLIS, null)) {
			run(api, stack, server.getPort(), (client) -> {
				assertThat(client.exchange(HttpMethod.GET)).isEqualTo("GET ");
				idle();
				assertThat(client.exchange(HttpMethod.POST)).isEqualTo("POST body");
				assertThat(server.resets()).isZero();
				assertThat(server.connections()).isEqualTo(2);
			}, "keepalive.client.max-idle=300ms");
		}
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("clients")
	void withoutTheStarterAnIdleConnectionIsReusedAndThePostFails(Api api, String stack) throws IOException {
		try (ClosingServer server = new ClosingServer(SERVER_KEEP_ALIVE_MILLIS, null)) {
			run(api, stack, server.getPort(), (client) -> {
				assertThat(client.exchange(HttpMethod.GET)).isEqualTo("GET ");
				idle();
				assertThatException().isThrownBy(() -> client.exchange(HttpMethod.POST));
				assertThat(server.resets()).isOne();
				assertThat(server.attempts("POST")).isOne();
			}, "keepalive.client.enabled=false");
		}
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("clientsThatReadTheKeepAliveHint")
	void idleConnectionIsNotReusedAfterTheKeepAliveHintMinusTheMargin(Api api, String stack) throws IOException {
		try (ClosingServer server = new ClosingServer(SERVER_KEEP_ALIVE_MILLIS, 1)) {
			run(api, stack, server.getPort(), (client) -> {
				assertThat(client.exchange(HttpMethod.GET)).isEqualTo("GET ");
				idle();
				assertThat(client.exchange(HttpMethod.POST)).isEqualTo("POST body");
				assertThat(server.resets()).isZero();
				assertThat(server.connections()).isEqualTo(2);
			}, "keepalive.client.max-idle=30s", "keepalive.client.hint-margin=700ms");
		}
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("clients")
	void putOnAConnectionTheServerResetIsRetriedOnceAndPostIsNot(Api api, String stack) throws IOException {
		try (ClosingServer server = new ClosingServer(SERVER_KEEP_ALIVE_MILLIS, null)) {
			run(api, stack, server.getPort(), (client) -> {
				assertThat(client.exchange(HttpMethod.GET)).isEqualTo("GET ");
				idle();
				assertThat(client.exchange(HttpMethod.PUT)).isEqualTo("PUT body");
				assertThat(server.resets()).isOne();
				assertThat(server.attempts("PUT")).isEqualTo(2);
				idle();
				assertThatException().isThrownBy(() -> client.exchange(HttpMethod.POST));
				assertThat(server.resets()).isEqualTo(2);
				assertThat(server.attempts("POST")).isOne();
			}, "keepalive.client.max-idle=30s");
		}
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("clients")
	void idleConnectionToTomcatIsReplacedAfterMaxIdle(Api api, String stack) {
		// Tomcat keeps idle connections 3 s, and tells Apache HttpClient so (Keep-Alive:
		// timeout=3), so the margin brings that bound (300 ms) below the idle time too.
		run(api, stack, tomcat.getPort(), (client) -> {
			Set<String> ports = new HashSet<>();
			ports.add(client.exchange(HttpMethod.GET));
			ports.add(client.exchange(HttpMethod.GET));
			idle();
			assertThat(client.exchange(HttpMethod.GET)).as("the client port after 900 ms idle").isNotIn(ports);
		}, "keepalive.client.max-idle=300ms", "keepalive.client.hint-margin=2700ms");
	}

	@BeforeAll
	static void startTomcat() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
		factory.addConnectorCustomizers(
				(connector) -> ((AbstractProtocol<?>) connector.getProtocolHandler()).setKeepAliveTimeout(3000));
		tomcat = factory.getWebServer(
				(servletContext) -> servletContext.addServlet("port", new ClientPortServlet()).addMapping("/"));
		tomcat.start();
	}

	@AfterAll
	static void stopTomcat() {
		tomcat.stop();
	}

	private void run(Api api, String stack, int port, ThrowingConsumer<Client> test, String... properties) {
		this.contextRunner
			.withPropertyValues("spring.http.clients.imperative.factory=" + stack,
					"spring.http.clients.reactive.connector=" + stack)
			.withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				test.accept(api.client(context, "http://127.0.0.1:" + port + "/"));
			});
	}

	private static void idle() throws InterruptedException {
		Thread.sleep(IDLE_MILLIS);
	}

	/**
	 * A way of making requests.
	 */
	enum Api {

		REST_CLIENT((context, url) -> {
			RestClient client = context.getBean(RestClient.Builder.class).baseUrl(url).build();
			return (method) -> ((method != HttpMethod.GET) ? client.method(method).body("body") : client.get())
				.retrieve()
				.body(String.class);
		}),

		REST_TEMPLATE((context, url) -> {
			RestTemplate client = context.getBean(RestTemplateBuilder.class).rootUri(url).build();
			return (method) -> client.exchange("/", method,
					(method != HttpMethod.GET) ? new org.springframework.http.HttpEntity<>("body") : null, String.class)
				.getBody();
		}),

		WEB_CLIENT((context, url) -> {
			WebClient client = context.getBean(WebClient.Builder.class).baseUrl(url).build();
			return (method) -> ((method != HttpMethod.GET) ? client.method(method).bodyValue("body") : client.get())
				.retrieve()
				.bodyToMono(String.class)
				.defaultIfEmpty("")
				.block(Duration.ofSeconds(10));
		});

		private final ClientFactory factory;

		Api(ClientFactory factory) {
			this.factory = factory;
		}

		Client client(ApplicationContext context, String url) {
			return this.factory.create(context, url);
		}

	}

	@FunctionalInterface
	interface ClientFactory {

		Client create(ApplicationContext context, String url);

	}

	@FunctionalInterface
	interface Client {

		String exchange(HttpMethod method);

	}

	static class ClientPortServlet extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			byte[] body = String.valueOf(request.getRemotePort()).getBytes(StandardCharsets.UTF_8);
			response.setContentType("text/plain");
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}

	}

}
