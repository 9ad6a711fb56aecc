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

package dev.keepalive.autoconfigure.drain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import dev.keepalive.autoconfigure.RawHttpConnection;
import dev.keepalive.autoconfigure.RawHttpConnection.Response;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.ThrowingConsumer;
import reactor.core.publisher.Mono;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Proves on raw sockets against a real embedded server what the drain does while the
 * application shuts down, each against a baseline without the drain that fails: a request
 * on an idle keep-alive connection, and one on a new connection, are served with
 * {@code Connection: close} while readiness refuses traffic. The drain times out after 3
 * s; requests are sent 1 to 1.5 s into the shutdown, when Spring Boot's graceful shutdown
 * alone has already closed the listener and the idle connections. A response before the
 * drain carries the keep-alive hint, and one during the drain does not.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractDrainWireTests {

	static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);

	private static final String[] LOAD_BALANCER = { "lb.idle-timeout=2", "lb.keep-alive-margin=3s",
			"lb.header-timeout-margin=3s" };

	static final String[] DRAIN = { "lb.drain.enabled=true", "lb.drain.timeout=" + DRAIN_TIMEOUT.toSeconds() + "s" };

	static final String[] NO_DRAIN = { "lb.drain.enabled=false" };

	/**
	 * Start a real server on a free port with the given properties and a handler that
	 * answers {@code /} with the application's readiness state, and {@code /slow} the
	 * same way after 1.5 s.
	 * @param properties the properties
	 * @param test the test, given the running server
	 */
	abstract void runWithServer(String[] properties, ThrowingConsumer<RunningServer> test);

	@Test
	void requestOnIdleConnectionDuringDrainIsServedWithConnectionClose(CapturedOutput output) {
		runWithServer(properties(DRAIN), (server) -> {
			try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
				Response before = connection.exchange("/");
				assertThat(before.body()).isEqualTo("ACCEPTING_TRAFFIC");
				assertThat(String.valueOf(before.header("Connection"))).doesNotContainIgnoringCase("close");
				assertThat(before.headers("Keep-Alive")).singleElement(InstanceOfAssertFactories.STRING)
					.matches("timeout=[1-9][0-9]*");
				Shutdown shutdown = server.shutDown();
				Thread.sleep(1_500);
				Response during = connection.exchange("/");
				assertThat(during.status()).isEqualTo(200);
				assertThat(during.body()).isEqualTo("REFUSING_TRAFFIC");
				assertThat(during.header("Connection")).isEqualToIgnoringCase("close");
				assertThat(during.headers("Keep-Alive")).as("no keep-alive hint on a closing response").isEmpty();
				assertThat(connection.awaitClose(Duration.ofSeconds(2))).as("closed by the server after the response")
					.isNotNull();
				shutdown.await();
			}
			assertThat(output).contains("Draining [application] for at most 3000ms (lb.drain.timeout)");
		});
	}

	@Test
	void withoutDrainRequestOnIdleConnectionDuringShutdownFails() {
		runWithServer(properties(NO_DRAIN), (server) -> {
			try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
				assertThat(connection.exchange("/").status()).isEqualTo(200);
				Shutdown shutdown = server.shutDown();
				Thread.sleep(1_500);
				assertThatIOException().isThrownBy(() -> connection.exchange("/"));
				shutdown.await();
			}
		});
	}

	@Test
	void newConnectionDuringDrainIsServedWhileReadinessRefusesTraffic() {
		runWithServer(properties(DRAIN), (server) -> {
			try (RawHttpConnection pooled = new RawHttpConnection(server.port())) {
				pooled.get("/");
				Shutdown shutdown = server.shutDown();
				Thread.sleep(1_000);
				try (RawHttpConnection fresh = new RawHttpConnection(server.port())) {
					Response response = fresh.exchange("/");
					assertThat(response.status()).isEqualTo(200);
					assertThat(response.body()).isEqualTo("REFUSING_TRAFFIC");
					assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
					assertThat(response.headers("Keep-Alive")).isEmpty();
				}
				shutdown.await();
			}
		});
	}

	@Test
	void withoutDrainNewConnectionDuringShutdownFails() {
		runWithServer(properties(NO_DRAIN), (server) -> {
			try (RawHttpConnection pooled = new RawHttpConnection(server.port())) {
				pooled.get("/");
				Shutdown shutdown = server.shutDown();
				Thread.sleep(1_000);
				assertThatIOException().isThrownBy(() -> {
					try (RawHttpConnection fresh = new RawHttpConnection(server.port())) {
						fresh.exchange("/");
					}
				});
				shutdown.await();
			}
		});
	}

	static String[] properties(String[]... more) {
		return Stream.concat(Stream.of(LOAD_BALANCER), Stream.of(more).flatMap(Stream::of)).toArray(String[]::new);
	}

	static boolean servedOnNewConnection(int port) {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			return connection.exchange("/").status() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A real server, running in an application context that a test can close.
	 *
	 * @param context the application context
	 */
	record RunningServer(ConfigurableApplicationContext context, int port) {

		/**
		 * Create a running server, its application ready to accept traffic, as a
		 * {@code SpringApplication} would make it.
		 * @param context the application context
		 */
		RunningServer(ConfigurableApplicationContext context) {
			this(context, ((WebServerApplicationContext) context).getWebServer().getPort());
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		}

		/**
		 * Close the application context in the background, as a shutdown hook does.
		 * @return the shutdown under way
		 */
		Shutdown shutDown() {
			return new Shutdown(this.context);
		}

	}

	/**
	 * The close of an application context, under way in a thread of its own.
	 */
	static final class Shutdown {

		private final long start = System.nanoTime();

		private final Thread thread;

		private volatile long tookNanos = -1;

		Shutdown(ConfigurableApplicationContext context) {
			this.thread = new Thread(() -> {
				context.close();
				this.tookNanos = System.nanoTime() - this.start;
			}, "test-shutdown");
			this.thread.start();
		}

		/**
		 * Wait for the close to end.
		 * @return how long it took
		 * @throws InterruptedException if interrupted
		 */
		Duration await() throws InterruptedException {
			this.thread.join(30_000);
			assertThat(this.thread.isAlive()).as("shutdown still running after 30 s").isFalse();
			return Duration.ofNanos(this.tookNanos);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReadinessServletConfiguration {

		@Bean
		ServletRegistrationBean<HttpServlet> readinessServlet(ApplicationAvailability availability) {
			return new ServletRegistrationBean<>(new HttpServlet() {

				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					if (request.getRequestURI().equals("/slow")) {
						try {
							Thread.sleep(1_500);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
					byte[] body = availability.getReadinessState().name().getBytes(StandardCharsets.UTF_8);
					response.setContentType("text/plain");
					response.setContentLength(body.length);
					response.getOutputStream().write(body);
				}

			}, "/");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReadinessHttpHandlerConfiguration {

		@Bean
		HttpHandler httpHandler(ApplicationAvailability availability) {
			return (request, response) -> {
				Duration delay = request.getURI().getPath().equals("/slow") ? Duration.ofMillis(1_500) : Duration.ZERO;
				return Mono.delay(delay).then(Mono.defer(() -> {
					byte[] body = availability.getReadinessState().name().getBytes(StandardCharsets.UTF_8);
					response.getHeaders().setContentLength(body.length);
					return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
				}));
			};
		}

	}

}
