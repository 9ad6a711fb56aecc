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

import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint.ConnectorDescriptor;
import dev.keepalive.autoconfigure.endpoint.KeepAliveEndpoint.KeepAliveDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the runtime hints a native image needs.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveRuntimeHintsTests {

	@Test
	void enumsBoundFromPropertiesAreRegistered() {
		RuntimeHints hints = new RuntimeHints();
		new KeepAliveRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(KeepAliveMode.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(LoadBalancerProvider.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
	}

	@Test
	void endpointResponseTypesAreRegisteredThroughTheReadOperation() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, KeepAliveEndpoint.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(KeepAliveDescriptor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(ConnectorDescriptor.class)).accepts(hints);
	}

}
