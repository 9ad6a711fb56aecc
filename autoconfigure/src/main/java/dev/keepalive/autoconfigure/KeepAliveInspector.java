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

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Reads the effective timeouts of the application's running web servers (the main one and
 * a separate management server) and checks them against the {@link KeepAlivePolicy}: once
 * when each server has started, where it logs the outcome and, in
 * {@link KeepAliveMode#FAIL fail} mode, stops startup; and again whenever
 * {@link #assess()} is called.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class KeepAliveInspector implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(KeepAliveInspector.class);

	/**
	 * Order of web server names: {@code application} first, then the others, such as
	 * {@code management}, by name.
	 */
	public static final Comparator<String> WEB_SERVER_ORDER = Comparator
		.comparing((String name) -> !ConnectorTimeouts.APPLICATION.equals(name))
		.thenComparing(Comparator.naturalOrder());

	private final KeepAlivePolicy policy;

	private final List<ConnectorTimeoutsReader> readers;

	private final Map<WebServer, String> webServers = new ConcurrentHashMap<>();

	public KeepAliveInspector(KeepAlivePolicy policy, List<ConnectorTimeoutsReader> readers) {
		this.policy = policy;
		this.readers = List.copyOf(readers);
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		String name = webServerName(event);
		this.webServers.put(event.getWebServer(), name);
		List<ConnectorTimeouts> connectors = getConnectors(event.getWebServer(), name);
		KeepAliveAssessment assessment = KeepAliveAssessment.of(this.policy, connectors);
		logger.info(getStartedLogMessage(connectors));
		assessment.warnings().forEach(logger::warn);
		if (this.policy.getMode() == KeepAliveMode.FAIL && assessment.status() == KeepAliveAssessment.Status.INVERTED) {
			throw new KeepAliveTimeoutsInvertedException(this.policy.getIdleTimeoutMillis(),
					this.policy.describeIdleTimeoutSource(), assessment.warnings());
		}
	}

	/**
	 * Return the timeouts of every connector of the running web servers: the
	 * application's, then a separate management server's.
	 * @return the connectors' timeouts, empty before a server has started
	 */
	public List<ConnectorTimeouts> getConnectors() {
		return this.webServers.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue(WEB_SERVER_ORDER))
			.flatMap((entry) -> getConnectors(entry.getKey(), entry.getValue()).stream())
			.toList();
	}

	/**
	 * Assess the running web server's connectors against the policy.
	 * @return the assessment
	 */
	public KeepAliveAssessment assess() {
		return KeepAliveAssessment.of(this.policy, getConnectors());
	}

	/**
	 * Return the name of the web server that the event is about.
	 * @param event the event
	 * @return {@code application}, or the server namespace, such as {@code management}
	 */
	public static String webServerName(WebServerInitializedEvent event) {
		String namespace = event.getApplicationContext().getServerNamespace();
		return (namespace != null) ? namespace : ConnectorTimeouts.APPLICATION;
	}

	public KeepAlivePolicy getPolicy() {
		return this.policy;
	}

	String getStartedLogMessage(List<ConnectorTimeouts> connectors) {
		String timeouts = connectors.stream().map(this::describe).collect(Collectors.joining("; "));
		Long idleTimeout = this.policy.getIdleTimeoutMillis();
		LoadBalancerProvider provider = this.policy.getProvider();
		if (idleTimeout == null && provider != null) {
			return "lb.provider=" + provider.getId() + ": " + provider.getNote()
					+ ". Server timeouts were left as they are (" + timeouts + ")";
		}
		if (idleTimeout == null) {
			return "No load balancer idle timeout declared, so server timeouts were left as they are (" + timeouts
					+ "). Set lb.idle-timeout to your load balancer's idle timeout (AWS ALB: 60), or lb.provider, to "
					+ "keep idle connections open until the load balancer closes them";
		}
		String source = "lb.provider".equals(this.policy.getIdleTimeoutSource())
				? "lb.provider=" + provider.getId() + ", " : "";
		return "Keep-alive timeouts for a load balancer idle timeout of " + idleTimeout + "ms (" + source + "lb.mode="
				+ this.policy.getMode().name().toLowerCase() + "): " + timeouts;
	}

	private String describe(ConnectorTimeouts connector) {
		String description = connector.describe() + " keep-alive " + millis(connector.keepAliveTimeoutMillis());
		return connector.hasSeparateHeaderTimeout()
				? description + ", header " + millis(connector.headerTimeoutMillis()) : description;
	}

	private static String millis(long timeout) {
		return (timeout != ConnectorTimeouts.NEVER) ? timeout + "ms" : "never";
	}

	/**
	 * Return the timeouts of every connector of the given running web server.
	 * @param webServer the web server
	 * @param name the web server's name, see {@link #webServerName}
	 * @return the connectors' timeouts
	 */
	public List<ConnectorTimeouts> getConnectors(WebServer webServer, String name) {
		return this.readers.stream()
			.flatMap((reader) -> reader.read(webServer).stream())
			.map((connector) -> connector.withWebServer(name))
			.toList();
	}

}
