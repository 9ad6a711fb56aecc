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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection on a raw socket, so that tests control exactly when bytes are
 * sent and can see when the server closes the connection. Shared with the sample app's
 * tests through this module's test jar.
 *
 * @author keepalive-spring-boot-starter contributors
 */
public final class RawHttpConnection implements Closeable {

	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	public RawHttpConnection(int port) throws IOException {
		this(connect(new Socket(), port));
	}

	/**
	 * Use the given connected socket, such as an {@link javax.net.ssl.SSLSocket}.
	 * @param socket the socket
	 * @throws IOException if the socket's streams are not available
	 */
	public RawHttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = this.socket.getInputStream();
		this.out = this.socket.getOutputStream();
	}

	/**
	 * Connect the given socket to the given port on the loopback address.
	 * @param socket the socket
	 * @param port the port
	 * @return the connected socket
	 * @throws IOException if the connection fails
	 */
	public static Socket connect(Socket socket, int port) throws IOException {
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		return socket;
	}

	public int getLocalPort() {
		return this.socket.getLocalPort();
	}

	/**
	 * Send a GET request and read the whole response.
	 * @param path the request path
	 * @return the response body
	 * @throws IOException if the connection is closed or the response is malformed
	 */
	public String get(String path) throws IOException {
		Response response = exchange(path);
		if (response.status() != 200) {
			throw new IOException("Unexpected response: " + response.head());
		}
		return response.body();
	}

	/**
	 * Send a GET request and read the whole response, whatever its status.
	 * @param path the request path
	 * @return the response
	 * @throws IOException if the connection is closed or the response is malformed
	 */
	public Response exchange(String path) throws IOException {
		return exchange(path, new String[0]);
	}

	/**
	 * Send a GET request with the given additional headers and read the whole response,
	 * whatever its status.
	 * @param path the request path
	 * @param headers the additional headers, such as {@code Connection: close}
	 * @return the response
	 * @throws IOException if the connection is closed or the response is malformed
	 */
	public Response exchange(String path, String... headers) throws IOException {
		StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		this.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		String head = readHead();
		if (!head.startsWith("HTTP/1.1 ")) {
			throw new IOException("Unexpected response: " + head);
		}
		return new Response(head, readBody(head));
	}

	/**
	 * Wait for the server to close the connection.
	 * @param atMost how long to wait
	 * @return how long it took the server to close the connection, or {@code null} if it
	 * did not close it within {@code atMost}
	 * @throws IOException on an unexpected read error
	 */
	public @Nullable Duration awaitClose(Duration atMost) throws IOException {
		long start = System.nanoTime();
		this.socket.setSoTimeout((int) atMost.toMillis());
		try {
			int read = this.in.read();
			if (read != -1) {
				throw new IOException("Unexpected byte from an idle connection: " + read);
			}
			return Duration.ofNanos(System.nanoTime() - start);
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			// A reset is a close as well.
			return Duration.ofNanos(System.nanoTime() - start);
		}
		finally {
			this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		}
	}

	private String readHead() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = this.in.read();
			if (b == -1) {
				throw new IOException("Connection closed by the server");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private String readBody(String head) throws IOException {
		String lowerCaseHead = head.toLowerCase(Locale.ROOT);
		int index = lowerCaseHead.indexOf("content-length:");
		if (index != -1) {
			int end = lowerCaseHead.indexOf("\r\n", index);
			return new String(readBytes(Integer.parseInt(lowerCaseHead.substring(index + 15, end).trim())),
					StandardCharsets.UTF_8);
		}
		if (!lowerCaseHead.contains("transfer-encoding: chunked")) {
			if (lowerCaseHead.contains("connection: close")) {
				return new String(this.in.readAllBytes(), StandardCharsets.UTF_8);
			}
			throw new IOException("Response without Content-Length or chunked encoding: " + head);
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int chunkSize;
		while ((chunkSize = Integer.parseInt(readLine().split(";")[0].trim(), 16)) > 0) {
			body.write(readBytes(chunkSize));
			readLine();
		}
		readLine();
		return body.toString(StandardCharsets.UTF_8);
	}

	private byte[] readBytes(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length != length) {
			throw new IOException("Connection closed by the server while reading the body");
		}
		return bytes;
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b == -1) {
				throw new IOException("Connection closed by the server while reading the body");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A response read from the connection.
	 *
	 * @param head the status line and the headers
	 * @param body the body
	 */
	public record Response(String head, String body) {

		/**
		 * Return the status code.
		 * @return the status code
		 */
		public int status() {
			return Integer.parseInt(this.head.substring(9, 12));
		}

		/**
		 * Return the value of the given header.
		 * @param name the header's name, in any case
		 * @return the value of its first occurrence, or {@code null} if there is none
		 */
		public @Nullable String header(String name) {
			List<String> values = headers(name);
			return values.isEmpty() ? null : values.get(0);
		}

		/**
		 * Return the values of every occurrence of the given header.
		 * @param name the header's name, in any case
		 * @return the values, in the order received
		 */
		public List<String> headers(String name) {
			List<String> values = new ArrayList<>();
			for (String line : this.head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
					values.add(line.substring(colon + 1).trim());
				}
			}
			return values;
		}

	}

}
