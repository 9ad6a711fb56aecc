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

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link KeepAliveEndpointExposureEnvironmentPostProcessor}.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveEndpointExposureEnvironmentPostProcessorTests {

	private final Log log = mock(Log.class);

	private final KeepAliveEndpointExposureEnvironmentPostProcessor postProcessor = new KeepAliveEndpointExposureEnvironmentPostProcessor(
			(destination) -> this.log);

	@Test
	void exposesHealthAndKeepAliveWhenUserChoseNothing() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health,keepalive");
		then(this.log).should(never()).info(any());
	}

	@Test
	void userChoiceWinsAndMissingKeepAliveIsReported() {
		MockEnvironment environment = new MockEnvironment().withProperty("management.endpoints.web.exposure.include",
				"health,info");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health,info");
		ArgumentCaptor<Object> message = ArgumentCaptor.forClass(Object.class);
		then(this.log).should().info(message.capture());
		assertThat(message.getValue()).asString().contains("[health, info]", "add keepalive");
	}

	@Test
	void userChoiceWithKeepAliveOrWildcardIsQuiet() {
		for (String include : new String[] { "keepalive", "*" }) {
			MockEnvironment environment = new MockEnvironment()
				.withProperty("management.endpoints.web.exposure.include", include);
			this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo(include);
		}
		then(this.log).should(never()).info(any());
	}

}
