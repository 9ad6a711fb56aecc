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

package dev.keepalive.autoconfigure.management;

import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.RaisedTimeoutWarnings;
import dev.keepalive.autoconfigure.drain.NettyDrainWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.drain.NettyServerDrain;
import dev.keepalive.autoconfigure.jetty.JettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.netty.NettyConnectorTimeoutsReader;
import dev.keepalive.autoconfigure.netty.NettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.tomcat.TomcatKeepAliveWebServerFactoryCustomizer;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies the keep-alive customizers to a separate management server
 * ({@code management.server.port}). That server runs in a child context, and Spring Boot
 * only applies the customizer beans of the context that owns the server. The policy, the
 * warnings, the Netty reader and the Netty drains come from the parent, whose
 * {@link dev.keepalive.autoconfigure.drain.ConnectionDrain} drains both servers.
 *
 * @author keepalive-spring-boot-starter contributors
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBean(KeepAlivePolicy.class)
class KeepAliveManagementChildContextConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
	static class TomcatKeepAliveManagementConfiguration {

		@Bean
		TomcatKeepAliveWebServerFactoryCustomizer managementTomcatKeepAliveWebServerFactoryCustomizer(
				KeepAlivePolicy policy, RaisedTimeoutWarnings warnings) {
			return new TomcatKeepAliveWebServerFactoryCustomizer(policy, warnings);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Server.class, ConfigurableJettyWebServerFactory.class })
	static class JettyKeepAliveManagementConfiguration {

		@Bean
		JettyKeepAliveWebServerFactoryCustomizer managementJettyKeepAliveWebServerFactoryCustomizer(
				KeepAlivePolicy policy, RaisedTimeoutWarnings warnings) {
			return new JettyKeepAliveWebServerFactoryCustomizer(policy, warnings);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnBean(NettyConnectorTimeoutsReader.class)
	static class NettyKeepAliveManagementConfiguration {

		@Bean
		NettyKeepAliveWebServerFactoryCustomizer managementNettyKeepAliveWebServerFactoryCustomizer(
				KeepAlivePolicy policy, RaisedTimeoutWarnings warnings, NettyConnectorTimeoutsReader reader) {
			return new NettyKeepAliveWebServerFactoryCustomizer(policy, warnings, reader);
		}

		@Bean
		@ConditionalOnBean(NettyServerDrain.Servers.class)
		NettyDrainWebServerFactoryCustomizer managementNettyDrainWebServerFactoryCustomizer(
				NettyServerDrain.Servers servers) {
			return new NettyDrainWebServerFactoryCustomizer(servers);
		}

	}

}
