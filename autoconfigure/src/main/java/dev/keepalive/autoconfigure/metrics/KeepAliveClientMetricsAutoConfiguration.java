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

package dev.keepalive.autoconfigure.metrics;

import dev.keepalive.autoconfigure.client.KeepAliveClientAutoConfiguration;
import dev.keepalive.autoconfigure.client.KeepAliveClientEvents;
import dev.keepalive.autoconfigure.client.KeepAliveClients;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link KeepAliveClientMetrics}.
 * Separate from {@link KeepAliveMetricsAutoConfiguration}, which needs a web server: the
 * HTTP clients are used in non-web applications too.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = KeepAliveClientAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(KeepAliveClients.class)
public final class KeepAliveClientMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KeepAliveClientMetrics keepAliveClientMetrics(KeepAliveClients clients, KeepAliveClientEvents events) {
		return new KeepAliveClientMetrics(clients, events);
	}

}
