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

import dev.keepalive.autoconfigure.KeepAliveAutoConfiguration;
import dev.keepalive.autoconfigure.LoadBalancerProperties;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link ConnectionDrain} that
 * runs at shutdown, before graceful shutdown.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = KeepAliveAutoConfiguration.class)
@ConditionalOnWebApplication
@EnableConfigurationProperties(LoadBalancerProperties.class)
public final class KeepAliveDrainAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DrainPolicy drainPolicy(LoadBalancerProperties properties, Environment environment) {
		return DrainPolicy.of(properties, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionDrain connectionDrain(DrainPolicy policy, ObjectProvider<ServerDrainFactory> factories,
			ApplicationContext context, ObjectProvider<ApplicationAvailability> availability) {
		return new ConnectionDrain(policy, factories.orderedStream().toList(), context, availability.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatWebServer.class })
	static class TomcatDrainConfiguration {

		@Bean
		ServerDrainFactory tomcatServerDrainFactory() {
			return TomcatServerDrain::of;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Server.class, JettyWebServer.class })
	static class JettyDrainConfiguration {

		@Bean
		ServerDrainFactory jettyServerDrainFactory() {
			return JettyServerDrain::of;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class NettyDrainConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NettyServerDrain.Servers nettyServerDrains() {
			return new NettyServerDrain.Servers();
		}

		@Bean
		ServerDrainFactory nettyServerDrainFactory(NettyServerDrain.Servers servers) {
			return servers::drainOf;
		}

		@Bean
		NettyDrainWebServerFactoryCustomizer nettyDrainWebServerFactoryCustomizer(NettyServerDrain.Servers servers) {
			return new NettyDrainWebServerFactoryCustomizer(servers);
		}

	}

}
