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

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link JdkKeepAliveTimeoutEnvironmentPostProcessor}: only the cases that
 * leave the JVM-wide property alone (the JDK reads it once per JVM; setting it is proven
 * in {@link JdkClientKeepAliveWireTests}, in a JVM of its own).
 *
 * @author keepalive-spring-boot-starter contributors
 */
class JdkKeepAliveTimeoutEnvironmentPostProcessorTests {

	private final JdkKeepAliveTimeoutEnvironmentPostProcessor postProcessor = new JdkKeepAliveTimeoutEnvironmentPostProcessor(
			Supplier::get);

	private final String before = System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY);

	@Test
	void enabledThatIsNotABooleanFailsStartupNamingTheProperty() {
		MockEnvironment environment = new MockEnvironment().withProperty("keepalive.client.enabled", "sometimes");
		BindException exception = catchThrowableOfType(BindException.class,
				() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()));
		assertThat(exception).isNotNull();
		assertThat(exception.getProperty()).isNotNull();
		assertThat(exception.getProperty().getName()).hasToString("keepalive.client.enabled");
		assertThat(System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY)).isEqualTo(this.before);
	}

	@Test
	void leavesTheJdkAloneWhenTheClientSideIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("keepalive.client.enabled", "false")
			.withProperty("keepalive.client.max-idle", "2s");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY)).isEqualTo(this.before);
	}

	@Test
	void leavesBadMaxIdleToTheBindingThatNamesTheAcceptedForm() {
		MockEnvironment environment = new MockEnvironment().withProperty("keepalive.client.max-idle", "four");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(System.getProperty(JdkKeepAliveTimeoutEnvironmentPostProcessor.PROPERTY)).isEqualTo(this.before);
	}

}
