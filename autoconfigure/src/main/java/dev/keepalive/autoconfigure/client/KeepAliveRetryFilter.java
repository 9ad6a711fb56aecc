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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.log.LogMessage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Retries a WebClient request once when the connection it was sent on was lost before the
 * response arrived, if the method is safe to repeat and the client stack does not retry
 * it by itself. The body of such a request is held in memory while it is sent, so that
 * exactly the same bytes and headers can be sent again; a body streamed with
 * {@code writeAndFlushWith} is not retried. Any other failure, and the retry's own,
 * reaches the caller unchanged.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveRetryFilter implements ExchangeFilterFunction {

	private static final Log logger = LogFactory.getLog(KeepAliveRetryFilter.class);

	private final ClientStack stack;

	private final KeepAliveClientEvents events;

	KeepAliveRetryFilter(ClientStack stack, KeepAliveClientEvents events) {
		this.stack = stack;
		this.events = events;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (!this.stack.isRetriedByStarter(request.method(), true)) {
			return next.exchange(request);
		}
		return Mono.defer(() -> {
			ReplayableBody body = new ReplayableBody(request.body());
			return next.exchange(ClientRequest.from(request).body(body::recordAndInsert).build())
				.onErrorResume((ex) -> ConnectionLoss.beforeResponse(ex) && body.isReplayable(),
						(ex) -> retry(request, body, next, ex));
		});
	}

	private Mono<ClientResponse> retry(ClientRequest request, ReplayableBody body, ExchangeFunction next,
			Throwable failure) {
		logger.debug(LogMessage.format("Retrying %s %s once: the connection was lost before the response (%s)",
				request.method(), request.url(), failure));
		this.events.retried(KeepAliveClientEvents.WEB_CLIENT, this.stack);
		return next.exchange(ClientRequest.from(request).body(body::replay).build());
	}

	/**
	 * The body of one request: the bytes and headers of the first attempt, kept so that a
	 * retry sends the same again.
	 */
	private static final class ReplayableBody {

		private final BodyInserter<?, ? super ClientHttpRequest> inserter;

		private volatile boolean started;

		private volatile boolean streamed;

		private volatile byte @Nullable [] bytes;

		private volatile @Nullable HttpHeaders headers;

		ReplayableBody(BodyInserter<?, ? super ClientHttpRequest> inserter) {
			this.inserter = inserter;
		}

		boolean isReplayable() {
			return !this.started || this.bytes != null;
		}

		Mono<Void> recordAndInsert(ClientHttpRequest request, BodyInserter.Context context) {
			this.started = true;
			return this.inserter.insert(new ClientHttpRequestDecorator(request) {

				@Override
				public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
					return DataBufferUtils.join(body)
						.defaultIfEmpty(bufferFactory().allocateBuffer(0))
						.flatMap((buffer) -> {
							record(getHeaders(), buffer);
							return super.writeWith(Mono.just(buffer));
						});
				}

				@Override
				public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
					ReplayableBody.this.streamed = true;
					return super.writeAndFlushWith(body);
				}

				@Override
				public Mono<Void> setComplete() {
					if (!ReplayableBody.this.streamed && ReplayableBody.this.bytes == null) {
						ReplayableBody.this.headers = HttpHeaders.copyOf(getHeaders());
						ReplayableBody.this.bytes = new byte[0];
					}
					return super.setComplete();
				}

			}, context);
		}

		private void record(HttpHeaders headers, DataBuffer buffer) {
			byte[] copy = new byte[buffer.readableByteCount()];
			int position = buffer.readPosition();
			buffer.read(copy);
			buffer.readPosition(position);
			this.headers = HttpHeaders.copyOf(headers);
			this.bytes = copy;
		}

		Mono<Void> replay(ClientHttpRequest request, BodyInserter.Context context) {
			byte[] bytes = this.bytes;
			HttpHeaders headers = this.headers;
			if (bytes == null || headers == null) {
				this.started = true;
				return this.inserter.insert(request, context);
			}
			headers.forEach((name, values) -> {
				if (!request.getHeaders().containsHeader(name)) {
					request.getHeaders().put(name, values);
				}
			});
			return (bytes.length != 0) ? request.writeWith(Mono.just(request.bufferFactory().wrap(bytes)))
					: request.setComplete();
		}

	}

}
