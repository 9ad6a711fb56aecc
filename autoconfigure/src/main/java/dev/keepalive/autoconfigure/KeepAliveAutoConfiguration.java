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

import dev.keepalive.autoconfigure.jetty.JettyConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.jetty.JettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.netty.NettyConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.netty.NettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.tomcat.TomcatConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.tomcat.TomcatKeepAliveWebServerFactoryCustomizer;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that keeps the embedded web server's
 * keep-alive and header timeouts above the load balancer's idle timeout.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnWebApplication
@EnableConfigurationProperties(LoadBalancerProperties.class)
@ImportRuntimeHints(KeepAliveRuntimeHints.class)
public final class KeepAliveAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KeepAlivePolicy keepAlivePolicy(LoadBalancerProperties properties) {
		return KeepAlivePolicy.of(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	KeepAliveInspector keepAliveInspector(KeepAlivePolicy policy, ObjectProvider<ConnectorTimeoutsReader> readers) {
		return new KeepAliveInspector(policy, readers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	RaisedTimeoutWarnings raisedTimeoutWarnings(Environment environment, KeepAlivePolicy policy) {
		return new RaisedTimeoutWarnings(environment, policy);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
	static class TomcatKeepAliveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TomcatKeepAliveWebServerFactoryCustomizer tomcatKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy,
				RaisedTimeoutWarnings warnings) {
			return new TomcatKeepAliveWebServerFactoryCustomizer(policy, warnings);
		}

		@Bean
		@ConditionalOnMissingBean
		TomcatConnectorTimeoutsReader tomcatConnectorTimeoutsReader() {
			return new TomcatConnectorTimeoutsReader();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class NettyKeepAliveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NettyKeepAliveWebServerFactoryCustomizer nettyKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy,
				RaisedTimeoutWarnings warnings, NettyConnectorTimeoutsReader reader) {
			return new NettyKeepAliveWebServerFactoryCustomizer(policy, warnings, reader);
		}

		@Bean
		@ConditionalOnMissingBean
		NettyConnectorTimeoutsReader nettyConnectorTimeoutsReader() {
			return new NettyConnectorTimeoutsReader();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Server.class, ConfigurableJettyWebServerFactory.class })
	static class JettyKeepAliveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JettyKeepAliveWebServerFactoryCustomizer jettyKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy,
				RaisedTimeoutWarnings warnings) {
			return new JettyKeepAliveWebServerFactoryCustomizer(policy, warnings);
		}

		@Bean
		@ConditionalOnMissingBean
		JettyConnectorTimeoutsReader jettyConnectorTimeoutsReader() {
			return new JettyConnectorTimeoutsReader();
		}

	}

}
