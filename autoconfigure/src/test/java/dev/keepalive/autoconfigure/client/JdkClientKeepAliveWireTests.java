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
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Proves on real sockets that the starter sets the JDK HttpClient's JVM-wide keep-alive
 * from {@code keepalive.client.max-idle} before any client exists, and that on RestClient
 * and WebClient a GET on a connection the server has closed is retried once by the JDK
 * itself, a PUT once by the starter, and a POST not at all. Runs in a JVM of its own (a
 * separate surefire execution), because the JDK reads its keep-alive once, when the first
 * client is created, and keeps it for the whole JVM.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class JdkClientKeepAliveWireTests {

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void startApplication() {
		assertThat(System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY)).isNull();
		context = new SpringApplicationBuilder(ClientApplication.class).web(WebApplicationType.NONE)
			.properties("spring.http.clients.imperative.factory=jdk", "spring.http.clients.reactive.connector=jdk",
					"keepalive.client.max-idle=30s", "spring.main.banner-mode=off")
			.run();
	}

	@AfterAll
	static void stopApplication() {
		context.close();
	}

	@Test
	void starterSetsTheJdkKeepAliveBeforeAnyClientExists() {
		assertThat(System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY)).isEqualTo("30");
		assertThat(context.getBean(KeepAliveClients.class).getStartedLogMessage())
			.contains("RestClient/RestTemplate on jdk: idle connections reused for at most 30000ms "
					+ "(jdk.httpclient.keepalive.timeout=30s (set by the starter))");
	}

	@Test
	void restClientGetIsRetriedOnceByTheJdkItself() throws Exception {
		getRetriedOnceByTheJdk(restClient());
	}

	@Test
	void restClientRetriesPutOnceAndNotPost() throws Exception {
		retriesPutOnceAndNotPost(restClient());
	}

	@Test
	void webClientGetIsRetriedOnceByTheJdkItself() throws Exception {
		getRetriedOnceByTheJdk(webClient());
	}

	@Test
	void webClientRetriesPutOnceAndNotPost() throws Exception {
		retriesPutOnceAndNotPost(webClient());
	}

	private void getRetriedOnceByTheJdk(Client client) throws Exception {
		try (ClosingServer server = new ClosingServer(300, null)) {
			String url = "http://127.0.0.1:" + server.getPort() + "/";
			assertThat(client.exchange(url, HttpMethod.GET)).isEqualTo("GET ");
			Thread.sleep(600);
			assertThat(client.exchange(url, HttpMethod.GET)).isEqualTo("GET ");
			assertThat(server.attempts("GET")).isEqualTo(3);
			assertThat(server.resets()).isOne();
		}
	}

	private void retriesPutOnceAndNotPost(Client client) throws Exception {
		// The server treats a connection idle for 300 ms as closed; the JDK reuses one
		// idle for 600 ms.
		try (ClosingServer server = new ClosingServer(300, null)) {
			String url = "http://127.0.0.1:" + server.getPort() + "/";
			assertThat(client.exchange(url, HttpMethod.GET)).isEqualTo("GET ");
			Thread.sleep(600);
			assertThat(client.exchange(url, HttpMethod.PUT)).isEqualTo("PUT body");
			assertThat(server.attempts("PUT")).isEqualTo(2);
			assertThat(server.resets()).isOne();
			Thread.sleep(600);
			assertThatException().isThrownBy(() -> client.exchange(url, HttpMethod.POST));
			assertThat(server.attempts("POST")).isOne();
			assertThat(server.resets()).isEqualTo(2);
		}
	}

	private static Client restClient() {
		RestClient client = context.getBean(RestClient.Builder.class).build();
		return (url, method) -> ((method != HttpMethod.GET) ? client.method(method).uri(url).body("body")
				: client.get().uri(url))
			.retrieve()
			.body(String.class);
	}

	/**
	 * A WebClient whose GET has no body, as in real use. With {@code bodyValue("")}, JDK
	 * 17 sends the empty body as a chunked stream whose empty chunk is written as the
	 * last-chunk ({@code Http1Request.StreamSubscriber.onNext}), followed by the real
	 * one: the server reads a stray {@code 0\r\n\r\n} and the connection is never reused.
	 */
	private static Client webClient() {
		WebClient client = context.getBean(WebClient.Builder.class).build();
		return (url, method) -> ((method != HttpMethod.GET) ? client.method(method).uri(url).bodyValue("body")
				: client.get().uri(url))
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
	}

	@FunctionalInterface
	interface Client {

		String exchange(String url, HttpMethod method) throws IOException;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApplication {

	}

}
