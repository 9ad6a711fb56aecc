/*
 * Constant load for bench/run's rolling-restart mode. Single file, JDK 17, no libraries:
 * `java RestartLoad.java --port P --threads N --pause-ms M --stop-file F --log F --live-log F`.
 *
 * Each thread sends requests through the load balancer until the stop file exists,
 * alternating GET / and POST / (a small text body). Every request goes on a connection of
 * its own with "Connection: close", so that the only pooled keep-alive connections are the
 * load balancer's own to the application instances: the ones a restart puts at risk. A
 * request fails when its status is not 2xx or it gets no response at all.
 *
 * Failed requests are also appended to the live log as they happen, for the harness to
 * watch. Prints one line: RESULT requests=.. ok=.. failed=.. get_failed=.. post_failed=..
 * s502=.. s503=.. s504=.. other=.. errors=.., and writes every failed request to the log
 * (epoch millis, method, status or error).
 */

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

public class RestartLoad {

	private static final String BODY = "item=" + "x".repeat(64);

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		int port = Integer.parseInt(options.get("port"));
		int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
		long pauseMillis = Long.parseLong(options.getOrDefault("pause-ms", "5"));
		Path stopFile = Path.of(options.get("stop-file"));
		Path log = Path.of(options.get("log"));
		Path liveLog = Path.of(options.get("live-log"));
		Files.writeString(liveLog, "");
		long deadline = System.currentTimeMillis() + 1000 * Long.parseLong(options.getOrDefault("max-seconds", "900"));

		AtomicLong requests = new AtomicLong();
		AtomicLong ok = new AtomicLong();
		Map<String, AtomicLong> failures = new HashMap<>();
		for (String kind : List.of("get_failed", "post_failed", "s502", "s503", "s504", "other", "errors")) {
			failures.put(kind, new AtomicLong());
		}
		ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int index = t;
			Thread worker = new Thread(() -> {
				long n = 0;
				while (!Files.exists(stopFile) && System.currentTimeMillis() < deadline) {
					boolean post = ((n++ + index) % 2) == 1;
					String outcome = send(port, post);
					requests.incrementAndGet();
					if (outcome.startsWith("2")) {
						ok.incrementAndGet();
					}
					else {
						failures.get(post ? "post_failed" : "get_failed").incrementAndGet();
						String kind = switch (outcome) {
							case "502" -> "s502";
							case "503" -> "s503";
							case "504" -> "s504";
							default -> outcome.matches("\\d{3}") ? "other" : "errors";
						};
						failures.get(kind).incrementAndGet();
						String line = System.currentTimeMillis() + "," + (post ? "POST" : "GET") + "," + outcome;
						failed.add(line);
						append(liveLog, line);
					}
					if (pauseMillis > 0) {
						try {
							Thread.sleep(pauseMillis);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}
			}, "load-" + t);
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
			out.println("epoch_ms,method,outcome");
			failed.forEach(out::println);
		}
		long failedCount = requests.get() - ok.get();
		StringBuilder result = new StringBuilder("RESULT requests=" + requests + " ok=" + ok + " failed=" + failedCount);
		for (String kind : List.of("get_failed", "post_failed", "s502", "s503", "s504", "other", "errors")) {
			result.append(' ').append(kind).append('=').append(failures.get(kind));
		}
		System.out.println(result);
	}

	private static synchronized void append(Path file, String line) {
		try {
			Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Send one request on a connection of its own.
	 * @return the status code, or the simple name of the exception that ended it
	 */
	private static String send(int port, boolean post) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
			socket.setSoTimeout(15_000);
			String request = post
					? "POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: text/plain\r\n"
							+ "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY
					: "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			int read;
			while ((read = in.read(buffer)) != -1) {
				response.write(buffer, 0, read);
			}
			String text = response.toString(StandardCharsets.US_ASCII);
			if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
				return "EmptyResponse";
			}
			return text.substring(9, 12);
		}
		catch (IOException ex) {
			return ex.getClass().getSimpleName();
		}
	}

}
