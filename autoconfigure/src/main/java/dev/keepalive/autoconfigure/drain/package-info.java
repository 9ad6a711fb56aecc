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
/**
 * Connection drain at shutdown: before Spring Boot's graceful shutdown, the web servers
 * keep serving while readiness reports refusing traffic, and every response retires its
 * connection in-band ({@code Connection: close}, or GOAWAY for HTTP/2).
 */
@NullMarked
package dev.keepalive.autoconfigure.drain;

import org.jspecify.annotations.NullMarked;
