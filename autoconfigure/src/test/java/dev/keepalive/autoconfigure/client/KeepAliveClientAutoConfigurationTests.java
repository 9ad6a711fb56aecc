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

import java.time.Duration;

import dev.keepalive.autoconfigure.client.KeepAliveClients.ClientsDescriptor;
import dev.keepalive.autoconfigure.client.KeepAliveClients.StackDescriptor;
import dev.keepalive.autoconfigure.metrics.KeepAliveClientMetrics;
import dev.keepalive.autoconfigure.metrics.KeepAliveClientMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KeepAliveClientAutoConfiguration} and
 * {@link KeepAliveClientMetricsAutoConfiguration}: when the client side backs off, the
 * startup errors for bad input, what it describes for the endpoint, and its metrics.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
					ReactiveHttpClientAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KeepAliveClientAutoConfiguration.class));

	@Test
	void customizesEveryClientStackOnTheClassPath() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ClientKeepAlivePolicy.class).hasSingleBean(KeepAliveClients.class);
			assertThat(context.getBeansOfType(ClientHttpRequestFactoryBuilderCustomizer.class)).containsOnlyKeys(
					"httpComponentsKeepAliveRequestFactoryBuilderCustomizer",
					"reactorKeepAliveRequestFactoryBuilderCustomizer", "jettyKeepAliveRequestFactoryBuilderCustomizer");
			assertThat(context.getBeansOfType(ClientHttpConnectorBuilderCustomizer.class)).containsKeys(
					"httpComponentsKeepAliveConnectorBuilderCustomizer", "reactorKeepAliveConnectorBuilderCustomizer",
					"jettyKeepAliveConnectorBuilderCustomizer");
			assertThat(context).hasBean("keepAliveRetryRestClientCustomizer")
				.hasBean("keepAliveRetryRestTemplateCustomizer")
				.hasBean("keepAliveRetryWebClientCustomizer");
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("keepalive.client.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ClientKeepAlivePolicy.class)
				.doesNotHaveBean(KeepAliveClients.class)
				.doesNotHaveBean(ClientHttpRequestFactoryBuilderCustomizer.class)
				.doesNotHaveBean("reactorKeepAliveConnectorBuilderCustomizer")
				.doesNotHaveBean("jettyKeepAliveConnectorBuilderCustomizer")
				.doesNotHaveBean("httpComponentsKeepAliveConnectorBuilderCustomizer")
				.doesNotHaveBean(RestClientCustomizer.class)
				.doesNotHaveBean("keepAliveRetryWebClientCustomizer");
		});
	}

	@Test
	void backsOffWithoutSpringBootHttpClientSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpClientSettings.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KeepAliveClients.class));
	}

	@Test
	void apacheHttpClientPartBacksOffWithoutApacheHttpClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.hc.")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(KeepAliveClients.class);
			assertThat(context).doesNotHaveBean("httpComponentsKeepAliveRequestFactoryBuilderCustomizer")
				.doesNotHaveBean("httpComponentsKeepAliveConnectorBuilderCustomizer")
				.hasBean("reactorKeepAliveRequestFactoryBuilderCustomizer")
				.hasBean("jettyKeepAliveRequestFactoryBuilderCustomizer");
		});
	}

	@Test
	void reactorNettyPartBacksOffWithoutReactorNetty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(reactor.netty.http.client.HttpClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("reactorKeepAliveRequestFactoryBuilderCustomizer")
				.doesNotHaveBean("reactorKeepAliveConnectorBuilderCustomizer")
				.hasBean("httpComponentsKeepAliveRequestFactoryBuilderCustomizer"));
	}

	@Test
	void jettyPartBacksOffWithoutJettyClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(org.eclipse.jetty.client.HttpClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("jettyKeepAliveRequestFactoryBuilderCustomizer")
				.doesNotHaveBean("jettyKeepAliveConnectorBuilderCustomizer")
				.hasBean("reactorKeepAliveConnectorBuilderCustomizer"));
	}

	@Test
	void withRetryOffOnlyTheIdleBoundIsApplied() {
		this.contextRunner.withPropertyValues("keepalive.client.retry=false").run((context) -> {
			assertThat(context).hasSingleBean(KeepAliveClients.class)
				.hasBean("reactorKeepAliveConnectorBuilderCustomizer")
				.doesNotHaveBean("keepAliveRetryRestClientCustomizer")
				.doesNotHaveBean("keepAliveRetryRestTemplateCustomizer")
				.doesNotHaveBean("keepAliveRetryWebClientCustomizer");
			assertThat(context.getBean(KeepAliveClients.class).describe().stacks())
				.allSatisfy((stack) -> assertThat(stack.retry()).isEqualTo("off (keepalive.client.retry=false)"));
		});
	}

	@Test
	void userPolicyReplacesTheDefaultOne() {
		ClientKeepAlivePolicy policy = ClientKeepAlivePolicy.of(new KeepAliveClientProperties());
		this.contextRunner.withBean(ClientKeepAlivePolicy.class, () -> policy)
			.run((context) -> assertThat(context).getBean(ClientKeepAlivePolicy.class).isSameAs(policy));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					keepalive.client.max-idle=0        | keepalive.client.max-idle   | a positive duration such as 60 (seconds), 60s, 1m or 500ms
					keepalive.client.max-idle=-4s      | keepalive.client.max-idle   | a positive duration
					keepalive.client.max-idle=100us    | keepalive.client.max-idle   | at least 1ms
					keepalive.client.max-idle=30d      | keepalive.client.max-idle   | at most 2147483647ms
					keepalive.client.hint-margin=0     | keepalive.client.hint-margin| a positive duration
					keepalive.client.hint-margin=-1s   | keepalive.client.hint-margin| a positive duration
					""")
	void invalidValueFailsStartupNamingPropertyAndAcceptedForm(String property, String name, String reason) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + name + " with value")
				.hasMessageContaining(reason);
		});
	}

	@ParameterizedTest
	@CsvSource({ "keepalive.client.max-idle=four", "keepalive.client.hint-margin=1 s", "keepalive.client.retry=twice" })
	void unparsableValueFailsStartupNamingTheProperty(String property) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			BindException bindException = findCause(context.getStartupFailure(), BindException.class);
			assertThat(bindException).isNotNull();
			assertThat(bindException.getProperty()).isNotNull();
			assertThat(bindException.getProperty().getName()).hasToString(property.substring(0, property.indexOf('=')));
		});
	}

	@Test
	void describesTheStacksInUseForTheEndpoint() {
		this.contextRunner
			.withPropertyValues("spring.http.clients.imperative.factory=jetty",
					"spring.http.clients.reactive.connector=reactor", "keepalive.client.max-idle=3s",
					"keepalive.client.hint-margin=500ms")
			.run((context) -> {
				ClientsDescriptor clients = context.getBean(KeepAliveClients.class).describe();
				assertThat(clients.maxIdleMillis()).isEqualTo(3000);
				assertThat(clients.hintMarginMillis()).isEqualTo(500);
				assertThat(clients.retry()).isTrue();
				assertThat(clients.stacks()).containsExactly(
						new StackDescriptor("rest-client", "jetty", 3000, false, "keepalive.client.max-idle",
								"starter: GET, HEAD, OPTIONS, PUT, DELETE", 0, 0),
						new StackDescriptor("web-client", "reactor", 3000, true, "keepalive.client.max-idle",
								"starter: GET, HEAD, OPTIONS, PUT, DELETE", 0, 0));
			});
	}

	@Test
	void jdkBoundIsNeverReportedBelowItsPurgeInterval() {
		String previous = System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY);
		System.setProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY, "1");
		try {
			this.contextRunner.withPropertyValues("spring.http.clients.imperative.factory=jdk").run((context) -> {
				KeepAliveClients clients = context.getBean(KeepAliveClients.class);
				StackDescriptor jdk = clients.describe().stacks().get(0);
				assertThat(jdk.client()).isEqualTo("jdk");
				assertThat(jdk.idleBoundMillis()).isEqualTo(3000);
				assertThat(jdk.idleBoundSource()).contains("jdk.httpclient.keepalive.timeout=1s",
						"the JDK purges expired connections only when its selector thread wakes");
				assertThat(clients.getJdkWarning()).startsWith("jdk.httpclient.keepalive.timeout=1s is below 3s")
					.contains("Set keepalive.client.max-idle to 3s or more");
			});
			System.setProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY, "4");
			this.contextRunner.withPropertyValues("spring.http.clients.imperative.factory=jdk").run((context) -> {
				KeepAliveClients clients = context.getBean(KeepAliveClients.class);
				assertThat(clients.describe().stacks().get(0).idleBoundMillis()).isEqualTo(4000);
				assertThat(clients.getJdkWarning()).isNull();
			});
		}
		finally {
			if (previous != null) {
				System.setProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY, previous);
			}
			else {
				System.clearProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY);
			}
		}
	}

	@Test
	void apacheHttpClientRetriesRestClientRequestsItself() {
		this.contextRunner
			.withPropertyValues("spring.http.clients.imperative.factory=http-components",
					"spring.http.clients.reactive.connector=http-components")
			.run((context) -> assertThat(context.getBean(KeepAliveClients.class).describe().stacks())
				.extracting(StackDescriptor::retry)
				.containsExactly("client: GET, HEAD, OPTIONS, PUT, DELETE (Apache HttpClient's own retry)",
						"starter: GET, HEAD, OPTIONS, PUT, DELETE"));
	}

	@Test
	void metricsCountEvictionsAndRetriesOnRealSockets() throws Exception {
		// The server treats a connection idle for 300 ms as closed. With max-idle=100ms
		// the starter closes the idle connection first (an eviction); with 30s it reuses
		// it, the PUT fails before the response and is retried (a retry).
		try (ClosingServer server = new ClosingServer(300, null)) {
			String url = "http://127.0.0.1:" + server.getPort() + "/";
			this.contextRunner
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, KeepAliveClientMetricsAutoConfiguration.class))
				.withPropertyValues("spring.http.clients.reactive.connector=reactor",
						"spring.http.clients.imperative.factory=jetty", "keepalive.client.max-idle=100ms")
				.run((context) -> {
					assertThat(context).hasSingleBean(KeepAliveClientMetrics.class);
					WebClient client = context.getBean(WebClient.Builder.class).baseUrl(url).build();
					exchange(client, HttpMethod.GET);
					Thread.sleep(600);
					exchange(client, HttpMethod.GET);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(count(registry, "keepalive.client.evictions", "web-client", "reactor")).isOne();
					assertThat(count(registry, "keepalive.client.retries", "web-client", "reactor")).isZero();
					assertThat(count(registry, "keepalive.client.evictions", "rest-client", "jetty")).isZero();
					assertThat(server.resets()).isZero();
				});
			this.contextRunner
				.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, KeepAliveClientMetricsAutoConfiguration.class))
				.withPropertyValues("spring.http.clients.reactive.connector=reactor", "keepalive.client.max-idle=30s")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).baseUrl(url).build();
					exchange(client, HttpMethod.GET);
					Thread.sleep(600);
					exchange(client, HttpMethod.PUT);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(count(registry, "keepalive.client.retries", "web-client", "reactor")).isOne();
					assertThat(count(registry, "keepalive.client.evictions", "web-client", "reactor")).isZero();
					assertThat(server.attempts("PUT")).isEqualTo(2);
				});
		}
	}

	@Test
	void metricsBackOffWhenTheClientSideIsDisabled() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, KeepAliveClientMetricsAutoConfiguration.class))
			.withPropertyValues("keepalive.client.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KeepAliveClientMetrics.class);
				assertThat(context.getBean(MeterRegistry.class).find("keepalive.client.evictions").meter()).isNull();
			});
	}

	private static void exchange(WebClient client, HttpMethod method) {
		WebClient.RequestHeadersSpec<?> request = (method == HttpMethod.GET) ? client.get()
				: client.method(method).bodyValue("body");
		request.retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

	private static double count(MeterRegistry registry, String name, String api, String client) {
		return registry.get(name).tags("api", api, "client", client).functionCounter().count();
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		Throwable candidate = failure;
		while (candidate != null && !type.isInstance(candidate)) {
			candidate = candidate.getCause();
		}
		return type.cast(candidate);
	}

}
