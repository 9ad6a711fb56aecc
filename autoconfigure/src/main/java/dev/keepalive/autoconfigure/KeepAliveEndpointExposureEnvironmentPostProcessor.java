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

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Exposes the {@code keepalive} actuator endpoint over HTTP, next to {@code health}, when
 * the user has not chosen which endpoints to expose. When they have and left it out, it
 * says how to add it.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveEndpointExposureEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String INCLUDE_PROPERTY = "management.endpoints.web.exposure.include";

	private static final String ENDPOINT_CLASS = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	private final Log logger;

	KeepAliveEndpointExposureEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(KeepAliveEndpointExposureEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(ENDPOINT_CLASS, application.getClassLoader())) {
			return;
		}
		List<String> include = Binder.get(environment)
			.bind(INCLUDE_PROPERTY, Bindable.listOf(String.class))
			.orElse(null);
		if (include == null) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("keepaliveEndpointExposure",
						Map.of(INCLUDE_PROPERTY, "health,keepalive")));
		}
		else if (!include.contains("keepalive") && !include.contains("*")) {
			this.logger.info(INCLUDE_PROPERTY + " is set to " + include + ", so /actuator/keepalive is not reachable "
					+ "over HTTP: add keepalive to it to see the effective keep-alive timeouts");
		}
	}

}
