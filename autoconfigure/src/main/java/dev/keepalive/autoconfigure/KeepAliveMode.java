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

/**
 * What the starter does when a server timeout does not exceed the load balancer's idle
 * timeout.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
public enum KeepAliveMode {

	/**
	 * Raise every timeout that is too low; never lower one.
	 */
	ADJUST,

	/**
	 * Change nothing; log a warning for each timeout that is too low.
	 */
	REPORT,

	/**
	 * Change nothing; refuse to start when a timeout is too low.
	 */
	FAIL

}
