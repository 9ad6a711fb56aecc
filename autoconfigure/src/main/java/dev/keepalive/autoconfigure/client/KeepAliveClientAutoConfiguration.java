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

import java.util.List;

import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.reactive.ReactiveResponseConsumer;
import org.apache.hc.core5.util.TimeValue;
import org.eclipse.jetty.reactive.client.ReactiveRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.JettyClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ReactorClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.HttpComponentsClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.JettyClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.client.RestClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that keeps the HTTP clients Spring
 * Boot builds for RestClient, RestTemplate and WebClient from reusing an idle connection
 * the server may have closed, and retries a safe request once when it failed on one. It
 * customizes Spring Boot's client builders, so {@code spring.http.clients.*} and the
 * application's own customizers keep working; its customizers run first, so that a
 * setting the application makes on the same client wins.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration" })
@ConditionalOnClass(HttpClientSettings.class)
@ConditionalOnBooleanProperty(name = "keepalive.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KeepAliveClientProperties.class)
public final class KeepAliveClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClientKeepAlivePolicy clientKeepAlivePolicy(KeepAliveClientProperties properties) {
		return ClientKeepAlivePolicy.of(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	KeepAliveClientEvents keepAliveClientEvents() {
		return new KeepAliveClientEvents();
	}

	@Bean
	@ConditionalOnMissingBean
	KeepAliveClients keepAliveClients(ClientKeepAlivePolicy policy, KeepAliveClientEvents events,
			ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
			ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder) {
		return new KeepAliveClients(policy, events, requestFactoryBuilder::getIfUnique, connectorBuilder::getIfUnique);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HttpClientBuilder.class)
	static class HttpComponentsConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> httpComponentsKeepAliveRequestFactoryBuilderCustomizer(
				ClientKeepAlivePolicy policy) {
			return (builder) -> builder.withHttpClientCustomizer(
					(client) -> client.setKeepAliveStrategy(new HttpComponentsKeepAliveStrategy(policy)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpAsyncClientBuilder.class, ReactiveResponseConsumer.class, ClientHttpConnector.class,
			Mono.class })
	static class HttpComponentsAsyncConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ClientHttpConnectorBuilderCustomizer<HttpComponentsClientHttpConnectorBuilder> httpComponentsKeepAliveConnectorBuilderCustomizer(
				ClientKeepAlivePolicy policy) {
			return (builder) -> builder.withHttpClientCustomizer((client) -> {
				client.setKeepAliveStrategy(new HttpComponentsKeepAliveStrategy(policy));
				if (policy.isRetry()) {
					// The async client does not retry a connection closed by the peer;
					// the
					// starter's WebClient filter retries instead, so this one must not
					// too.
					client.setRetryStrategy(new DefaultHttpRequestRetryStrategy(0, TimeValue.ZERO_MILLISECONDS));
				}
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(reactor.netty.http.client.HttpClient.class)
	static class ReactorConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ClientHttpRequestFactoryBuilderCustomizer<ReactorClientHttpRequestFactoryBuilder> reactorKeepAliveRequestFactoryBuilderCustomizer(
				ClientKeepAlivePolicy policy, KeepAliveClientEvents events) {
			return (builder) -> builder
				.withHttpClientCustomizer(new ReactorIdleEviction(policy, KeepAliveClientEvents.REST_CLIENT, events));
		}

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> reactorKeepAliveConnectorBuilderCustomizer(
				ClientKeepAlivePolicy policy, KeepAliveClientEvents events) {
			return (builder) -> builder
				.withHttpClientCustomizer(new ReactorIdleEviction(policy, KeepAliveClientEvents.WEB_CLIENT, events));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(org.eclipse.jetty.client.HttpClient.class)
	static class JettyConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ClientHttpRequestFactoryBuilderCustomizer<JettyClientHttpRequestFactoryBuilder> jettyKeepAliveRequestFactoryBuilderCustomizer(
				ClientKeepAlivePolicy policy, KeepAliveClientEvents events) {
			return (builder) -> builder
				.withHttpClientCustomizer(new JettyIdleEviction(policy, KeepAliveClientEvents.REST_CLIENT, events));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ org.eclipse.jetty.client.HttpClient.class, ReactiveRequest.class })
	static class JettyReactiveConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ClientHttpConnectorBuilderCustomizer<JettyClientHttpConnectorBuilder> jettyKeepAliveConnectorBuilderCustomizer(
				ClientKeepAlivePolicy policy, KeepAliveClientEvents events) {
			return (builder) -> builder
				.withHttpClientCustomizer(new JettyIdleEviction(policy, KeepAliveClientEvents.WEB_CLIENT, events));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	@ConditionalOnBooleanProperty(name = "keepalive.client.retry", matchIfMissing = true)
	static class RestClientRetryConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		RestClientCustomizer keepAliveRetryRestClientCustomizer(
				ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
				KeepAliveClientEvents events) {
			return (builder) -> {
				KeepAliveRetryInterceptor interceptor = retryInterceptor(requestFactoryBuilder, events);
				if (interceptor != null) {
					builder.requestInterceptors((interceptors) -> interceptors.add(0, interceptor));
				}
			};
		}

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		RestTemplateCustomizer keepAliveRetryRestTemplateCustomizer(
				ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
				KeepAliveClientEvents events) {
			return (restTemplate) -> {
				KeepAliveRetryInterceptor interceptor = retryInterceptor(requestFactoryBuilder, events);
				if (interceptor != null) {
					restTemplate.getInterceptors().add(0, interceptor);
				}
			};
		}

		private static @Nullable KeepAliveRetryInterceptor retryInterceptor(
				ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
				KeepAliveClientEvents events) {
			ClientStack stack = ClientStack.of(requestFactoryBuilder.getIfUnique());
			// Apache HttpClient retries the same requests by itself.
			return (stack != null && stack != ClientStack.HTTP_COMPONENTS)
					? new KeepAliveRetryInterceptor(stack, events) : null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClientCustomizer.class, Mono.class })
	@ConditionalOnBooleanProperty(name = "keepalive.client.retry", matchIfMissing = true)
	static class WebClientRetryConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebClientCustomizer keepAliveRetryWebClientCustomizer(
				ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder, KeepAliveClientEvents events) {
			return (builder) -> {
				ClientStack stack = ClientStack.of(connectorBuilder.getIfUnique());
				if (stack != null) {
					KeepAliveRetryFilter filter = new KeepAliveRetryFilter(stack, events);
					builder.filters((filters) -> filters.add(0, filter));
				}
			};
		}

	}

	/**
	 * Spring Boot does not auto-configure a {@link ClientHttpRequestFactoryBuilder} in a
	 * reactive web application, so the RestClient there would be built without any
	 * customizer. This one is built as in other applications: from
	 * {@code spring.http.clients.imperative.factory} or the class path, with every
	 * {@link ClientHttpRequestFactoryBuilderCustomizer}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(RestClient.class)
	static class ReactiveWebApplicationRestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClientHttpRequestFactoryBuilder<?> clientHttpRequestFactoryBuilder(Environment environment,
				ResourceLoader resourceLoader,
				ObjectProvider<ClientHttpRequestFactoryBuilderCustomizer<?>> customizers) {
			String factory = Binder.get(environment)
				.bind("spring.http.clients.imperative.factory", String.class)
				.orElse(null);
			ClientHttpRequestFactoryBuilder<?> builder = (factory != null) ? builder(factory)
					: ClientHttpRequestFactoryBuilder.detect(resourceLoader.getClassLoader());
			return customize(builder, customizers.orderedStream().toList());
		}

		private static ClientHttpRequestFactoryBuilder<?> builder(String factory) {
			return switch (factory.toLowerCase().replace("_", "-")) {
				case "http-components" -> ClientHttpRequestFactoryBuilder.httpComponents();
				case "jetty" -> ClientHttpRequestFactoryBuilder.jetty();
				case "reactor" -> ClientHttpRequestFactoryBuilder.reactor();
				case "jdk" -> ClientHttpRequestFactoryBuilder.jdk();
				default -> ClientHttpRequestFactoryBuilder.simple();
			};
		}

		@SuppressWarnings("unchecked")
		private static ClientHttpRequestFactoryBuilder<?> customize(ClientHttpRequestFactoryBuilder<?> builder,
				List<ClientHttpRequestFactoryBuilderCustomizer<?>> customizers) {
			ClientHttpRequestFactoryBuilder<?>[] customized = { builder };
			LambdaSafe.callbacks(ClientHttpRequestFactoryBuilderCustomizer.class, customizers, customized[0])
				.invoke((customizer) -> customized[0] = customizer.customize(customized[0]));
			return customized[0];
		}

	}

}
