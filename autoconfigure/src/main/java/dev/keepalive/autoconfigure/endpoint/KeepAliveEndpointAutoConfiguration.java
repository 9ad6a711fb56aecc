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

import dev.keepalive.autoconfigure.KeepAliveAutoConfiguration;
import dev.keepalive.autoconfigure.KeepAliveInspector;
import dev.keepalive.autoconfigure.client.KeepAliveClients;
import dev.keepalive.autoconfigure.drain.ConnectionDrain;
import dev.keepalive.autoconfigure.drain.KeepAliveDrainAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link KeepAliveEndpoint}.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = { KeepAliveAutoConfiguration.class, KeepAliveDrainAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(KeepAliveEndpoint.class)
@ConditionalOnBean(KeepAliveInspector.class)
public final class KeepAliveEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KeepAliveEndpoint keepAliveEndpoint(KeepAliveInspector inspector, ObjectProvider<ConnectionDrain> drain,
			ObjectProvider<KeepAliveClients> clients) {
		return new KeepAliveEndpoint(inspector, drain.getIfAvailable(), clients.getIfAvailable());
	}

}
