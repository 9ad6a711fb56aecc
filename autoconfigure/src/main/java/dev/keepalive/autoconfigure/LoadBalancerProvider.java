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

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Load balancers whose documented default idle timeout for pooled backend connections
 * {@code lb.provider} can imply. The values are the vendors' defaults; an explicit
 * {@code lb.idle-timeout} always wins.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public enum LoadBalancerProvider {

	/**
	 * AWS Application Load Balancer: {@code idle_timeout.timeout_seconds}, 60 s.
	 */
	AWS_ALB("aws-alb", 60),

	/**
	 * AWS Classic Load Balancer (HTTP/HTTPS listeners): connection idle timeout, 60 s.
	 */
	AWS_CLB("aws-clb", 60),

	/**
	 * AWS Network Load Balancer: a pass-through (layer 4) load balancer.
	 */
	AWS_NLB("aws-nlb", "aws-nlb is a pass-through (layer 4) load balancer: it does not pool connections, so a longer "
			+ "keep-alive does not help. Its TCP flows expire after 350 s idle (tcp.idle_timeout.seconds): keep "
			+ "them active with traffic or TCP keepalive below that. " + Notes.DIRECT_CLIENTS),

	/**
	 * Amazon CloudFront: origin keep-alive timeout, 5 s.
	 */
	AWS_CLOUDFRONT("aws-cloudfront", 5),

	/**
	 * Google Cloud global external and classic Application Load Balancers: backend
	 * keep-alive timeout, 600 s, fixed. Google asks backends for more than 600 s.
	 */
	GCP("gcp", 600),

	/**
	 * Google Cloud regional external Application Load Balancer (Envoy based): backend
	 * keep-alive timeout, 600 s, fixed.
	 */
	GCP_REGIONAL("gcp-regional", 600),

	/**
	 * Azure Application Gateway: no backend idle timeout is published.
	 */
	AZURE_APP_GATEWAY("azure-app-gateway",
			"azure-app-gateway reuses backend connections, but Microsoft publishes no idle timeout for them: set "
					+ "lb.idle-timeout to the value you rely on"),

	/**
	 * Azure Front Door: back-end TCP session timeout, 90 s.
	 */
	AZURE_FRONT_DOOR("azure-front-door", 90),

	/**
	 * Azure Load Balancer: a pass-through (layer 4) load balancer.
	 */
	AZURE_LB("azure-lb", "azure-lb is a pass-through (layer 4) load balancer: it does not pool connections, so a "
			+ "longer keep-alive does not help. Its flows expire after 4 minutes idle by default and are dropped "
			+ "silently unless TCP reset is enabled: keep them active with traffic or TCP keepalive below that. "
			+ Notes.DIRECT_CLIENTS),

	/**
	 * Cloudflare: proxy idle timeout to the origin, 900 s.
	 */
	CLOUDFLARE("cloudflare", 900),

	/**
	 * nginx: {@code keepalive_timeout} of an upstream block, 60 s.
	 */
	NGINX("nginx", 60),

	/**
	 * Kubernetes ingress-nginx: {@code upstream-keepalive-timeout}, 60 s.
	 */
	INGRESS_NGINX("ingress-nginx", 60),

	/**
	 * HAProxy: no single idle timeout for server connections.
	 */
	HAPROXY("haproxy", "haproxy has no single idle timeout for server connections: idle ones are closed by "
			+ "pool-purge-delay (5 s by default), usually within seconds. Set lb.idle-timeout if you keep them longer"),

	/**
	 * Envoy: cluster HTTP {@code idle_timeout}, 1 hour.
	 */
	ENVOY("envoy", 3600),

	/**
	 * Istio: DestinationRule {@code connectionPool.http.idleTimeout}, 1 hour.
	 */
	ISTIO("istio", 3600),

	/**
	 * Traefik: {@code serversTransport.forwardingTimeouts.idleConnTimeout}, 90 s.
	 */
	TRAEFIK("traefik", 90),

	/**
	 * Oracle Cloud Infrastructure Load Balancer: closes backend connections idle for 300
	 * s, and asks backends not to close them in under 310 s.
	 */
	OCI("oci", 300, 310),

	/**
	 * Oracle Cloud Infrastructure Network Load Balancer: a pass-through (layer 4) load
	 * balancer.
	 */
	OCI_NLB("oci-nlb", "oci-nlb is a pass-through (layer 4) load balancer: it does not pool connections, so a "
			+ "longer keep-alive does not help. Its TCP flows expire after 360 s idle by default: keep them active "
			+ "with traffic or TCP keepalive below that. " + Notes.DIRECT_CLIENTS);

	private final String id;

	private final @Nullable Duration idleTimeout;

	private final @Nullable Duration minimumKeepAlive;

	private final @Nullable String note;

	LoadBalancerProvider(String id, long idleTimeoutSeconds) {
		this(id, Duration.ofSeconds(idleTimeoutSeconds), null, null);
	}

	LoadBalancerProvider(String id, long idleTimeoutSeconds, long minimumKeepAliveSeconds) {
		this(id, Duration.ofSeconds(idleTimeoutSeconds), Duration.ofSeconds(minimumKeepAliveSeconds), null);
	}

	LoadBalancerProvider(String id, String note) {
		this(id, null, null, note);
	}

	LoadBalancerProvider(String id, @Nullable Duration idleTimeout, @Nullable Duration minimumKeepAlive,
			@Nullable String note) {
		this.id = id;
		this.idleTimeout = idleTimeout;
		this.minimumKeepAlive = minimumKeepAlive;
		this.note = note;
	}

	/**
	 * Return the id used in {@code lb.provider}.
	 * @return the id, such as {@code aws-alb}
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return the documented default idle timeout of pooled backend connections.
	 * @return the idle timeout, or {@code null} if the load balancer does not pool
	 * connections or none is documented
	 */
	public @Nullable Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	/**
	 * Return the smallest backend keep-alive timeout the vendor asks for, if it states
	 * one.
	 * @return the minimum keep-alive timeout, or {@code null}
	 */
	public @Nullable Duration getMinimumKeepAlive() {
		return this.minimumKeepAlive;
	}

	/**
	 * Return why this provider implies no idle timeout and what to do instead.
	 * @return the note, or {@code null} if the provider implies an idle timeout
	 */
	public @Nullable String getNote() {
		return this.note;
	}

	@Override
	public String toString() {
		return this.id;
	}

	/**
	 * Text shared by the notes.
	 */
	private static final class Notes {

		static final String DIRECT_CLIENTS = "Clients then reuse connections to the server directly, and what "
				+ "protects them from reusing one the server is closing is the Keep-Alive: timeout=N header on every "
				+ "response that keeps the connection open (lb.keep-alive-hint, on by default): Node's http.Agent "
				+ "stops reusing an idle connection 1 s before that timeout, undici (Node's fetch) 2 s before";

	}

}
