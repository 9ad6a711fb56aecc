/*
 * Traffic generation and measurement for bench/run. Single file, JDK 17, no libraries:
 * run it with `java Bench.java <command> [--option value ...]`.
 *
 * Commands
 *   close-probe  raw sockets straight to a backend: how long after the end of a response the
 *                server closes the idle keep-alive connection (its FIN arrives)
 *   race         aimed idle gaps through one load balancer pool per client slot; counts 2xx,
 *                502, other statuses and connection errors
 *   lb-probe     how long a load balancer keeps an idle pooled backend connection
 *   startup      time to ready of the sample app with and without the starter, in interleaved pairs
 *   throughput   wrk keep-alive requests per second with and without the starter, in interleaved pairs
 *   steps        the starter's own startup steps, from Spring's ApplicationStartup (StartupSteps.java)
 *   idle         memory held by N idle keep-alive connections
 *
 * Every loop is bounded by a count and a deadline. Every process this program starts is
 * stopped before it returns (and by a shutdown hook if it is interrupted).
 */

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Bench {

	static final String HOST = "127.0.0.1";

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: java Bench.java close-probe|race|lb-probe|startup|throughput|steps|idle [--option value ...]");
			System.exit(2);
		}
		Opts o = new Opts(args);
		switch (args[0]) {
			case "close-probe" -> closeProbe(o);
			case "race" -> race(o);
			case "lb-probe" -> lbProbe(o);
			case "startup" -> startup(o);
			case "throughput" -> throughput(o);
			case "idle" -> idle(o);
			case "steps" -> steps(o);
			default -> {
				System.err.println("unknown command " + args[0]);
				System.exit(2);
			}
		}
	}

	// ------------------------------------------------------------------ options

	static final class Opts {

		final Map<String, List<String>> values = new HashMap<>();

		Opts(String[] args) {
			for (int i = 1; i < args.length; i++) {
				if (!args[i].startsWith("--") || i + 1 >= args.length) {
					throw new IllegalArgumentException("expected --name value at " + args[i]);
				}
				this.values.computeIfAbsent(args[i].substring(2), (k) -> new ArrayList<>()).add(args[++i]);
			}
		}

		String str(String name, String dflt) {
			List<String> v = this.values.get(name);
			if (v == null) {
				if (dflt == null) {
					throw new IllegalArgumentException("missing --" + name);
				}
				return dflt;
			}
			return v.get(v.size() - 1);
		}

		List<String> all(String name) {
			return this.values.getOrDefault(name, List.of());
		}

		int integer(String name, Integer dflt) {
			return Integer.parseInt(str(name, (dflt != null) ? dflt.toString() : null));
		}

		double dbl(String name, Double dflt) {
			return Double.parseDouble(str(name, (dflt != null) ? dflt.toString() : null));
		}

	}

	// ------------------------------------------------------------------ HTTP/1.1 on a raw socket

	static final class Response {

		final int status;

		final boolean close;

		Response(int status, boolean close) {
			this.status = status;
			this.close = close;
		}

	}

	static Socket connect(int port, int timeoutMillis) throws IOException {
		Socket s = new Socket();
		s.setTcpNoDelay(true);
		s.connect(new InetSocketAddress(HOST, port), timeoutMillis);
		s.setSoTimeout(timeoutMillis);
		return s;
	}

	static byte[] request(int port, String path) {
		return request(port, path, "GET");
	}

	static final String POST_BODY = "keepalive-bench: a request that must not be replayed";

	/** GET without a body, or POST with {@link #POST_BODY} (text/plain, Content-Length). */
	static byte[] request(int port, String path, String method) {
		String head = method + " " + path + " HTTP/1.1\r\nHost: " + HOST + ":" + port
				+ "\r\nUser-Agent: keepalive-bench\r\nAccept: */*\r\n";
		if (method.equals("GET")) {
			return (head + "\r\n").getBytes(StandardCharsets.US_ASCII);
		}
		return (head + "Content-Type: text/plain\r\nContent-Length: " + POST_BODY.length() + "\r\n\r\n" + POST_BODY)
			.getBytes(StandardCharsets.US_ASCII);
	}

	static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream(64);
		for (int n = 0; n < 16384; n++) {
			int b = in.read();
			if (b < 0) {
				if (line.size() == 0 && n == 0) {
					throw new EOFException("connection closed before a response");
				}
				throw new EOFException("connection closed in the middle of a line");
			}
			if (b == '\n') {
				String s = line.toString(StandardCharsets.ISO_8859_1);
				return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
			}
			line.write(b);
		}
		throw new IOException("line too long");
	}

	static void skip(InputStream in, long n) throws IOException {
		byte[] buf = new byte[8192];
		while (n > 0) {
			int r = in.read(buf, 0, (int) Math.min(buf.length, n));
			if (r < 0) {
				throw new EOFException("body truncated");
			}
			n -= r;
		}
	}

	/** Reads one complete response (status line, headers, body). */
	static Response readResponse(InputStream in) throws IOException {
		String statusLine = readLine(in);
		String[] parts = statusLine.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
			throw new IOException("bad status line: " + statusLine);
		}
		int status = Integer.parseInt(parts[1]);
		long length = -1;
		boolean chunked = false;
		boolean close = parts[0].equals("HTTP/1.0");
		for (int n = 0; n < 200; n++) {
			String h = readLine(in);
			if (h.isEmpty()) {
				break;
			}
			int colon = h.indexOf(':');
			if (colon < 0) {
				continue;
			}
			String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
			switch (name) {
				case "content-length" -> length = Long.parseLong(value);
				case "transfer-encoding" -> chunked = value.contains("chunked");
				case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
				default -> {
				}
			}
		}
		if (chunked) {
			for (int n = 0; n < 100000; n++) {
				String size = readLine(in);
				int semi = size.indexOf(';');
				long chunk = Long.parseLong((semi >= 0) ? size.substring(0, semi).trim() : size.trim(), 16);
				if (chunk == 0) {
					for (int t = 0; t < 100 && !readLine(in).isEmpty(); t++) {
					}
					break;
				}
				skip(in, chunk);
				readLine(in);
			}
		}
		else if (length >= 0) {
			skip(in, length);
		}
		else if (status >= 200 && status != 204 && status != 304) {
			in.transferTo(OutputStream.nullOutputStream());
			close = true;
		}
		return new Response(status, close);
	}

	static Response exchange(Socket s, InputStream in, byte[] req) throws IOException {
		s.getOutputStream().write(req);
		s.getOutputStream().flush();
		return readResponse(in);
	}

	/** Simple GET on a fresh connection, returning the status and body. */
	static String[] get(int port, String path, int timeoutMillis) throws IOException {
		try (Socket s = connect(port, timeoutMillis)) {
			OutputStream out = s.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] all = s.getInputStream().readAllBytes();
			String text = new String(all, StandardCharsets.UTF_8);
			int sp = text.indexOf(' ');
			int end = text.indexOf("\r\n\r\n");
			String status = (sp > 0 && text.length() >= sp + 4) ? text.substring(sp + 1, sp + 4) : "000";
			return new String[] { status, (end > 0) ? text.substring(end + 4) : "" };
		}
	}

	static void sleepUntil(long deadlineNanos) {
		for (int i = 0; i < 100000; i++) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return;
			}
			if (left > 3_000_000L) {
				try {
					Thread.sleep((left - 2_000_000L) / 1_000_000L);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			else {
				LockSupport.parkNanos(left);
			}
		}
	}

	/** Waits at the barrier until all slots arrive; false when the deadline passed or it broke. */
	static boolean await(CyclicBarrier barrier, long deadlineNanos) {
		try {
			barrier.await(Math.max(1, deadlineNanos - System.nanoTime()) + 30_000_000_000L, TimeUnit.NANOSECONDS);
			return System.nanoTime() < deadlineNanos;
		}
		catch (Exception ex) {
			barrier.reset();
			return false;
		}
	}

	static double ms(long nanos) {
		return nanos / 1e6;
	}

	static double median(List<Double> values) {
		List<Double> v = new ArrayList<>(values);
		Collections.sort(v);
		int n = v.size();
		if (n == 0) {
			return Double.NaN;
		}
		return (n % 2 == 1) ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
	}

	static double percentile(List<Double> values, double p) {
		List<Double> v = new ArrayList<>(values);
		Collections.sort(v);
		if (v.isEmpty()) {
			return Double.NaN;
		}
		int i = (int) Math.min(v.size() - 1, Math.max(0, Math.round(p * (v.size() - 1))));
		return v.get(i);
	}

	static String fmt(double v, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", v);
	}

	// ------------------------------------------------------------------ close-probe

	/**
	 * Measures when the backend closes an idle keep-alive connection, on raw sockets straight
	 * to it, with the same lockstep as the race: in each round every slot sends one request
	 * at the same moment on a fresh connection, and then waits for the server's FIN. The
	 * delay is counted from the end of the round's last response (the moment the last
	 * connection went idle, which is also when the race aims from). Writes the delays (ms)
	 * to --out, one per line.
	 */
	static void closeProbe(Opts o) throws Exception {
		int port = o.integer("port", null);
		int slots = o.integer("slots", 8);
		int samples = o.integer("samples", 32);
		int maxWaitMillis = o.integer("max-wait-ms", 10000);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("max-seconds", 120));
		Path out = Path.of(o.str("out", null));
		byte[] req = request(port, o.str("path", "/"));
		List<Double> delays = new CopyOnWriteArrayList<>();
		List<Double> ownDelays = new CopyOnWriteArrayList<>();
		AtomicInteger failures = new AtomicInteger();
		AtomicInteger noClose = new AtomicInteger();
		List<Thread> threads = new ArrayList<>();
		int rounds = (samples + slots - 1) / slots;
		long[] ends = new long[slots];
		long[] reference = new long[1];
		CyclicBarrier start = new CyclicBarrier(slots);
		CyclicBarrier idle = new CyclicBarrier(slots, () -> reference[0] = max(ends));
		for (int i = 0; i < slots; i++) {
			int slot = i;
			Thread t = new Thread(() -> {
				for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
					if (!await(start, deadline)) {
						break;
					}
					Socket s = null;
					InputStream in = null;
					ends[slot] = Long.MIN_VALUE;
					try {
						s = connect(port, maxWaitMillis);
						in = new BufferedInputStream(s.getInputStream());
						Response r = exchange(s, in, req);
						if (r.status == 200 && !r.close) {
							ends[slot] = System.nanoTime();
						}
						else {
							failures.incrementAndGet();
						}
					}
					catch (IOException ex) {
						failures.incrementAndGet();
					}
					boolean together = await(idle, deadline);
					try {
						if (together && ends[slot] != Long.MIN_VALUE) {
							long closed;
							try {
								int b = in.read();
								closed = System.nanoTime();
								if (b >= 0) {
									failures.incrementAndGet();
									continue;
								}
							}
							catch (SocketTimeoutException ex) {
								noClose.incrementAndGet();
								continue;
							}
							catch (IOException ex) {
								// A reset also ends the connection.
								closed = System.nanoTime();
							}
							delays.add(ms(closed - reference[0]));
							ownDelays.add(ms(closed - ends[slot]));
						}
					}
					finally {
						closeQuietly(s);
					}
					if (!together) {
						break;
					}
				}
			}, "probe-" + slot);
			t.setDaemon(true);
			t.start();
			threads.add(t);
		}
		for (Thread t : threads) {
			t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + maxWaitMillis + 1000));
		}
		// Tomcat closes idle connections in a sweep of its poller, so all of a round's
		// connections close together, a fixed time after the round's last response. Jetty
		// times each connection from its own last activity. Aim from whichever reference
		// gives the narrower distribution.
		double widthRound = percentile(delays, 0.9) - percentile(delays, 0.1);
		double widthOwn = percentile(ownDelays, 0.9) - percentile(ownDelays, 0.1);
		String ref = o.str("reference", "auto");
		boolean own = ref.equals("auto") ? widthOwn < widthRound : ref.equals("own");
		List<Double> sorted = new ArrayList<>(own ? ownDelays : delays);
		Collections.sort(sorted);
		try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
			w.println("# kind probe");
			w.println("# reference " + (own ? "own" : "round"));
			for (double d : sorted) {
				w.println(fmt(d, 3));
			}
		}
		System.out.printf(Locale.ROOT,
				"close-probe port=%d slots=%d samples=%d; server FIN after the end of the %s (ms): min=%s p10=%s "
						+ "median=%s p90=%s max=%s (p10-p90 after own response %s ms, after round's last %s ms); "
						+ "no-close=%d failures=%d%n",
				port, slots, sorted.size(), own ? "connection's own response" : "round's last response",
				fmt(percentile(sorted, 0), 1), fmt(percentile(sorted, 0.1), 1), fmt(median(sorted), 1),
				fmt(percentile(sorted, 0.9), 1), fmt(percentile(sorted, 1), 1), fmt(widthOwn, 1),
				fmt(widthRound, 1), noClose.get(), failures.get());
		if (sorted.isEmpty() || noClose.get() > 0) {
			System.exit(1);
		}
	}

	static long max(long[] values) {
		long m = Long.MIN_VALUE;
		for (long v : values) {
			m = Math.max(m, v);
		}
		return m;
	}

	static void closeQuietly(Socket s) {
		if (s != null) {
			try {
				s.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}
	}

	// ------------------------------------------------------------------ race

	/**
	 * A target for the idle gap: centres (ms) to pick from, counted from the end of the
	 * slot's own previous response or from the end of the previous round's last response,
	 * and the window [centre - early, centre + late] that a round's requests cover.
	 * {@code name=2000} is one centre from the slot's own response; {@code name=@file}
	 * reads a close-probe file (its middle half, p25-p75, so that outliers waste no round)
	 * or a hits file (every gap that produced a 502).
	 */
	record Aim(String name, double[] centres, boolean ownReference, double early, double late) {

		static Aim parse(String spec, double early, double late) throws IOException {
			int eq = spec.indexOf('=');
			String name = spec.substring(0, eq);
			String source = spec.substring(eq + 1);
			if (source.startsWith("@")) {
				List<Double> v = new ArrayList<>();
				boolean own = true;
				boolean probe = true;
				for (String line : Files.readAllLines(Path.of(source.substring(1)))) {
					if (line.startsWith("#")) {
						own = line.contains("reference round") ? false : own;
						probe = line.contains("kind hits") ? false : probe;
					}
					else if (!line.isBlank()) {
						v.add(Double.parseDouble(line.trim()));
					}
				}
				if (v.isEmpty()) {
					throw new IllegalArgumentException("no samples in " + source);
				}
				Collections.sort(v);
				if (probe && v.size() >= 4) {
					v = v.subList(v.size() / 4, v.size() - v.size() / 4);
				}
				return new Aim(name, v.stream().mapToDouble(Double::doubleValue).toArray(), own, early, late);
			}
			return new Aim(name, new double[] { Double.parseDouble(source) }, true, early, late);
		}

	}

	static final class Tally {

		final AtomicInteger requests = new AtomicInteger();

		final AtomicInteger ok = new AtomicInteger();

		final AtomicInteger bad502 = new AtomicInteger();

		final AtomicInteger other = new AtomicInteger();

		final AtomicInteger errors = new AtomicInteger();

		int failed() {
			return this.requests.get() - this.ok.get();
		}

		String line() {
			return "requests=" + this.requests + " ok=" + this.ok + " s502=" + this.bad502 + " other=" + this.other
					+ " errors=" + this.errors;
		}

	}

	/**
	 * One client slot per load balancer port (each port has its own upstream pool of one
	 * idle connection). The slots move in lockstep rounds: a first unmeasured round fills
	 * every pool, then each round waits an aimed idle gap counted from the end of the
	 * previous round's last response, plus a per-slot offset within the aim's window, and sends one
	 * request per slot on a fresh client connection (opened 20 ms early, so that only the
	 * LB-to-server connection has been idle). All slots share the round's aim.
	 */
	static void race(Opts o) throws Exception {
		List<Integer> ports = new ArrayList<>();
		for (String p : o.str("ports", null).split(",")) {
			ports.add(Integer.parseInt(p.trim()));
		}
		int total = o.integer("requests", 320);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("max-seconds", 300));
		// The window is wider before the measured close than after it: through a load
		// balancer the race shows a few ms early (the LB adds latency on the way out and
		// Tomcat's sweep of idle connections can run as soon as the first request of a round
		// wakes its poller).
		double early = o.dbl("window-early-ms", 15.0);
		double late = o.dbl("window-late-ms", 5.0);
		List<Aim> aims = new ArrayList<>();
		for (String spec : o.all("aim")) {
			aims.add(Aim.parse(spec, early, late));
		}
		boolean learn = Boolean.parseBoolean(o.str("learn", "false"));
		double learnSpread = o.dbl("learn-spread-ms", 2.0);
		double learnShare = o.dbl("learn-share", 0.75);
		int learnRecent = o.integer("learn-recent", 10);
		List<double[]> hits = new CopyOnWriteArrayList<>();
		if (aims.isEmpty()) {
			throw new IllegalArgumentException("at least one --aim name=ms|@file");
		}
		String path = o.str("path", "/");
		// POST by default: a load balancer must not replay it, so a dead pooled connection
		// surfaces as a 502 in every LB (Go's Transport, behind Caddy, replays a GET).
		String method = o.str("method", "POST");
		Path log = Path.of(o.str("log", "/dev/null"));
		Tally tally = new Tally();
		Map<String, Tally> perAim = new LinkedHashMap<>();
		for (Aim a : aims) {
			perAim.put(a.name(), new Tally());
		}
		if (learn) {
			perAim.put("learned", new Tally());
		}
		ConcurrentLinkedQueue<String> rows = new ConcurrentLinkedQueue<>();
		AtomicInteger primeFailures = new AtomicInteger();
		long seed = Long.parseLong(o.str("seed", Long.toString(System.nanoTime() % 1_000_000)));
		Random seeds = new Random(seed);
		List<Thread> threads = new ArrayList<>();
		int slots = ports.size();
		int rounds = (total + slots - 1) / slots;
		long[] ends = new long[slots];
		long[] reference = new long[1];
		Random roundRandom = new Random(seeds.nextLong());
		double[] roundCentre = new double[1];
		Aim[] roundAim = new Aim[1];
		// Stratified offsets: in each round the slots' offsets cover the aim's window evenly
		// (one stratum per slot, shuffled), so that every round probes the whole window
		// around the aimed centre at about (window / slots) ms apart.
		double[] offsets = new double[slots];
		List<Integer> strata = new ArrayList<>();
		for (int i = 0; i < slots; i++) {
			strata.add(i);
		}
		// With --learn, once 502s have been seen, --learn-share of the rounds aim at the gaps that
		// produced them, in a narrower window: the harness homes in on the moment the server
		// closes as seen through the load balancer. It never learns anything from a
		// configuration that produces no 502.
		CyclicBarrier barrier = new CyclicBarrier(slots, () -> {
			reference[0] = max(ends);
			Aim aim;
			// Half of the rounds until three 502s are known (one may be a fluke), then learnShare.
			double share = (hits.size() >= 3) ? learnShare : 0.5;
			if (learn && !hits.isEmpty() && roundRandom.nextDouble() < share) {
				// A recent hit: the moment drifts a little as the JVMs warm up.
				int recent = Math.min(hits.size(), learnRecent);
				double[] hit = hits.get(hits.size() - 1 - roundRandom.nextInt(recent));
				aim = new Aim("learned", new double[] { hit[0] }, hit[1] > 0, learnSpread, learnSpread);
			}
			else {
				aim = aims.get(roundRandom.nextInt(aims.size()));
			}
			roundAim[0] = aim;
			roundCentre[0] = aim.centres()[roundRandom.nextInt(aim.centres().length)];
			Collections.shuffle(strata, roundRandom);
			double width = aim.early() + aim.late();
			for (int i = 0; i < slots; i++) {
				offsets[i] = -aim.early() + width * (strata.get(i) + roundRandom.nextDouble()) / slots;
			}
		});
		long started = System.nanoTime();
		for (int i = 0; i < slots; i++) {
			int slot = i;
			int port = ports.get(i);
			byte[] req = request(port, path, method);
			Thread t = new Thread(() -> {
				// Round 0 fills the pool and is not counted.
				try (Socket s = connect(port, 5000)) {
					if (exchange(s, new BufferedInputStream(s.getInputStream()), req).status != 200) {
						primeFailures.incrementAndGet();
					}
				}
				catch (IOException ex) {
					primeFailures.incrementAndGet();
				}
				ends[slot] = System.nanoTime();
				for (int round = 1; round <= rounds && System.nanoTime() < deadline; round++) {
					if (!await(barrier, deadline)) {
						break;
					}
					Aim aim = roundAim[0];
					String aimName = aim.name();
					double gap = roundCentre[0] + offsets[slot];
					long target = (aim.ownReference() ? ends[slot] : reference[0]) + (long) (gap * 1e6);
					sleepUntil(target - 20_000_000L);
					String outcome;
					long sent = 0;
					Socket s = null;
					try {
						s = connect(port, 10000);
						InputStream in = new BufferedInputStream(s.getInputStream());
						sleepUntil(target);
						sent = System.nanoTime();
						outcome = Integer.toString(exchange(s, in, req).status);
					}
					catch (IOException ex) {
						outcome = "error:" + ex.getClass().getSimpleName();
					}
					finally {
						closeQuietly(s);
					}
					ends[slot] = System.nanoTime();
					double sentLate = (sent > 0) ? ms(sent - target) : Double.NaN;
					for (Tally tl : List.of(tally, perAim.get(aimName))) {
						tl.requests.incrementAndGet();
						if (outcome.startsWith("2")) {
							tl.ok.incrementAndGet();
						}
						else if (outcome.equals("502")) {
							tl.bad502.incrementAndGet();
							if (tl == tally) {
								hits.add(new double[] { gap, aim.ownReference() ? 1 : 0 });
							}
						}
						else if (outcome.startsWith("error")) {
							tl.errors.incrementAndGet();
						}
						else {
							tl.other.incrementAndGet();
						}
					}
					rows.add(round + "," + slot + "," + aimName + "," + fmt(gap, 3) + "," + fmt(sentLate, 3) + "," + outcome);
				}
			}, "slot-" + slot);
			t.setDaemon(true);
			t.start();
			threads.add(t);
		}
		for (Thread t : threads) {
			t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 15000));
		}
		try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
			w.println("round,slot,aim,gap_ms,sent_late_ms,outcome");
			rows.forEach(w::println);
		}
		String hitsOut = o.str("hits-out", "");
		if (!hitsOut.isEmpty()) {
			// The gaps that produced 502s, for the starter rows to aim at the same moments.
			try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(hitsOut)))) {
				boolean own = hits.stream().filter((h) -> h[1] > 0).count() * 2 >= hits.size();
				w.println("# kind hits");
				w.println("# reference " + (own ? "own" : "round"));
				for (double[] h : hits) {
					if ((h[1] > 0) == own) {
						w.println(fmt(h[0], 3));
					}
				}
			}
		}
		for (Map.Entry<String, Tally> e : perAim.entrySet()) {
			System.out.println("aim " + e.getKey() + " " + e.getValue().line());
		}
		System.out.printf(Locale.ROOT, "RESULT %s prime_failures=%d seconds=%s seed=%d%n", tally.line(),
				primeFailures.get(), fmt(ms(System.nanoTime() - started) / 1000, 1), seed);
	}

	// ------------------------------------------------------------------ lb-probe

	/**
	 * Measures how long the load balancer keeps a pooled backend connection idle, against a
	 * tiny HTTP backend on --backend-port that never closes a connection itself. Each client
	 * slot sends one request per round through its own port (path {@code /?slot=N}); after
	 * round 0, round r waits the r-th of --gaps-ms after the slot's previous response. The
	 * backend sees, for each request after a gap, whether it came on the slot's previous
	 * connection (reused) or on a new one, and, for each connection the LB closes, the time from
	 * its last response to the LB's FIN or reset. An LB that expires idle connections with a
	 * timer (nginx, HAProxy, Caddy) closes them on its own; one that checks their age only when
	 * it takes one from its pool (Apache httpd's ttl) closes an expired one at the next request
	 * and opens a new one: both show as "new" after a gap longer than the LB's idle timeout.
	 */
	static void lbProbe(Opts o) throws Exception {
		List<Integer> ports = new ArrayList<>();
		for (String p : o.str("ports", null).split(",")) {
			ports.add(Integer.parseInt(p.trim()));
		}
		int slots = ports.size();
		int backendPort = o.integer("backend-port", null);
		List<Double> gaps = new ArrayList<>();
		for (String g : o.str("gaps-ms", "1200,2500,1200,2500").split(",")) {
			gaps.add(Double.parseDouble(g.trim()));
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.integer("max-seconds", 120));
		List<Double> closes = new CopyOnWriteArrayList<>();
		List<Double> reused = new CopyOnWriteArrayList<>();
		List<Double> fresh = new CopyOnWriteArrayList<>();
		AtomicInteger resets = new AtomicInteger();
		AtomicInteger backendConnections = new AtomicInteger();
		long[] slotLastEnd = new long[slots];
		int[] slotLastConnection = new int[slots];
		byte[] response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
			.getBytes(StandardCharsets.US_ASCII);
		Pattern slotParam = Pattern.compile("[?&]slot=(\\d+)");
		java.net.ServerSocket server = new java.net.ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(HOST, backendPort), 512);
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				Socket c;
				try {
					c = server.accept();
				}
				catch (IOException ex) {
					return;
				}
				int connection = backendConnections.incrementAndGet();
				long[] lastEnd = { -1 };
				Thread h = new Thread(() -> {
					try (c) {
						c.setTcpNoDelay(true);
						InputStream in = new BufferedInputStream(c.getInputStream());
						for (int n = 0; n < 100000; n++) {
							String line;
							try {
								line = readLine(in);
							}
							catch (EOFException ex) {
								if (lastEnd[0] > 0) {
									closes.add(ms(System.nanoTime() - lastEnd[0]));
								}
								return;
							}
							long arrived = System.nanoTime();
							Matcher m = slotParam.matcher(line);
							int slot = m.find() ? Integer.parseInt(m.group(1)) : -1;
							long contentLength = 0;
							for (String hdr = readLine(in); !hdr.isEmpty(); hdr = readLine(in)) {
								if (hdr.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
									contentLength = Long.parseLong(hdr.substring(15).trim());
								}
							}
							skip(in, contentLength);
							synchronized (slotLastEnd) {
								if (slot >= 0 && slot < slots && slotLastEnd[slot] > 0) {
									double gap = ms(arrived - slotLastEnd[slot]);
									(slotLastConnection[slot] == connection ? reused : fresh).add(gap);
								}
							}
							c.getOutputStream().write(response);
							c.getOutputStream().flush();
							lastEnd[0] = System.nanoTime();
							synchronized (slotLastEnd) {
								if (slot >= 0 && slot < slots) {
									slotLastEnd[slot] = lastEnd[0];
									slotLastConnection[slot] = connection;
								}
							}
						}
					}
					catch (IOException ex) {
						// HAProxy closes idle server connections with a reset.
						if (lastEnd[0] > 0) {
							closes.add(ms(System.nanoTime() - lastEnd[0]));
							resets.incrementAndGet();
						}
					}
				});
				h.setDaemon(true);
				h.start();
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		AtomicInteger failures = new AtomicInteger();
		try {
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < slots; i++) {
				int slot = i;
				int port = ports.get(i);
				byte[] req = request(port, "/?slot=" + slot);
				Thread t = new Thread(() -> {
					for (int round = 0; round <= gaps.size() && System.nanoTime() < deadline; round++) {
						try (Socket s = connect(port, 5000)) {
							if (exchange(s, new BufferedInputStream(s.getInputStream()), req).status != 200) {
								failures.incrementAndGet();
							}
						}
						catch (IOException ex) {
							failures.incrementAndGet();
						}
						// The last round also waits, so that a timer's FIN arrives while the backend listens.
						double gap = gaps.get(Math.min(round, gaps.size() - 1));
						sleepUntil(System.nanoTime() + (long) (gap * 1e6));
					}
				});
				t.setDaemon(true);
				t.start();
				threads.add(t);
			}
			for (Thread t : threads) {
				t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 10000));
			}
		}
		finally {
			server.close();
		}
		System.out.printf(Locale.ROOT,
				"lb-probe slots=%d gaps=%s ms: reused_n=%d reused_min=%s reused_max=%s new_n=%d new_min=%s new_max=%s "
						+ "closed_n=%d closed_resets=%d closed_min=%s closed_median=%s closed_max=%s backend_connections=%d "
						+ "failures=%d%n",
				slots, o.str("gaps-ms", "1200,2500,1200,2500"), reused.size(), fmt(percentile(reused, 0), 1),
				fmt(percentile(reused, 1), 1), fresh.size(), fmt(percentile(fresh, 0), 1), fmt(percentile(fresh, 1), 1),
				closes.size(), resets.get(), fmt(percentile(closes, 0), 1), fmt(median(closes), 1),
				fmt(percentile(closes, 1), 1), backendConnections.get(), failures.get());
	}

	// ------------------------------------------------------------------ launching the sample app

	/** A sample app JVM started by this program, stopped by {@link #close()}. */
	static final class App implements AutoCloseable {

		static final List<App> RUNNING = new CopyOnWriteArrayList<>();

		static {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(App::close)));
		}

		final Process process;

		final int port;

		final long startNanos;

		final Path log;

		App(String jar, int port, List<String> args, Path log) throws IOException {
			List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar, "--server.port=" + port,
					"--server.address=" + HOST, "--spring.main.banner-mode=off"));
			cmd.addAll(args);
			this.port = port;
			this.log = log;
			ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
			this.startNanos = System.nanoTime();
			this.process = pb.start();
			RUNNING.add(this);
		}

		/** Polls GET / every 5 ms until it answers 200; returns the time to ready in ms. */
		double awaitReady(int maxSeconds) throws IOException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IOException("the app exited early, see " + this.log);
				}
				try {
					String[] r = get(this.port, "/", 2000);
					if (r[0].equals("200")) {
						return ms(System.nanoTime() - this.startNanos);
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				sleepUntil(System.nanoTime() + 5_000_000L);
			}
			throw new IOException("the app was not ready within " + maxSeconds + " s, see " + this.log);
		}

		long pid() {
			return this.process.pid();
		}

		@Override
		public void close() {
			if (this.process.isAlive()) {
				this.process.destroy();
				try {
					if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
						this.process.destroyForcibly();
						this.process.waitFor(10, TimeUnit.SECONDS);
					}
				}
				catch (InterruptedException ex) {
					this.process.destroyForcibly();
					Thread.currentThread().interrupt();
				}
			}
			RUNNING.remove(this);
		}

	}

	static String javaBin() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static List<String> splitArgs(String s) {
		List<String> v = new ArrayList<>();
		for (String a : s.trim().split("\\s+")) {
			if (!a.isEmpty()) {
				v.add(a);
			}
		}
		return v;
	}

	static String runCommand(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		try {
			byte[] out;
			Thread reader;
			ByteArrayOutputStream buf = new ByteArrayOutputStream();
			reader = new Thread(() -> {
				try {
					p.getInputStream().transferTo(buf);
				}
				catch (IOException ex) {
					// ignore
				}
			});
			reader.start();
			if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				throw new IOException("timed out: " + String.join(" ", cmd));
			}
			reader.join(5000);
			out = buf.toByteArray();
			return new String(out, StandardCharsets.UTF_8);
		}
		finally {
			if (p.isAlive()) {
				p.destroyForcibly();
				p.waitFor(5, TimeUnit.SECONDS);
			}
		}
	}

	// ------------------------------------------------------------------ startup

	/** The ratios of pairs: median, min and max, and all of them. */
	static String ratios(List<Double> ratios) {
		StringBuilder all = new StringBuilder();
		for (double r : ratios) {
			all.append((all.length() > 0) ? "/" : "").append(fmt(r, 3));
		}
		return "ratio_median=" + fmt(median(ratios), 3) + " ratio_min=" + fmt(percentile(ratios, 0), 3) + " ratio_max="
				+ fmt(percentile(ratios, 1), 3) + " ratios=" + all;
	}

	/**
	 * Interleaved pairs: --pairs times, starts the app with the starter and without it, one
	 * after the other (with first in even pairs, without first in odd ones), and measures each
	 * start from process launch to the first 200 on GET /. The ratio of each pair (with /
	 * without) compares two starts made seconds apart, so a drift of the machine's speed over
	 * minutes moves both; the median of the pair ratios, with its min and max, is the result.
	 */
	static void startup(Opts o) throws Exception {
		String jar = o.str("jar", null);
		String label = o.str("label", "app");
		int port = o.integer("port", 29080);
		int pairs = o.integer("pairs", 15);
		Path dir = Path.of(o.str("dir", "."));
		Files.createDirectories(dir);
		Map<Boolean, List<String>> args = Map.of(true, splitArgs(o.str("with-args", "")), false,
				splitArgs(o.str("without-args", "")));
		List<Double> with = new ArrayList<>();
		List<Double> without = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		// One unmeasured start of each warms the page cache for the jar.
		for (boolean starter : List.of(true, false)) {
			try (App warm = new App(jar, port, args.get(starter), dir.resolve(label + "-warmup-" + starter + ".log"))) {
				warm.awaitReady(120);
			}
		}
		for (int pair = 0; pair < pairs; pair++) {
			double[] t = new double[2];
			for (boolean starter : (pair % 2 == 0) ? List.of(true, false) : List.of(false, true)) {
				Path log = dir.resolve(label + "-startup-" + (starter ? "with" : "without") + "-" + pair + ".log");
				try (App app = new App(jar, port, args.get(starter), log)) {
					t[starter ? 0 : 1] = app.awaitReady(120);
				}
			}
			with.add(t[0]);
			without.add(t[1]);
			ratios.add(t[0] / t[1]);
			System.err.printf(Locale.ROOT, "  startup %s pair %d: with %s ms, without %s ms, ratio %s%n", label, pair,
					fmt(t[0], 0), fmt(t[1], 0), fmt(t[0] / t[1], 3));
		}
		System.out.printf(Locale.ROOT, "STARTUP %s pairs=%d with_median_ms=%s without_median_ms=%s %s with_all=%s without_all=%s%n",
				label, pairs, fmt(median(with), 0), fmt(median(without), 0), ratios(ratios), joined(with),
				joined(without));
	}

	static String joined(List<Double> v) {
		StringBuilder b = new StringBuilder();
		for (double d : v) {
			b.append((b.length() > 0) ? "/" : "").append(fmt(d, 0));
		}
		return b.toString();
	}

	// ------------------------------------------------------------------ steps

	static final Pattern STEPS = Pattern.compile("(?m)^STEPS (.*)$");

	/**
	 * Runs bench/StartupSteps.java (compiled against the app's libraries, on --classpath)
	 * --runs times, each in a fresh JVM, and reports the median of each of its figures: the
	 * time the starter's own steps took during startup, from Spring's ApplicationStartup.
	 */
	static void steps(Opts o) throws Exception {
		String classpath = o.str("classpath", null);
		String label = o.str("label", "app");
		int runs = o.integer("runs", 11);
		Path dir = Path.of(o.str("dir", "."));
		Files.createDirectories(dir);
		Map<String, List<Double>> values = new LinkedHashMap<>();
		for (int run = 0; run < runs; run++) {
			// bench.detail: each starter step with its time, in the run's log.
			List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Dbench.detail=true", "-cp", classpath, "StartupSteps",
					"--server.port=0",
					"--server.address=" + HOST, "--spring.main.banner-mode=off"));
			cmd.addAll(splitArgs(o.str("args", "")));
			String out = runCommand(cmd, 180);
			Files.writeString(dir.resolve(label + "-steps-" + run + ".log"), out);
			Matcher m = STEPS.matcher(out);
			if (!m.find()) {
				throw new IOException("no STEPS line from StartupSteps, see " + dir.resolve(label + "-steps-" + run + ".log"));
			}
			for (String kv : m.group(1).trim().split("\\s+")) {
				int eq = kv.indexOf('=');
				values.computeIfAbsent(kv.substring(0, eq), (k) -> new ArrayList<>())
					.add(Double.parseDouble(kv.substring(eq + 1)));
			}
			System.err.printf(Locale.ROOT, "  steps %s run %d: %s%n", label, run, m.group(1).trim());
		}
		StringBuilder b = new StringBuilder("STEPS " + label + " runs=" + runs);
		for (Map.Entry<String, List<Double>> e : values.entrySet()) {
			b.append(' ').append(e.getKey()).append('=').append(fmt(median(e.getValue()), 0));
		}
		List<Double> total = values.getOrDefault("total_us", List.of());
		b.append(" total_us_min=").append(fmt(percentile(total, 0), 0));
		b.append(" total_us_max=").append(fmt(percentile(total, 1), 0));
		b.append(" total_all=").append(joined(total));
		System.out.println(b);
	}

	// ------------------------------------------------------------------ throughput

	static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");

	static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: (.*)");

	static double wrk(int port, int threads, int connections, int seconds, Path log) throws Exception {
		String out = runCommand(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
				"http://" + HOST + ":" + port + "/"), seconds + 60);
		Files.writeString(log, out, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
		Matcher m = RPS.matcher(out);
		if (!m.find()) {
			throw new IOException("no Requests/sec in wrk output: " + out);
		}
		Matcher bad = NON2XX.matcher(out);
		if (bad.find()) {
			throw new IOException("wrk saw non-2xx responses: " + out);
		}
		Matcher err = SOCKET_ERRORS.matcher(out);
		if (err.find()) {
			System.err.println("  wrk socket errors: " + err.group(1));
		}
		return Double.parseDouble(m.group(1));
	}

	/**
	 * Runs the app with and without the starter side by side, warms both, then runs wrk in
	 * interleaved pairs (with first in even pairs, without first in odd ones), --pairs of them;
	 * the result is the median of the pair ratios (with / without), with its min and max.
	 */
	static void throughput(Opts o) throws Exception {
		String jar = o.str("jar", null);
		String label = o.str("label", "app");
		int portWith = o.integer("port-with", 29081);
		int portWithout = o.integer("port-without", 29082);
		int pairs = o.integer("pairs", 15);
		int seconds = o.integer("seconds", 5);
		int warmSeconds = o.integer("warmup-seconds", 10);
		int threads = o.integer("threads", 2);
		int connections = o.integer("connections", 32);
		Path dir = Path.of(o.str("dir", "."));
		Files.createDirectories(dir);
		Path log = dir.resolve(label + "-wrk.log");
		Files.deleteIfExists(log);
		List<Double> with = new ArrayList<>();
		List<Double> without = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		try (App a = new App(jar, portWith, splitArgs(o.str("with-args", "")), dir.resolve(label + "-tp-with.log"));
				App b = new App(jar, portWithout, splitArgs(o.str("without-args", "")),
						dir.resolve(label + "-tp-without.log"))) {
			a.awaitReady(120);
			b.awaitReady(120);
			wrk(portWith, threads, connections, warmSeconds, log);
			wrk(portWithout, threads, connections, warmSeconds, log);
			for (int pair = 0; pair < pairs; pair++) {
				double[] rps = new double[2];
				for (boolean starter : (pair % 2 == 0) ? List.of(true, false) : List.of(false, true)) {
					rps[starter ? 0 : 1] = wrk(starter ? portWith : portWithout, threads, connections, seconds, log);
				}
				with.add(rps[0]);
				without.add(rps[1]);
				ratios.add(rps[0] / rps[1]);
				System.err.printf(Locale.ROOT, "  throughput %s pair %d: with %s, without %s req/s, ratio %s%n", label,
						pair, fmt(rps[0], 0), fmt(rps[1], 0), fmt(rps[0] / rps[1], 3));
			}
		}
		System.out.printf(Locale.ROOT,
				"THROUGHPUT %s pairs=%d wrk=-t%d/-c%d/-d%ds with_median_rps=%s without_median_rps=%s %s with_all=%s without_all=%s%n",
				label, pairs, threads, connections, seconds, fmt(median(with), 0), fmt(median(without), 0),
				ratios(ratios), joined(with), joined(without));
	}

	// ------------------------------------------------------------------ idle connections

	static final Pattern HISTO_TOTAL = Pattern.compile("(?m)^Total\\s+([0-9]+)\\s+([0-9]+)\\s*$");

	/** Live heap bytes after a full GC (jcmd GC.class_histogram collects first). */
	static long liveHeap(long pid) throws Exception {
		String out = runCommand(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(pid), "GC.class_histogram"), 120);
		Matcher m = HISTO_TOTAL.matcher(out);
		if (!m.find()) {
			throw new IOException("no Total line in class histogram of " + pid);
		}
		return Long.parseLong(m.group(2));
	}

	static long statusKb(long pid, String field) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith(field + ":")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		return -1;
	}

	/** Kernel memory of all TCP sockets, from /proc/net/sockstat (pages). */
	static long tcpMemPages() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
			if (line.startsWith("TCP:")) {
				Matcher m = Pattern.compile("mem (\\d+)").matcher(line);
				if (m.find()) {
					return Long.parseLong(m.group(1));
				}
			}
		}
		return -1;
	}

	/**
	 * Size of one TCP socket object in this kernel's slab (from /proc/slabinfo), or -1.
	 * Slab deltas are not used: freed sockets leave partly empty slabs behind, so the
	 * growth of a cache understates what new sockets take.
	 */
	static long tcpSocketObjectBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/slabinfo"))) {
				String[] f = line.trim().split("\\s+");
				if (f.length > 3 && f[0].equals("TCP")) {
					return Long.parseLong(f[3]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not readable
		}
		return -1;
	}

	/** Server-side connections in ESTABLISHED state on the port, counted from /proc/net/tcp. */
	static int established(int port) throws IOException {
		String hexPort = String.format(Locale.ROOT, ":%04X", port);
		int n = 0;
		for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			if (!new File(file).exists()) {
				continue;
			}
			for (String line : Files.readAllLines(Path.of(file))) {
				String[] f = line.trim().split("\\s+");
				if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("01")) {
					n++;
				}
			}
		}
		return n;
	}

	/**
	 * Starts the app (with the starter, so idle connections are kept for idle+margin),
	 * measures live heap and RSS, opens --connections keep-alive connections that each
	 * serve one request and then stay idle, measures again, and reports the difference
	 * per connection. Repeated --runs times on fresh JVMs.
	 */
	static void idle(Opts o) throws Exception {
		String jar = o.str("jar", null);
		String label = o.str("label", "app");
		int port = o.integer("port", 29083);
		int runs = o.integer("runs", 3);
		int n = o.integer("connections", 2000);
		List<String> args = splitArgs(o.str("args", ""));
		String warmup = o.str("warmup", "separate");
		Path dir = Path.of(o.str("dir", "."));
		Files.createDirectories(dir);
		List<Double> heapPer = new ArrayList<>();
		List<Double> rssPer = new ArrayList<>();
		List<Double> kernelPer = new ArrayList<>();
		List<Double> threadsDelta = new ArrayList<>();
		String keepAlive = "?";
		for (int run = 0; run < runs; run++) {
			List<Socket> sockets = new ArrayList<>();
			try (App app = new App(jar, port, args, dir.resolve(label + "-idle-" + warmup + "-" + run + ".log"))) {
				app.awaitReady(120);
				String[] ka = get(port, "/actuator/keepalive", 5000);
				Matcher km = Pattern.compile("\"keepAliveTimeoutMillis\":(\\d+)").matcher(ka[1]);
				keepAlive = km.find() ? km.group(1) : "unknown";
				// Warm the request path, so that the measurement holds only what idle
				// connections add: "separate" sends 200 requests on 200 connections, closed
				// again (a server may keep the objects of closed connections in caches, which
				// are then in the heap before the measurement); "one" sends 90 requests on one
				// connection (nothing cached but one connection's objects).
				if (warmup.equals("separate")) {
					for (int i = 0; i < 200; i++) {
						try (Socket s = connect(port, 5000)) {
							exchange(s, new BufferedInputStream(s.getInputStream()), request(port, "/"));
						}
					}
				}
				else {
					try (Socket s = connect(port, 5000)) {
						InputStream in = new BufferedInputStream(s.getInputStream());
						for (int i = 0; i < 90; i++) {
							exchange(s, in, request(port, "/"));
						}
					}
				}
				sleepUntil(System.nanoTime() + 1_000_000_000L);
				long heap0 = liveHeap(app.pid());
				long rss0 = statusKb(app.pid(), "VmRSS");
				long thr0 = statusKb(app.pid(), "Threads");
				long tcp0 = tcpMemPages();
				long opened = System.nanoTime();
				for (int i = 0; i < n; i++) {
					Socket s = connect(port, 10000);
					sockets.add(s);
					Response r = exchange(s, new BufferedInputStream(s.getInputStream()), request(port, "/"));
					if (r.status != 200 || r.close) {
						throw new IOException("connection " + i + " was not kept alive");
					}
				}
				double openSeconds = ms(System.nanoTime() - opened) / 1000;
				sleepUntil(System.nanoTime() + 1_000_000_000L);
				long heap1 = liveHeap(app.pid());
				long rss1 = statusKb(app.pid(), "VmRSS");
				long thr1 = statusKb(app.pid(), "Threads");
				long tcp1 = tcpMemPages();
				int est = established(port);
				if (est < n) {
					throw new IOException("only " + est + " of " + n + " connections still open at the measurement");
				}
				heapPer.add((heap1 - heap0) / (double) n);
				rssPer.add((rss1 - rss0) * 1024.0 / n);
				kernelPer.add((tcp1 - tcp0) * 4096.0 / n);
				threadsDelta.add((double) (thr1 - thr0));
				System.err.printf(Locale.ROOT,
						"  idle %s run %d: %d connections opened in %s s, still open %d; live heap %+d B, RSS %+d KiB, "
								+ "kernel TCP buffers %+d pages, threads %+d%n",
						label, run, n, fmt(openSeconds, 1), est, heap1 - heap0, rss1 - rss0, tcp1 - tcp0,
						thr1 - thr0);
			}
			finally {
				for (Socket s : sockets) {
					try {
						s.close();
					}
					catch (IOException ex) {
						// ignore
					}
				}
			}
		}
		System.out.printf(Locale.ROOT,
				"IDLE %s warmup=%s runs=%d connections=%d keep_alive_ms=%s heap_bytes_per_conn=%s rss_bytes_per_conn=%s "
						+ "kernel_buffer_bytes_per_conn=%s tcp_socket_object_bytes=%d threads_delta=%s heap_all=%s "
						+ "rss_all=%s%n",
				label, warmup, runs, n, keepAlive, fmt(median(heapPer), 0), fmt(median(rssPer), 0), fmt(median(kernelPer), 0),
				tcpSocketObjectBytes(), fmt(median(threadsDelta), 0), joined(heapPer), joined(rssPer));
	}

}
