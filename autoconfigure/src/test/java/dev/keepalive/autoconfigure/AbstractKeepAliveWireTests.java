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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import dev.keepalive.autoconfigure.RawHttpConnection.Response;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves on raw sockets against a real embedded server that connections outlast a
 * scaled-down load balancer idle timeout of 2 s: keep-alive 5 s and header timeout 8 s
 * with 3 s margins, from server timeouts of 1 s. Waits are 3 s, so each side has at least
 * 1 s of slack.
 *
 * @author keepalive-spring-boot-starter contributors
 */
abstract class AbstractKeepAliveWireTests {

	static final String[] LOAD_BALANCER = { "lb.idle-timeout=2", "lb.keep-alive-margin=3s",
			"lb.header-timeout-margin=3s" };

	private static final Duration LOAD_BALANCER_IDLE_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT = Duration.ofSeconds(3);

	/**
	 * Server properties that set every server timeout to the given value.
	 * @param timeout the timeout, such as {@code 1s}
	 * @return the properties
	 */
	abstract String[] serverTimeouts(String timeout);

	/**
	 * Server properties that set every server timeout to 1 s, below the load balancer's
	 * idle timeout.
	 * @return the properties
	 */
	String[] tooLowServerTimeouts() {
		return serverTimeouts("1s");
	}

	/**
	 * Start a real server on a free port with the given properties and a handler on
	 * {@code /} that answers with the client's port.
	 * @param properties the properties
	 * @param test the test, given the server's port
	 */
	abstract void runWithServer(String[] properties, ThrowingConsumer<Integer> test);

	@Test
	void connectionIdleLongerThanLoadBalancerIdleTimeoutIsReused() {
		runWithServer(properties("lb.mode=adjust"), (port) -> assertThat(answersAgainAfterIdle(port)).isTrue());
	}

	@Test
	void freshConnectionIdleLongerThanLoadBalancerIdleTimeoutIsServed() {
		runWithServer(properties("lb.mode=adjust"), (port) -> assertThat(answersAfterIdle(port)).isTrue());
	}

	@Test
	void idleConnectionIsClosedAfterKeepAliveTimeout() {
		runWithServer(properties("lb.mode=adjust"), (port) -> {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				connection.get("/");
				Duration closedAfter = connection.awaitClose(Duration.ofSeconds(20));
				assertThat(closedAfter).isNotNull().isGreaterThan(LOAD_BALANCER_IDLE_TIMEOUT.plusSeconds(1));
			}
		});
	}

	@Test
	void reportModeLeavesConnectionThatDiesBeforeLoadBalancerIdleTimeout() {
		runWithServer(properties("lb.mode=report"), (port) -> assertThat(answersAgainAfterIdle(port)).isFalse());
	}

	@Test
	void reportModeLeavesFreshConnectionThatDiesBeforeLoadBalancerIdleTimeout() {
		runWithServer(properties("lb.mode=report"), (port) -> assertThat(answersAfterIdle(port)).isFalse());
	}

	@Test
	void http2ConnectionIdleLongerThanLoadBalancerIdleTimeoutIsReused() {
		runWithServer(properties("lb.mode=adjust", "server.http2.enabled=true"),
				(port) -> assertThat(http2AnswersAgainAfterIdle(port)).isTrue());
	}

	@Test
	void reportModeLeavesHttp2ConnectionThatDiesBeforeLoadBalancerIdleTimeout() {
		runWithServer(properties("lb.mode=report", "server.http2.enabled=true"),
				(port) -> assertThat(http2AnswersAgainAfterIdle(port)).isFalse());
	}

	@Test
	void keepAliveResponseHintsKeepAliveTimeoutInWholeSeconds() {
		runWithServer(properties("lb.mode=adjust"), (port) -> {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				Response response = connection.exchange("/");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.headers("Keep-Alive")).containsExactly("timeout=5");
				assertThat(connection.exchange("/").headers("Keep-Alive")).containsExactly("timeout=5");
			}
		});
	}

	@Test
	void hintRoundsServerKeepAliveDownWithoutLoadBalancer() {
		runWithServer(serverTimeouts("2999ms"), (port) -> {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				assertThat(connection.exchange("/").headers("Keep-Alive")).containsExactly("timeout=2");
			}
		});
	}

	@Test
	void hintIsNotRepeatedForClientThatAsksForKeepAlive() {
		runWithServer(properties("lb.mode=adjust"), (port) -> {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				Response response = connection.exchange("/", "Connection: keep-alive");
				assertThat(response.headers("Keep-Alive")).containsExactly("timeout=5");
			}
		});
	}

	@Test
	void closingResponseCarriesNoHint() {
		runWithServer(properties("lb.mode=adjust"), (port) -> {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				Response response = connection.exchange("/", "Connection: close");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
				assertThat(response.headers("Keep-Alive")).isEmpty();
			}
		});
	}

	@Test
	void noHintWhenSwitchedOff() {
		runWithServer(properties("lb.mode=adjust", "lb.keep-alive-hint=false"), (port) -> {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				Response response = connection.exchange("/");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.headers("Keep-Alive")).isEmpty();
			}
		});
	}

	private String[] properties(String... more) {
		return Stream.of(LOAD_BALANCER, tooLowServerTimeouts(), more).flatMap(Stream::of).toArray(String[]::new);
	}

	/**
	 * Open an h2c connection with the JDK's client (an HTTP/1.1 request upgraded to
	 * HTTP/2), leave it idle, and send a second request. The client opens a new
	 * connection if the server has closed the first one.
	 */
	private boolean http2AnswersAgainAfterIdle(int port) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
		HttpResponse<String> first = client.send(request, BodyHandlers.ofString());
		assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
		Thread.sleep(LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT.toMillis());
		HttpResponse<String> second = client.send(request, BodyHandlers.ofString());
		assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
		return second.body().equals(first.body());
	}

	private boolean answersAgainAfterIdle(int port) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			String clientPort = connection.get("/");
			assertThat(clientPort).isEqualTo(String.valueOf(connection.getLocalPort()));
			Thread.sleep(LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT.toMillis());
			try {
				assertThat(connection.get("/")).as("client port of the reused connection").isEqualTo(clientPort);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
	}

	private boolean answersAfterIdle(int port) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			Thread.sleep(LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT.toMillis());
			try {
				assertThat(connection.get("/")).isEqualTo(String.valueOf(connection.getLocalPort()));
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
	}

	static int port(ApplicationContext context) {
		WebServerApplicationContext webServerContext = (WebServerApplicationContext) context;
		return webServerContext.getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientPortServletConfiguration {

		@Bean
		ServletRegistrationBean<HttpServlet> clientPortServlet() {
			return new ServletRegistrationBean<>(new HttpServlet() {

				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					byte[] body = String.valueOf(request.getRemotePort()).getBytes(StandardCharsets.UTF_8);
					response.setContentType("text/plain");
					response.setContentLength(body.length);
					response.getOutputStream().write(body);
				}

			}, "/");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClientPortHttpHandlerConfiguration {

		@Bean
		HttpHandler httpHandler() {
			return (request, response) -> {
				byte[] body = String.valueOf(request.getRemoteAddress().getPort()).getBytes(StandardCharsets.UTF_8);
				response.getHeaders().setContentLength(body.length);
				return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
			};
		}

	}

}
