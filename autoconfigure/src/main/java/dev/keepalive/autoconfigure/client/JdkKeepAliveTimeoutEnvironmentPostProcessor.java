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

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Bounds the idle time of the JDK's {@code java.net.http.HttpClient} connections. Its
 * keep-alive can only be set JVM-wide, through the {@value #PROPERTY} system property in
 * whole seconds, which the JDK reads once, when the first client is created. This sets it
 * as early as Spring Boot allows, before any bean exists, to
 * {@code keepalive.client.max-idle} rounded down to whole seconds, unless the user has
 * set it (as a system property or in the JDK's {@code net.properties}).
 *
 * @author keepalive-spring-boot-starter contributors
 */
class JdkKeepAliveTimeoutEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "jdk.httpclient.keepalive.timeout";

	private static volatile @Nullable Long setByStarter;

	private final Log logger;

	JdkKeepAliveTimeoutEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(JdkKeepAliveTimeoutEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		// A value that is not a boolean fails startup here: the client
		// auto-configuration's
		// condition would otherwise just not match, and never bind it.
		if (!binder.bind("keepalive.client.enabled", Boolean.class).orElse(true)) {
			return;
		}
		Duration maxIdle;
		try {
			maxIdle = binder.bind("keepalive.client.max-idle", Duration.class).orElse(Duration.ofSeconds(4));
		}
		catch (BindException ex) {
			// Reported with the accepted form when the properties are bound.
			return;
		}
		if (maxIdle.isNegative() || maxIdle.isZero() || System.getProperty(PROPERTY) != null || netProperty() != null) {
			return;
		}
		long seconds = maxIdle.toSeconds();
		System.setProperty(PROPERTY, String.valueOf(seconds));
		setByStarter = seconds;
		this.logger
			.debug(PROPERTY + "=" + seconds + " set from keepalive.client.max-idle=" + maxIdle.toMillis() + "ms");
	}

	/**
	 * Describe the JDK client's keep-alive: its value and who set it.
	 * @return the description
	 */
	static String describe() {
		String value = System.getProperty(PROPERTY);
		if (value != null) {
			Long starter = setByStarter;
			return PROPERTY + "=" + value + "s (" + ((starter != null && value.equals(String.valueOf(starter)))
					? "set by the starter" : "set by the user, left as it is") + ")";
		}
		String net = netProperty();
		if (net != null) {
			return PROPERTY + "=" + net + "s (from the JDK's net.properties, left as it is)";
		}
		return PROPERTY + " not set (the JDK's default: 1200s on JDK 17, 30s from JDK 20)";
	}

	/**
	 * Return the JDK client's keep-alive in seconds, as far as it can be known.
	 * @return the seconds, or {@code null} if the JDK's default applies
	 */
	static @Nullable Long keepAliveSeconds() {
		String value = System.getProperty(PROPERTY);
		if (value == null) {
			value = netProperty();
		}
		try {
			return (value != null) ? Long.valueOf(value.trim()) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	static boolean isSetByStarter() {
		Long starter = setByStarter;
		return starter != null && String.valueOf(starter).equals(System.getProperty(PROPERTY));
	}

	private static @Nullable String netProperty() {
		Path file = Path.of(System.getProperty("java.home"), "conf", "net.properties");
		if (!Files.isReadable(file)) {
			return null;
		}
		try (InputStream in = Files.newInputStream(file)) {
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty(PROPERTY);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
