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

/**
 * Thrown in {@link KeepAliveMode#FAIL fail} mode when a server timeout does not exceed
 * the load balancer's idle timeout.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public class KeepAliveTimeoutsInvertedException extends RuntimeException {

	private final long idleTimeoutMillis;

	private final String idleTimeoutSource;

	private final List<String> problems;

	public KeepAliveTimeoutsInvertedException(long idleTimeoutMillis, String idleTimeoutSource, List<String> problems) {
		super("Server timeouts do not outlast the load balancer's idle timeout of " + idleTimeoutMillis + "ms ("
				+ idleTimeoutSource + "): " + String.join("; ", problems));
		this.idleTimeoutMillis = idleTimeoutMillis;
		this.idleTimeoutSource = idleTimeoutSource;
		this.problems = List.copyOf(problems);
	}

	/**
	 * Return where the idle timeout comes from.
	 * @return {@code lb.idle-timeout}, or {@code lb.provider=} and the provider's id
	 */
	public String getIdleTimeoutSource() {
		return this.idleTimeoutSource;
	}

	public long getIdleTimeoutMillis() {
		return this.idleTimeoutMillis;
	}

	public List<String> getProblems() {
		return this.problems;
	}

}
