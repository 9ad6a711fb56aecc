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

package dev.keepalive.autoconfigure.jetty;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveMode;
import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.RaisedTimeoutWarnings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.Container;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.log.LogMessage;

/**
 * Raises the idle timeout of every Jetty connector above the load balancer's idle
 * timeout, in {@link KeepAliveMode#ADJUST adjust} mode. Timeouts are only ever raised.
 * <p>
 * The connector idle timeout is the one to set: Jetty's {@code HttpConfiguration} idle
 * timeout only applies while a request is being handled, and the connector's applies
 * again between requests.
 * <p>
 * With the keep-alive hint on, adds the {@link JettyKeepAliveHint} to the HTTP/1.1
 * configuration of every connector.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class JettyKeepAliveWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

	/**
	 * Order of this customizer: after Spring Boot's own (order 0), so that the
	 * {@code server.jetty.*} properties are applied first and seen here.
	 */
	public static final int ORDER = 1;

	private static final Log logger = LogFactory.getLog(JettyKeepAliveWebServerFactoryCustomizer.class);

	private final KeepAlivePolicy policy;

	private final RaisedTimeoutWarnings warnings;

	public JettyKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy, RaisedTimeoutWarnings warnings) {
		this.policy = policy;
		this.warnings = warnings;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		if (this.policy.isAdjusting() || this.policy.isKeepAliveHint()) {
			factory.addServerCustomizers(this::customizeConnectors);
		}
	}

	private void customizeConnectors(Server server) {
		// Spring Boot's JettyWebServer removes the connectors when it creates the server
		// and adds them back when it starts it: after every server customizer, including
		// ones that run after this one. A container listener sees each connector then.
		server.addEventListener(new Container.Listener() {

			@Override
			public void beanAdded(Container parent, Object child) {
				if (child instanceof AbstractConnector connector) {
					customize(connector);
				}
			}

			@Override
			public void beanRemoved(Container parent, Object child) {
			}

		});
	}

	private void customize(AbstractConnector connector) {
		if (this.policy.isKeepAliveHint()) {
			addKeepAliveHint(connector);
		}
		if (this.policy.isAdjusting()) {
			raiseIdleTimeout(connector);
		}
	}

	private void addKeepAliveHint(AbstractConnector connector) {
		for (ConnectionFactory factory : connector.getConnectionFactories()) {
			if (factory instanceof HttpConnectionFactory http11) {
				HttpConfiguration configuration = http11.getHttpConfiguration();
				// The connector is added again when the server starts, and its HTTP/2
				// factory can share the configuration.
				if (configuration.getCustomizer(JettyKeepAliveHint.class) == null) {
					configuration.addCustomizer(new JettyKeepAliveHint());
				}
			}
		}
	}

	private void raiseIdleTimeout(AbstractConnector connector) {
		long idleTimeout = ConnectorTimeouts.timeout(connector.getIdleTimeout());
		long required = this.policy.getRequiredKeepAliveMillis();
		if (idleTimeout != ConnectorTimeouts.NEVER && idleTimeout < required) {
			this.warnings.raising(JettyConnectorTimeoutsReader.IDLE_TIMEOUT_PROPERTY, idleTimeout, required);
			connector.setIdleTimeout(required);
		}
		logger.debug(LogMessage.format("Jetty connector %s: idle timeout %dms", connector, connector.getIdleTimeout()));
	}

}
