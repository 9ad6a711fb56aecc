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

package dev.keepalive.autoconfigure.drain;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

/**
 * Creates the {@link ServerDrain} of a running web server of one kind.
 *
 * @author keepalive-spring-boot-starter contributors
 * @since 0.1.0
 */
@FunctionalInterface
public interface ServerDrainFactory {

	/**
	 * Create the drain of the given server.
	 * @param webServer the running web server
	 * @return its drain, or {@code null} if this factory does not know the server
	 */
	@Nullable ServerDrain create(WebServer webServer);

}
