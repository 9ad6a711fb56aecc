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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.keepalive.autoconfigure.RawHttp2Connection;
import dev.keepalive.autoconfigure.RawHttpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rest of the drain's wire tests, run on each kind of server: an idle connection is
 * not closed before the drain's timeout, the drain ends once no connection is open, and
 * HTTP/2 connections get a GOAWAY and finish their open streams.
 *
 * @author keepalive-spring-boot-starter contributors
 */
abstract class AbstractFullDrainWireTests extends AbstractDrainWireTests {

	private static final Duration SLACK = Duration.ofMillis(500);

	@Test
	void idleConnectionIsNotClosedBeforeDrainTimeout(CapturedOutput output) {
		runWithServer(properties(DRAIN), (server) -> {
			try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
				connection.get("/");
				Shutdown shutdown = server.shutDown();
				Duration closedAfter = connection.awaitClose(Duration.ofSeconds(15));
				assertThat(closedAfter).isNotNull().isGreaterThanOrEqualTo(DRAIN_TIMEOUT.minus(SLACK));
				// The drain ends at its timeout: graceful shutdown, with nothing in
				// flight,
				// takes a moment.
				assertThat(shutdown.await()).isLessThan(DRAIN_TIMEOUT.plusSeconds(4));
			}
			assertThat(output).contains("(lb.drain.timeout 3000ms) with connections application: 1 still open; "
					+ "requests served during the drain: 0, none in its last second");
		});
	}

	@Test
	void withoutDrainIdleConnectionIsClosedSoonAfterShutdownStarts() {
		runWithServer(properties(NO_DRAIN), (server) -> {
			try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
				connection.get("/");
				Shutdown shutdown = server.shutDown();
				Duration closedAfter = connection.awaitClose(Duration.ofSeconds(15));
				assertThat(closedAfter).isNotNull().isLessThan(DRAIN_TIMEOUT.minus(SLACK));
				shutdown.await();
			}
		});
	}

	@Test
	void drainEndsOnceNoConnectionIsOpen(CapturedOutput output) {
		runWithServer(properties(DRAIN, new String[] { "lb.drain.timeout=20s" }), (server) -> {
			try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
				connection.get("/");
				Shutdown shutdown = server.shutDown();
				Thread.sleep(500);
				assertThat(connection.exchange("/").header("Connection")).isEqualToIgnoringCase("close");
				// As a client does on Connection: close. Jetty only half-closes until
				// then.
				connection.close();
				assertThat(shutdown.await()).isLessThan(Duration.ofSeconds(10));
			}
			assertThat(output).contains("Drain finished after")
				.contains("no connection is open and no request arrived in its last second; requests served during "
						+ "the drain: 1");
		});
	}

	@Test
	void requestInFlightWhenTheDrainStartsIsAnswered() {
		runWithServer(properties(DRAIN), (server) -> {
			try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
				CompletableFuture<RawHttpConnection.Response> slow = CompletableFuture.supplyAsync(() -> {
					try {
						return connection.exchange("/slow");
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
				Thread.sleep(300);
				Shutdown shutdown = server.shutDown();
				assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
				shutdown.await();
			}
		});
	}

	@Test
	void drainGoesOnWhileRequestsArriveOnNewConnections() {
		runWithServer(properties(DRAIN, new String[] { "lb.drain.timeout=20s" }), (server) -> {
			Shutdown shutdown = server.shutDown();
			long start = System.nanoTime();
			int served = 0;
			// Each response closes its connection: between two requests no connection is
			// open, as for a load balancer that still routes to a draining server.
			for (int i = 0; i < 12; i++) {
				Thread.sleep(250);
				served += servedOnNewConnection(server.port()) ? 1 : 0;
			}
			Duration sending = Duration.ofNanos(System.nanoTime() - start);
			assertThat(served).isEqualTo(12);
			assertThat(shutdown.await()).isGreaterThan(sending).isLessThan(Duration.ofSeconds(10));
		});
	}

	@Test
	void http2ConnectionGetsGoAwayAndFinishesItsOpenStream() {
		runWithServer(properties(DRAIN, new String[] { "server.http2.enabled=true" }), (server) -> {
			try (RawHttpConnection pooled = new RawHttpConnection(server.port());
					RawHttp2Connection http2 = new RawHttp2Connection(server.port())) {
				pooled.get("/");
				http2.startGet(1, "/slow");
				Thread.sleep(300);
				Shutdown shutdown = server.shutDown();
				RawHttp2Connection.Exchange exchange = http2.awaitStream(1, Duration.ofSeconds(10));
				assertThat(exchange.outcome()).isEqualTo(RawHttp2Connection.Outcome.COMPLETED);
				assertThat(exchange.ok()).isTrue();
				assertThat(exchange.firstGoAwayLastStreamId()).as("first GOAWAY's last stream id: open no new stream")
					.isEqualTo(Integer.MAX_VALUE);
				assertThat(exchange.goAwayLastStreamId()).as("GOAWAY's last stream id").isNotNull().isPositive();
				assertThat(exchange.goAwayErrorCode()).as("GOAWAY's error code").isZero();
				assertThat(servedOnNewConnection(server.port())).as("served on a new connection after the GOAWAY")
					.isTrue();
				shutdown.await();
			}
		});
	}

	@Test
	void withoutDrainHttp2ShutdownRefusesNewConnections() {
		runWithServer(properties(NO_DRAIN, new String[] { "server.http2.enabled=true" }), (server) -> {
			try (RawHttpConnection pooled = new RawHttpConnection(server.port());
					RawHttp2Connection http2 = new RawHttp2Connection(server.port())) {
				pooled.get("/");
				http2.startGet(1, "/slow");
				Thread.sleep(300);
				Shutdown shutdown = server.shutDown();
				RawHttp2Connection.Exchange exchange = http2.awaitStream(1, Duration.ofSeconds(10));
				boolean drained = exchange.outcome() == RawHttp2Connection.Outcome.COMPLETED
						&& exchange.goAwayLastStreamId() != null && servedOnNewConnection(server.port());
				assertThat(drained).isFalse();
				shutdown.await();
			}
		});
	}

}
