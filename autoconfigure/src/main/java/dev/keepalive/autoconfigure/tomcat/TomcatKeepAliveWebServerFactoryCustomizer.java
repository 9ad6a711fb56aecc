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

package dev.keepalive.autoconfigure.tomcat;

import dev.keepalive.autoconfigure.ConnectorTimeouts;
import dev.keepalive.autoconfigure.KeepAliveMode;
import dev.keepalive.autoconfigure.KeepAlivePolicy;
import dev.keepalive.autoconfigure.RaisedTimeoutWarnings;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http2.Http2Protocol;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.log.LogMessage;

/**
 * Raises the keep-alive and connection timeouts of every Tomcat connector, and the
 * keep-alive timeout of its HTTP/2 upgrade protocol, above the load balancer's idle
 * timeout, in {@link KeepAliveMode#ADJUST adjust} mode. Timeouts are only ever raised.
 * With the keep-alive hint on, adds the {@link TomcatKeepAliveHintValve}.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class TomcatKeepAliveWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/**
	 * Order of this customizer: after Spring Boot's own (order 0), so that the
	 * {@code server.tomcat.*} properties are applied first and seen here.
	 */
	public static final int ORDER = 1;

	private static final Log logger = LogFactory.getLog(TomcatKeepAliveWebServerFactoryCustomizer.class);

	private final KeepAlivePolicy policy;

	private final RaisedTimeoutWarnings warnings;

	public TomcatKeepAliveWebServerFactoryCustomizer(KeepAlivePolicy policy, RaisedTimeoutWarnings warnings) {
		this.policy = policy;
		this.warnings = warnings;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		if (this.policy.isKeepAliveHint()) {
			factory.addEngineValves(new TomcatKeepAliveHintValve());
		}
		if (this.policy.isAdjusting()) {
			// A context customizer runs once every connector has been created: the main
			// one after the connector customizers, and the additional ones.
			factory.addContextCustomizers(this::customizeConnectors);
		}
	}

	private void customizeConnectors(Context context) {
		Container host = context.getParent();
		if (host != null && host.getParent() instanceof Engine engine && engine.getService() != null) {
			for (Connector connector : engine.getService().findConnectors()) {
				if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
					customize(protocol, connector.findUpgradeProtocols());
				}
			}
		}
	}

	private void customize(AbstractProtocol<?> protocol, UpgradeProtocol[] upgradeProtocols) {
		long keepAlive = raisedKeepAlive(ConnectorTimeouts.timeout(protocol.getKeepAliveTimeout()));
		// An unset keep-alive timeout follows the connection timeout, so it is always
		// set explicitly before the connection timeout changes.
		protocol.setKeepAliveTimeout((int) keepAlive);
		long longestKeepAlive = keepAlive;
		for (UpgradeProtocol upgradeProtocol : upgradeProtocols) {
			if (upgradeProtocol instanceof Http2Protocol http2) {
				long current = TomcatConnectorTimeoutsReader.http2Timeout(http2.getKeepAliveTimeout());
				long http2KeepAlive = raisedKeepAlive(current);
				if (http2KeepAlive != current) {
					http2.setKeepAliveTimeout(http2KeepAlive);
				}
				longestKeepAlive = longest(longestKeepAlive, http2KeepAlive);
			}
		}
		long connectionTimeout = ConnectorTimeouts.timeout(protocol.getConnectionTimeout());
		long requiredConnectionTimeout = this.policy.getRequiredHeaderTimeoutMillis(longestKeepAlive);
		if (connectionTimeout != ConnectorTimeouts.NEVER && connectionTimeout < requiredConnectionTimeout) {
			if (requiredConnectionTimeout > KeepAlivePolicy.MAX_TIMEOUT_MILLIS) {
				throw new InvalidConfigurationPropertyValueException(TomcatConnectorTimeoutsReader.KEEP_ALIVE_PROPERTY,
						longestKeepAlive + "ms", "must leave room for lb.header-timeout-margin below "
								+ KeepAlivePolicy.MAX_TIMEOUT_MILLIS + "ms, the largest timeout Tomcat accepts");
			}
			this.warnings.raising(TomcatConnectorTimeoutsReader.HEADER_TIMEOUT_PROPERTY, connectionTimeout,
					requiredConnectionTimeout);
			protocol.setConnectionTimeout((int) requiredConnectionTimeout);
		}
		logger.debug(LogMessage.format("Tomcat connector %s: keep-alive timeout %dms, connection timeout %dms",
				protocol.getName(), protocol.getKeepAliveTimeout(), protocol.getConnectionTimeout()));
	}

	private long raisedKeepAlive(long keepAlive) {
		long required = this.policy.getRequiredKeepAliveMillis();
		if (keepAlive == ConnectorTimeouts.NEVER || keepAlive >= required) {
			return keepAlive;
		}
		this.warnings.raising(TomcatConnectorTimeoutsReader.KEEP_ALIVE_PROPERTY, keepAlive, required);
		return required;
	}

	private static long longest(long timeout, long other) {
		return (timeout == ConnectorTimeouts.NEVER || other == ConnectorTimeouts.NEVER) ? ConnectorTimeouts.NEVER
				: Math.max(timeout, other);
	}

}
