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

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.keepalive.autoconfigure.RawHttpConnection.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves over TLS, on raw sockets and with the JDK's HTTP client against a real embedded
 * server, what {@link AbstractKeepAliveWireTests} proves in cleartext: HTTP/1.1 and h2
 * connections idle for 3 s, longer than the scaled-down load balancer idle timeout of 2
 * s, are still usable, and in {@code report} mode, with server timeouts of 1 s, they are
 * not. HTTP/2 is enabled, so the server negotiates the protocol with ALPN: the HTTP/1.1
 * client asks for {@code http/1.1}, the JDK's client for {@code h2}. The server's
 * certificate is generated for {@code 127.0.0.1} with the JDK's {@code keytool} when the
 * tests start, and reaches the server through a Spring Boot SSL bundle.
 *
 * @author keepalive-spring-boot-starter contributors
 */
abstract class AbstractTlsKeepAliveWireTests {

	private static final String PASSWORD = "changeit";

	private static final Duration LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT = Duration.ofSeconds(3);

	@TempDir
	static Path directory;

	private static Path keyStore;

	private static SSLContext clientSslContext;

	@BeforeAll
	static void generateCertificate() throws Exception {
		keyStore = directory.resolve("server.p12");
		Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
				"-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore",
				keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(keytool.getInputStream().readAllBytes());
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(output).isZero();
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			trusted.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trusted);
		clientSslContext = SSLContext.getInstance("TLS");
		clientSslContext.init(null, trustManagers.getTrustManagers(), null);
	}

	/**
	 * Server properties that set every server timeout to the given value.
	 * @param timeout the timeout, such as {@code 1s}
	 * @return the properties
	 */
	abstract String[] serverTimeouts(String timeout);

	/**
	 * Start a real server on a free port with the given properties and a handler on
	 * {@code /} that answers with the client's port.
	 * @param properties the properties
	 * @param test the test, given the server's port
	 */
	abstract void runWithServer(String[] properties, ThrowingConsumer<Integer> test);

	@Test
	void http11ConnectionIdleLongerThanLoadBalancerIdleTimeoutIsReused() {
		runWithServer(properties("lb.mode=adjust"), (port) -> assertThat(http11AnswersAgainAfterIdle(port)).isTrue());
	}

	@Test
	void reportModeLeavesHttp11ConnectionThatDiesBeforeLoadBalancerIdleTimeout() {
		runWithServer(properties("lb.mode=report"), (port) -> assertThat(http11AnswersAgainAfterIdle(port)).isFalse());
	}

	@Test
	void h2ConnectionIdleLongerThanLoadBalancerIdleTimeoutIsReused() {
		runWithServer(properties("lb.mode=adjust"), (port) -> assertThat(h2AnswersAgainAfterIdle(port)).isTrue());
	}

	@Test
	void reportModeLeavesH2ConnectionThatDiesBeforeLoadBalancerIdleTimeout() {
		runWithServer(properties("lb.mode=report"), (port) -> assertThat(h2AnswersAgainAfterIdle(port)).isFalse());
	}

	private String[] properties(String mode) {
		String[] tls = { "server.http2.enabled=true", "server.ssl.bundle=test",
				"spring.ssl.bundle.jks.test.keystore.location=file:" + keyStore,
				"spring.ssl.bundle.jks.test.keystore.password=" + PASSWORD,
				"spring.ssl.bundle.jks.test.keystore.type=PKCS12" };
		return Stream.of(AbstractKeepAliveWireTests.LOAD_BALANCER, serverTimeouts("1s"), tls, new String[] { mode })
			.flatMap(Stream::of)
			.toArray(String[]::new);
	}

	/**
	 * Open a TLS connection that negotiates HTTP/1.1, leave it idle, and send a second
	 * request on the same connection. The responses that keep it open carry the
	 * keep-alive hint.
	 */
	private boolean http11AnswersAgainAfterIdle(int port) throws Exception {
		SSLSocket socket = (SSLSocket) clientSslContext.getSocketFactory()
			.createSocket(RawHttpConnection.connect(new Socket(), port), "127.0.0.1", port, true);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setApplicationProtocols(new String[] { "http/1.1" });
		socket.setSSLParameters(parameters);
		socket.startHandshake();
		// Tomcat selects only the protocols it negotiates itself (h2), and otherwise
		// selects none, which means HTTP/1.1 as well.
		assertThat(socket.getApplicationProtocol()).isIn("http/1.1", "");
		try (RawHttpConnection connection = new RawHttpConnection(socket)) {
			Response first = connection.exchange("/");
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.body()).isEqualTo(String.valueOf(connection.getLocalPort()));
			Thread.sleep(LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT.toMillis());
			try {
				Response second = connection.exchange("/");
				assertThat(second.body()).as("client port of the reused connection").isEqualTo(first.body());
				assertThat(first.headers("Keep-Alive")).containsExactly("timeout=5");
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
	}

	/**
	 * Open an h2 connection with the JDK's client, leave it idle, and send a second
	 * request. The client opens a new connection, from another port, if the server has
	 * closed the first one.
	 */
	private boolean h2AnswersAgainAfterIdle(int port) throws Exception {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.sslContext(clientSslContext)
			.build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build();
		HttpResponse<String> first = client.send(request, BodyHandlers.ofString());
		assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
		Thread.sleep(LONGER_THAN_LOAD_BALANCER_IDLE_TIMEOUT.toMillis());
		HttpResponse<String> second = client.send(request, BodyHandlers.ofString());
		assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
		return second.body().equals(first.body());
	}

}
