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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.ReactorClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The client side of bench/run client: one JVM per configuration (baseline: the
 * starter's client part off; starter: on), one Spring Boot context per client stack
 * (selected with spring.http.clients.*), and for each server every RestClient and
 * WebClient stack at once, in lockstep rounds. Each slot sends a request on its own
 * pool, waits an idle gap aimed at the moment the server closes the connection, and
 * sends the next one. Prints one ROW line per server, API, stack and method, and one
 * COST line per API and stack.
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
		List<Thread> cost = new ArrayList<>();
		List<String> costRows = new CopyOnWriteArrayList<>();
		if (options.containsKey("cost-url")) {
			for (Target target : targets) {
				Thread thread = new Thread(() -> costRows.add(cost(target, config, options)));
				thread.start();
				cost.add(thread);
			}
		}
		List<String> hitsOut = new CopyOnWriteArrayList<>();
		List<String> knownHits = options.containsKey("hits-in") ? Files.readAllLines(Path.of(options.get("hits-in")))
				: List.of();
		for (String server : servers) {
			String[] parts = server.split("=", 4); // name=aimMillis=own|round=url
			List<Double> hits = knownHits.stream()
				.map((line) -> line.split(" "))
				.filter((hit) -> hit[1].equals(parts[0]))
				.map((hit) -> Double.valueOf(hit[2]))
				.toList();
			race(parts[0], Double.parseDouble(parts[1]), parts[2].equals("own"), parts[3], targets, config, requests,
					slots, options, hits, hitsOut);
		}
		if (options.containsKey("hits-out")) {
			Files.write(Path.of(options.get("hits-out")), hitsOut);
		}
		for (Thread thread : cost) {
			thread.join();
		}
		costRows.forEach(System.out::println);
		contexts.forEach(ConfigurableApplicationContext::close);
		System.exit(0);
	}

	/**
	 * Races every slot of every client against one server, in lockstep rounds. A first,
	 * unmeasured round opens a connection per slot. In every later round each slot waits
	 * an idle gap, counted from its own last response ({@code own}: Node.js and Jetty time
	 * each connection from its last activity) or from the round's last response
	 * ({@code round}: Tomcat closes idle connections in a sweep of its poller, which runs
	 * once the poller has been idle for the keep-alive), and sends one request on its own
	 * pool. The gaps of a round cover the window around the aim evenly, one stratum per
	 * slot, shuffled. Once failures are seen, most rounds aim within a millisecond or two of
	 * a gap that produced one: the race window is well under a millisecond wide, and the
	 * gaps that hit it show where it is. The starter's run aims at the baseline's hits the
	 * same way and never learns anything new, because it does not fail.
	 */
	private static void race(String server, double aim, boolean own, String url, List<Target> targets,
			String config, int requests, int slotsPerTarget, Map<String, String> options, List<Double> knownHits,
			List<String> hitsOut) throws InterruptedException {
		double early = Double.parseDouble(options.get("window-early-ms"));
		double late = Double.parseDouble(options.get("window-late-ms"));
		double spread = Double.parseDouble(options.getOrDefault("learn-spread-ms", "1.5"));
		boolean learn = config.equals("baseline");
		List<Slot> slots = new ArrayList<>();
		for (Target target : targets) {
			for (int i = 0; i < slotsPerTarget; i++) {
				HttpMethod method = (i % 2 == 0) ? HttpMethod.GET : HttpMethod.POST;
				slots.add(new Slot(target.api + " " + target.stack + " " + method.name(), method, target.caller(url)));
			}
		}
		int n = slots.size();
		int rounds = requests / (slotsPerTarget / 2);
		List<Double> hits = new CopyOnWriteArrayList<>(knownHits);
		long[] ends = new long[n];
		double[] gaps = new double[n];
		long[] reference = new long[1];
		Random random = new Random(server.hashCode());
		CyclicBarrier barrier = new CyclicBarrier(n, () -> {
			reference[0] = Arrays.stream(ends).max().orElse(System.nanoTime());
			double share = (hits.size() >= 3) ? 0.8 : (hits.isEmpty() ? 0 : 0.5);
			double from = aim - early;
			double width = early + late;
			if (random.nextDouble() < share) {
				int recent = Math.min(hits.size(), 10);
				from = hits.get(hits.size() - 1 - random.nextInt(recent)) - spread;
				width = 2 * spread;
			}
			List<Integer> strata = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				strata.add(i);
			}
			Collections.shuffle(strata, random);
			for (int i = 0; i < n; i++) {
				gaps[i] = from + width * (strata.get(i) + random.nextDouble()) / n;
			}
		});
		Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
		Map<String, String> firstErrors = new ConcurrentHashMap<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			int index = i;
			Slot slot = slots.get(i);
			Thread thread = new Thread(() -> {
				for (int round = 0; round <= rounds; round++) {
					boolean measured = round > 0;
					try {
						barrier.await();
					}
					catch (Exception ex) {
						return;
					}
					double gap = gaps[index];
					if (measured) {
						long at = (own ? ends[index] : reference[0]) + (long) (gap * 1_000_000);
						for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) {
							LockSupport.parkNanos(left);
						}
					}
					try {
						slot.caller.call(slot.method);
						if (measured) {
							counts.computeIfAbsent(slot.key + " ok", (k) -> new AtomicInteger()).incrementAndGet();
						}
					}
					catch (Exception ex) {
						if (measured) {
							counts.computeIfAbsent(slot.key + " failed", (k) -> new AtomicInteger()).incrementAndGet();
							firstErrors.putIfAbsent(slot.key, rootCause(ex));
							if (learn) {
								hits.add(gap);
								hitsOut.add("HIT " + server + " " + String.format(Locale.ROOT, "%.3f", gap));
							}
						}
					}
					ends[index] = System.nanoTime();
				}
			}, "slot-" + server + "-" + i);
			thread.setDaemon(true);
			threads.add(thread);
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

	record Slot(String key, HttpMethod method, Caller caller) {

	}

	/**
	 * What idle eviction costs: one client of its own, GET requests at random (Poisson)
	 * arrivals with the given mean gap, against a server that keeps idle connections far
	 * longer and sends no hint. The gaps come from a generator seeded with the API and
	 * stack, so the baseline and the starter see exactly the same gaps. The server answers
	 * with the client's port: the distinct ports are the connections opened.
	 */
	private static String cost(Target target, String config, Map<String, String> options) {
		Caller caller = target.caller(options.get("cost-url"));
		double meanGap = Double.parseDouble(options.get("cost-mean-gap-ms"));
		int requests = Integer.parseInt(options.get("cost-requests"));
		Random random = new Random((target.api + " " + target.stack).hashCode());
		Set<Object> ports = new HashSet<>();
		int failed = 0;
		for (int i = 0; i < requests; i++) {
			try {
				ports.add(caller.call(HttpMethod.GET));
			}
			catch (Exception ex) {
				failed++;
			}
			sleep(Math.round(-meanGap * Math.log(1 - random.nextDouble())));
		}
		return "COST " + target.api + " " + target.stack + " " + config + " " + requests + " " + ports.size() + " "
				+ failed;
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

		/**
		 * A client of its own (its own pool) for the given server. A GET has no body, as
		 * in real use: WebClient on the JDK's HttpClient sends an empty body as a chunked
		 * stream, and JDK 17 writes an empty chunk as the last-chunk, so the server sees
		 * a stray {@code 0\r\n\r\n} after the request and closes the connection.
		 */
		Caller caller(String url) {
			if (this.api.equals("RestClient")) {
				RestClient client = this.context.getBean(RestClient.Builder.class).baseUrl(url).build();
				return (method) -> ((method == HttpMethod.GET) ? client.get()
						: client.method(method).body("body"))
					.retrieve()
					.body(String.class);
			}
			// Spring Boot gives every WebClient.Builder one shared connector; each slot
			// builds its own from the same customized builder.
			ClientHttpConnector connector = this.context.getBean(ClientHttpConnectorBuilder.class)
				.build(this.context.getBean(HttpClientSettings.class));
			WebClient client = this.context.getBean(WebClient.Builder.class).clientConnector(connector).baseUrl(url).build();
			return (method) -> ((method == HttpMethod.GET) ? client.get() : client.method(method).bodyValue("body"))
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(20));
		}

	}

	interface Caller {

		Object call(HttpMethod method) throws Exception;

	}

	/**
	 * The client application. Every slot builds its own RestClient or WebClient, and so
	 * its own pool, so that the one connection it reuses has been idle exactly the gap it
	 * waited. Spring Boot builds Reactor Netty clients on one shared connection provider;
	 * the bench gives each its own instead (ordered after Spring Boot's customizer that
	 * sets the shared one; the starter's customizers are kept).
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		ClientHttpRequestFactoryBuilderCustomizer<ReactorClientHttpRequestFactoryBuilder> ownReactorPool() {
			return (builder) -> builder.withHttpClientFactory(() -> HttpClient.create(pool()));
		}

		@Bean
		ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> ownReactiveReactorPool() {
			return (builder) -> builder.withHttpClientFactory(() -> HttpClient.create(pool()));
		}

		private static ConnectionProvider pool() {
			return ConnectionProvider.builder("bench-slot").maxConnections(4).build();
		}

	}

}
