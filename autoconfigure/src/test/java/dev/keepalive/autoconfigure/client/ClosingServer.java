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

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on a raw socket that keeps connections open, but treats one that has
 * been idle for longer than its keep-alive timeout as closed: a request that arrives on
 * it is answered with a reset and no response, exactly what a client sees when it writes
 * to a connection the server closed a moment before. So the race is reproduced every
 * time, not by chance. It can send a {@code Keep-Alive: timeout=N} hint, as Node.js does.
 *
 * @author keepalive-spring-boot-starter contributors
 */
final class ClosingServer implements Closeable {

	private final ServerSocket serverSocket;

	private final long keepAliveMillis;

	private final Integer hintSeconds;

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final AtomicInteger resets = new AtomicInteger();

	private final AtomicInteger connections = new AtomicInteger();

	ClosingServer(long keepAliveMillis, Integer hintSeconds) throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.keepAliveMillis = keepAliveMillis;
		this.hintSeconds = hintSeconds;
		Thread acceptor = new Thread(this::accept, "closing-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int getPort() {
		return this.serverSocket.getLocalPort();
	}

	int attempts(String method) {
		return this.attempts.computeIfAbsent(method, (key) -> new AtomicInteger()).get();
	}

	int resets() {
		return this.resets.get();
	}

	int connections() {
		return this.connections.get();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.connections.incrementAndGet();
				Thread thread = new Thread(() -> serve(socket), "closing-server-connection");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			long lastResponse = -1;
			while (true) {
				String head = readHead(in);
				if (head == null) {
					return;
				}
				String method = head.substring(0, head.indexOf(' '));
				this.attempts.computeIfAbsent(method, (key) -> new AtomicInteger()).incrementAndGet();
				byte[] body = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked") ? readChunked(in)
						: in.readNBytes(contentLength(head));
				if (lastResponse != -1 && System.nanoTime() - lastResponse > this.keepAliveMillis * 1_000_000) {
					this.resets.incrementAndGet();
					socket.setSoLinger(true, 0);
					return;
				}
				byte[] answer = (method + " " + new String(body, StandardCharsets.UTF_8))
					.getBytes(StandardCharsets.UTF_8);
				String hint = (this.hintSeconds != null) ? "Keep-Alive: timeout=" + this.hintSeconds + "\r\n" : "";
				out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + answer.length + "\r\n"
						+ hint + "\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.write(answer);
				out.flush();
				lastResponse = System.nanoTime();
			}
		}
		catch (IOException ex) {
			// The client closed the connection.
		}
	}

	private static int contentLength(String head) {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				return Integer.parseInt(line.substring(15).trim());
			}
		}
		return 0;
	}

	private static byte[] readChunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int size;
		while ((size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) > 0) {
			body.write(in.readNBytes(size));
			readLine(in);
		}
		readLine(in);
		return body.toByteArray();
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b == -1) {
				throw new IOException("Connection closed");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b == -1) {
				return null;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
	}

}
