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

package dev.keepalive.autoconfigure.endpoint;

import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.RaisedTimeoutWarnings;
import dev.keepalive.autoconfigure.jetty.JettyKeepAliveWebServerFactoryCustomizer;
import dev.keepalive.autoconfigure.tomcat.TomcatKeepAliveWebServerFactoryCustomizer;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies the keep-alive customizers to a separate management server
 * ({@code management.server.port}), which runs in a child context that the application
 * context's web server customizers do not reach. The policy comes from the parent.
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

}
