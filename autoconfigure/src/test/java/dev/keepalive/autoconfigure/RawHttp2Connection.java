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

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One cleartext HTTP/2 connection with prior knowledge on a raw socket, so that tests see
 * every frame the server sends, GOAWAY included. It speaks just enough HTTP/2 for GET
 * requests: it acknowledges the server's settings and pings, and does not decode response
 * headers beyond recognising {@code :status 200}.
 *
 * @author keepalive-spring-boot-starter contributors
 */
public final class RawHttp2Connection implements Closeable {

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int DATA = 0x0;

	private static final int HEADERS = 0x1;

	private static final int RST_STREAM = 0x3;

	private static final int SETTINGS = 0x4;

	private static final int PING = 0x6;

	private static final int GOAWAY = 0x7;

	private static final int END_STREAM = 0x1;

	private static final int ACK = 0x1;

	private static final int END_HEADERS = 0x4;

	/**
	 * HPACK encoding of {@code :status: 200}: index 8 of the static table.
	 */
	private static final int STATUS_200 = 0x88;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	public RawHttp2Connection(int port) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
		this.out.write(PREFACE);
		writeFrame(SETTINGS, 0, 0, new byte[0]);
		this.out.flush();
	}

	/**
	 * Send a GET request on a new stream.
	 * @param streamId the stream's id, odd and higher than any before
	 * @param path the request path
	 * @throws IOException on a write error
	 */
	public void startGet(int streamId, String path) throws IOException {
		ByteArrayOutputStream block = new ByteArrayOutputStream();
		block.write(0x82); // :method: GET
		block.write(0x86); // :scheme: http
		literal(block, 4, path); // :path
		literal(block, 1, "localhost"); // :authority
		writeFrame(HEADERS, END_STREAM | END_HEADERS, streamId, block.toByteArray());
		this.out.flush();
	}

	/**
	 * Read frames until the given stream ends, is reset, or the connection closes.
	 * @param streamId the stream
	 * @param atMost how long to read
	 * @return what the server sent
	 * @throws IOException on a read error other than the end of the connection
	 */
	public Exchange awaitStream(int streamId, Duration atMost) throws IOException {
		this.socket.setSoTimeout((int) atMost.toMillis());
		Integer firstGoAwayLastStreamId = null;
		Integer goAwayLastStreamId = null;
		long goAwayErrorCode = -1;
		boolean ok = false;
		try {
			while (true) {
				int length = (this.in.readUnsignedByte() << 16) | this.in.readUnsignedShort();
				int type = this.in.readUnsignedByte();
				int flags = this.in.readUnsignedByte();
				int stream = this.in.readInt() & 0x7fffffff;
				byte[] payload = new byte[length];
				this.in.readFully(payload);
				switch (type) {
					case SETTINGS -> {
						if ((flags & ACK) == 0) {
							writeFrame(SETTINGS, ACK, 0, new byte[0]);
							this.out.flush();
						}
					}
					case PING -> {
						if ((flags & ACK) == 0) {
							writeFrame(PING, ACK, 0, payload);
							this.out.flush();
						}
					}
					case GOAWAY -> {
						goAwayLastStreamId = ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16)
								| ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
						goAwayErrorCode = ((long) (payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16)
								| ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
						if (firstGoAwayLastStreamId == null) {
							firstGoAwayLastStreamId = goAwayLastStreamId;
						}
					}
					case HEADERS, DATA -> {
						if (stream == streamId) {
							if (type == HEADERS && isStatus200(payload)) {
								ok = true;
							}
							if ((flags & END_STREAM) != 0) {
								return new Exchange(Outcome.COMPLETED, ok, firstGoAwayLastStreamId, goAwayLastStreamId,
										goAwayErrorCode);
							}
						}
					}
					case RST_STREAM -> {
						if (stream == streamId) {
							return new Exchange(Outcome.RESET, ok, firstGoAwayLastStreamId, goAwayLastStreamId,
									goAwayErrorCode);
						}
					}
					default -> {
					}
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return new Exchange(Outcome.TIMED_OUT, ok, firstGoAwayLastStreamId, goAwayLastStreamId, goAwayErrorCode);
		}
		catch (EOFException ex) {
			return new Exchange(Outcome.CLOSED, ok, firstGoAwayLastStreamId, goAwayLastStreamId, goAwayErrorCode);
		}
		catch (IOException ex) {
			// A reset connection.
			return new Exchange(Outcome.CLOSED, ok, firstGoAwayLastStreamId, goAwayLastStreamId, goAwayErrorCode);
		}
	}

	/**
	 * Whether a header block starts with {@code :status: 200}, after any dynamic table
	 * size updates (HPACK's {@code 001xxxxx} with a 5-bit prefix integer).
	 */
	private static boolean isStatus200(byte[] block) {
		int i = 0;
		while (i < block.length && (block[i] & 0xe0) == 0x20) {
			if ((block[i++] & 0x1f) == 0x1f) {
				while (i < block.length && (block[i] & 0x80) != 0) {
					i++;
				}
				i++;
			}
		}
		return i < block.length && (block[i] & 0xff) == STATUS_200;
	}

	private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
		block.write(nameIndex); // literal without indexing, indexed name (index < 15)
		block.write(bytes.length); // no Huffman coding, length < 127
		block.writeBytes(bytes);
	}

	private void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
		int length = payload.length;
		this.out
			.write(new byte[] { (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
					(byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId });
		this.out.write(payload);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * How a stream ended.
	 */
	public enum Outcome {

		/**
		 * The server sent the whole response.
		 */
		COMPLETED,

		/**
		 * The server reset the stream.
		 */
		RESET,

		/**
		 * The connection closed before the stream ended.
		 */
		CLOSED,

		/**
		 * Nothing ended the stream in time.
		 */
		TIMED_OUT

	}

	/**
	 * What the server sent until a stream ended.
	 *
	 * @param outcome how the stream ended
	 * @param ok whether the response's status was 200
	 * @param firstGoAwayLastStreamId the last stream id of the server's first GOAWAY, or
	 * {@code null} if it sent none
	 * @param goAwayLastStreamId the last stream id of the server's last GOAWAY, or
	 * {@code null} if it sent none
	 * @param goAwayErrorCode the error code of the server's last GOAWAY, or -1
	 */
	public record Exchange(Outcome outcome, boolean ok, @Nullable Integer firstGoAwayLastStreamId,
			@Nullable Integer goAwayLastStreamId, long goAwayErrorCode) {

	}

}
