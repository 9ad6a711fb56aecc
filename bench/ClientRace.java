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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.HttpComponentsClientHttpConnectorBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The client side of bench/run --client: one JVM per configuration (baseline: the
 * starter's client part off; starter: on), one Spring Boot context per client stack
 * (selected with spring.http.clients.*), and for each server every RestClient and
 * WebClient stack at once. Each slot sends a request, waits an idle gap aimed at the
 * moment the server closes the connection, and sends the next one on the same pool.
 * Prints one ROW line per server, API, stack and method.
 */
public class ClientRace {

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new ConcurrentHashMap<>();
		List<String> servers = new ArrayList<>();
		for (int i = 0; i < args.length; i += 2) {
			if (args[i].equals("--server")) {
				servers.add(args[i + 1]);
			}
			else {
				options.put(args[i].substring(2), args[i + 1]);
			}
		}
		String config = options.get("config");
		int requests = Integer.parseInt(options.get("requests"));
		int slots = Integer.parseInt(options.get("slots"));
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		List<Target> targets = new ArrayList<>();
		for (String stack : List.of("http-components", "jetty", "reactor", "jdk")) {
			List<String> properties = new ArrayList<>(List.of("spring.http.clients.imperative.factory=" + stack,
					"spring.http.clients.reactive.connector=" + stack, "spring.main.banner-mode=off",
					"keepalive.client.enabled=" + config.equals("starter")));
			if (options.containsKey("max-idle")) {
				properties.add("keepalive.client.max-idle=" + options.get("max-idle"));
				properties.add("keepalive.client.hint-margin=" + options.get("hint-margin"));
			}
			ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
				.web(WebApplicationType.NONE)
				.properties(properties.toArray(String[]::new))
				.run();
			contexts.add(context);
			targets.add(new Target("RestClient", stack, context));
			targets.add(new Target("WebClient", stack, context));
		}
		for (String server : servers) {
			String[] parts = server.split("=", 3); // name=gapMillis=url
			race(parts[0], Long.parseLong(parts[1]), parts[2], targets, config, requests, slots, options);
		}
		contexts.forEach(ConfigurableApplicationContext::close);
		System.exit(0);
	}

	private static void race(String server, long gap, String url, List<Target> targets, String config, int requests,
			int slots, Map<String, String> options) throws InterruptedException {
		int early = Integer.parseInt(options.get("window-early-ms"));
		int late = Integer.parseInt(options.get("window-late-ms"));
		List<Thread> threads = new ArrayList<>();
		Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
		Map<String, String> firstErrors = new ConcurrentHashMap<>();
		for (Target target : targets) {
			Caller caller = target.caller(url);
			for (int slot = 0; slot < slots; slot++) {
				HttpMethod method = (slot % 2 == 0) ? HttpMethod.GET : HttpMethod.POST;
				String key = target.api + " " + target.stack + " " + method.name();
				int rounds = requests / (slots / 2);
				Thread thread = new Thread(() -> {
					for (int round = 0; round <= rounds; round++) {
						boolean measured = round > 0;
						try {
							caller.call(method);
							if (measured) {
								counts.computeIfAbsent(key + " ok", (k) -> new AtomicInteger()).incrementAndGet();
							}
						}
						catch (Exception ex) {
							if (measured) {
								counts.computeIfAbsent(key + " failed", (k) -> new AtomicInteger()).incrementAndGet();
								firstErrors.putIfAbsent(key, rootCause(ex));
							}
						}
						long jitter = ThreadLocalRandom.current().nextLong(-early, late + 1);
						sleep(gap + jitter);
					}
				});
				threads.add(thread);
			}
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		for (Target target : targets) {
			for (String method : List.of("GET", "POST")) {
				String key = target.api + " " + target.stack + " " + method;
				int ok = counts.getOrDefault(key + " ok", new AtomicInteger()).get();
				int failed = counts.getOrDefault(key + " failed", new AtomicInteger()).get();
				System.out.println("ROW " + server + " " + target.api + " " + target.stack + " " + method + " " + config
						+ " " + (ok + failed) + " " + ok + " " + failed + " "
						+ firstErrors.getOrDefault(key, "-").replace(' ', '_'));
			}
		}
	}

	private static String rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = String.valueOf(cause.getMessage());
		return cause.getClass().getSimpleName() + ":" + message.substring(0, Math.min(60, message.length()));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(Math.max(0, millis));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Target(String api, String stack, ConfigurableApplicationContext context) {

		Caller caller(String url) {
			if (this.api.equals("RestClient")) {
				RestClient client = this.context.getBean(RestClient.Builder.class).baseUrl(url).build();
				return (method) -> client.method(method).body((method == HttpMethod.POST) ? "body" : "").retrieve()
					.body(String.class);
			}
			WebClient client = this.context.getBean(WebClient.Builder.class).baseUrl(url).build();
			return (method) -> client.method(method).bodyValue((method == HttpMethod.POST) ? "body" : "").retrieve()
				.bodyToMono(String.class).block(Duration.ofSeconds(20));
		}

	}

	interface Caller {

		Object call(HttpMethod method) throws Exception;

	}

	/**
	 * The client application. Apache HttpClient allows 5 connections per route by default;
	 * the bench's own customizers raise that (beside the starter's customizers) so that
	 * every slot has its own connection.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> poolSize() {
			return (builder) -> builder.withConnectionManagerCustomizer(
					(manager) -> manager.setMaxConnPerRoute(200).setMaxConnTotal(400));
		}

		@Bean
		ClientHttpConnectorBuilderCustomizer<HttpComponentsClientHttpConnectorBuilder> asyncPoolSize() {
			return (builder) -> builder.withConnectionManagerCustomizer(
					(manager) -> manager.setMaxConnPerRoute(200).setMaxConnTotal(400));
		}

	}

}
