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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoadBalancerProvider} presets as {@link KeepAlivePolicy} applies them.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class LoadBalancerProviderTests {

	@ParameterizedTest
	@CsvSource({ "aws-alb, 60000, 65000, 70000", "aws-clb, 60000, 65000, 70000", "aws-cloudfront, 5000, 10000, 15000",
			"gcp, 600000, 605000, 610000", "gcp-regional, 600000, 605000, 610000",
			"azure-front-door, 90000, 95000, 100000", "cloudflare, 900000, 905000, 910000",
			"nginx, 60000, 65000, 70000", "ingress-nginx, 60000, 65000, 70000", "envoy, 3600000, 3605000, 3610000",
			"istio, 3600000, 3605000, 3610000", "traefik, 90000, 95000, 100000", "oci, 300000, 310000, 315000" })
	void providerImpliesItsIdleTimeout(String provider, long idleTimeout, long keepAlive, long headerTimeout) {
		KeepAlivePolicy policy = bind("lb.provider", provider);
		assertThat(policy.getProvider()).hasToString(provider);
		assertThat(policy.getIdleTimeoutMillis()).isEqualTo(idleTimeout);
		assertThat(policy.getIdleTimeoutSource()).isEqualTo("lb.provider");
		assertThat(policy.getRequiredKeepAliveMillis()).isEqualTo(keepAlive);
		assertThat(policy.getRequiredHeaderTimeoutMillis(keepAlive)).isEqualTo(headerTimeout);
	}

	@ParameterizedTest
	@EnumSource(names = { "AWS_NLB", "AZURE_LB", "OCI_NLB", "AZURE_APP_GATEWAY", "HAPROXY" })
	void providerWithoutPooledIdleTimeoutChangesNothingAndSaysWhy(LoadBalancerProvider provider) {
		KeepAlivePolicy policy = bind("lb.provider", provider.getId());
		assertThat(policy.isConfigured()).isFalse();
		assertThat(policy.getIdleTimeoutSource()).isNull();
		assertThat(provider.getNote()).startsWith(provider.getId() + " ");
	}

	@Test
	void passThroughProvidersSayThatKeepAliveDoesNotHelp() {
		assertThat(Arrays.asList(LoadBalancerProvider.AWS_NLB, LoadBalancerProvider.AZURE_LB,
				LoadBalancerProvider.OCI_NLB))
			.allSatisfy((provider) -> assertThat(provider.getNote()).contains("pass-through (layer 4)",
					"does not pool connections", "a longer keep-alive does not help", "TCP keepalive",
					"Keep-Alive: timeout=N", "lb.keep-alive-hint"));
	}

	@Test
	void explicitIdleTimeoutWinsOverProvider() {
		KeepAlivePolicy policy = bind("lb.provider", "gcp", "lb.idle-timeout", "30");
		assertThat(policy.getIdleTimeoutMillis()).isEqualTo(30_000);
		assertThat(policy.getIdleTimeoutSource()).isEqualTo("lb.idle-timeout");
		assertThat(policy.getProvider()).isEqualTo(LoadBalancerProvider.GCP);
	}

	@Test
	void vendorMinimumIsMetEvenWithAnExplicitIdleTimeout() {
		KeepAlivePolicy policy = bind("lb.provider", "oci", "lb.idle-timeout", "300", "lb.keep-alive-margin", "1s");
		assertThat(policy.getRequiredKeepAliveMillis()).isEqualTo(310_000);
		assertThat(policy.getAcceptableKeepAliveMillis()).isEqualTo(310_000);
	}

	@Test
	void everyProviderIdIsKebabCaseAndUnique() {
		assertThat(LoadBalancerProvider.values()).extracting(LoadBalancerProvider::getId)
			.allMatch((id) -> id.matches("[a-z0-9]+(-[a-z0-9]+)*"))
			.doesNotHaveDuplicates();
	}

	private static KeepAlivePolicy bind(String... keysAndValues) {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			source.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		LoadBalancerProperties properties = new Binder(source).bindOrCreate("lb",
				Bindable.of(LoadBalancerProperties.class));
		return KeepAlivePolicy.of(properties);
	}

}
