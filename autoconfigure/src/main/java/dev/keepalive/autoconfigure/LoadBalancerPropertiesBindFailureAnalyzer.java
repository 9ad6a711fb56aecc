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

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a value of an {@code lb.*} or {@code keepalive.client.*} property that could
 * not be converted, naming the form the property accepts. Ordered before Spring Boot's
 * generic bind failure analyzer.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class LoadBalancerPropertiesBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	private static final Set<String> KEYS = Set.of("lb.idle-timeout", "lb.keep-alive-margin",
			"lb.header-timeout-margin", "lb.mode", "lb.provider", "lb.keep-alive-hint", "lb.drain.enabled",
			"lb.drain.timeout", "keepalive.client.enabled", "keepalive.client.max-idle", "keepalive.client.hint-margin",
			"keepalive.client.retry");

	@Override
	public int getOrder() {
		return 0;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		ConfigurationProperty property = cause.getProperty();
		if (property == null || !KEYS.contains(property.getName().toString())) {
			return null;
		}
		String name = property.getName().toString();
		String description = String.format("Failed to bind %s:%n%n    Value: \"%s\"%n    Origin: %s%n    Reason: %s",
				name, property.getValue(), property.getOrigin(), getReason(cause));
		return new FailureAnalysis(description, "Set " + name + " to " + acceptedForm(name) + ".", cause);
	}

	private String getReason(Throwable cause) {
		Throwable reason = cause;
		while (reason.getCause() != null) {
			reason = reason.getCause();
		}
		return reason.getMessage();
	}

	private String acceptedForm(String name) {
		if (name.equals("lb.mode")) {
			return "one of " + Arrays.stream(KeepAliveMode.values())
				.map((mode) -> mode.name().toLowerCase())
				.collect(Collectors.joining(", "));
		}
		if (name.equals("lb.keep-alive-hint")) {
			return "true or false";
		}
		if (name.equals("lb.drain.enabled")) {
			return "true or false, or leave it unset to drain only where a load balancer is declared and Spring "
					+ "Boot detects Kubernetes, AWS ECS or Heroku";
		}
		if (name.equals("lb.provider")) {
			return "one of " + Arrays.stream(LoadBalancerProvider.values())
				.map(LoadBalancerProvider::getId)
				.collect(Collectors.joining(", ")) + ", or leave it unset and set lb.idle-timeout";
		}
		if (name.equals("keepalive.client.enabled") || name.equals("keepalive.client.retry")) {
			return "true or false";
		}
		if (name.startsWith("keepalive.client.")) {
			return "a positive duration such as 4 (seconds), 4s or 800ms";
		}
		return "a positive duration such as 60 (seconds), 60s, 1m or 500ms";
	}

}
