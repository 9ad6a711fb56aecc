# The client-side race for bench/run --client: RestClient and WebClient on every client
# stack Spring Boot can build (Apache HttpClient 5, Jetty, Reactor Netty, the JDK), calling
# real servers that close idle keep-alive connections first: Node.js (the seeds' server,
# which sends a Keep-Alive hint) and the sample app on Tomcat and on Jetty. Baseline: the
# starter's client part off; starter: on. Sourced, not executed.

CLIENT_PORT_BASE=19500 # 19500 Node.js, 19501 Tomcat, 19502 Jetty

ensure_node() {
	command -v node >/dev/null && return 0
	log "installing nodejs with apt"
	local sudo=()
	((EUID == 0)) || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq >"$OUT/apt.log" 2>&1 || die "apt-get update failed, see $OUT/apt.log"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >>"$OUT/apt.log" 2>&1 ||
		die "apt-get install nodejs failed, see $OUT/apt.log"
}

# Builds the starter's autoconfigure module in the copy made by build_jars and writes the
# class path ClientRace.java runs with (the module's classes and its test class path,
# which has every client library).
build_client_classpath() {
	local src=$OUT/build-src
	log "building the autoconfigure module and its test class path"
	(cd "$src" && ./mvnw -q -B -ntp -pl autoconfigure -am package -Dmaven.test.skip=true &&
		./mvnw -q -B -ntp -pl autoconfigure dependency:build-classpath -Dmdep.includeScope=test \
			-Dmdep.outputFile="$OUT/client-classpath.txt") >"$OUT/build-client.log" 2>&1 ||
		{ tail -30 "$OUT/build-client.log" >&2; die "client build failed, see $OUT/build-client.log"; }
	CLIENT_CP="$src/autoconfigure/target/classes:$(cat "$OUT/client-classpath.txt")"
}

# Whether a baseline row must show failures: the stack neither reads the server's
# Keep-Alive hint nor retries the method by itself. Node.js and Tomcat send a hint to
# Apache HttpClient, Jetty sends none; Apache HttpClient's classic client and the JDK
# retry a GET themselves. WebClient on the JDK opened a new connection per request in
# the wire tests, so it is reported but not required to fail.
client_exposed() { # client_exposed SERVER API STACK METHOD
	local server=$1 api=$2 stack=$3 method=$4
	case $stack in
	reactor | jetty) return 0 ;;
	jdk) [[ $api == RestClient && $method == POST ]] ;;
	http-components) [[ $server == jetty && ! ($api == RestClient && $method == GET) ]] ;;
	esac
}

run_client_race() {
	local dir=$OUT/client-race keepalive_ms gap_node gap_server max_idle_args=() config pid
	rm -rf "$dir"
	mkdir -p "$dir"
	if [[ $MODE == quick ]]; then
		keepalive_ms=1000
		max_idle_args=(--max-idle 800ms --hint-margin 200ms)
	else
		keepalive_ms=5000
	fi
	# Node closes about 1 s after its keepAliveTimeout; Tomcat and Jetty at theirs.
	gap_node=$((keepalive_ms + 1000))
	gap_server=$keepalive_ms
	local p
	for p in $CLIENT_PORT_BASE $((CLIENT_PORT_BASE + 1)) $((CLIENT_PORT_BASE + 2)); do
		require_free_port "$p"
	done
	log "client race: servers keep idle connections ${keepalive_ms}ms, $CLIENT_REQUESTS requests per row"
	node "$BENCH_DIR/client-race.js" $CLIENT_PORT_BASE $keepalive_ms >"$dir/node.log" 2>&1 &
	track_pid $!
	wait_for_port $CLIENT_PORT_BASE 20 $! || die "node did not listen, see $dir/node.log"
	client_start_app tomcat $((CLIENT_PORT_BASE + 1)) "$dir/tomcat.log" --lb.mode=report \
		--server.tomcat.keep-alive-timeout=${keepalive_ms}ms
	local tomcat_pid=$APP_PID
	client_start_app jetty $((CLIENT_PORT_BASE + 2)) "$dir/jetty.log" --lb.mode=report \
		--server.jetty.connection-idle-timeout=${keepalive_ms}ms
	local jetty_pid=$APP_PID
	client_await_app $((CLIENT_PORT_BASE + 1)) "$tomcat_pid" "$dir/tomcat.log"
	client_await_app $((CLIENT_PORT_BASE + 2)) "$jetty_pid" "$dir/jetty.log"
	for config in baseline starter; do
		log "client race: $config"
		java -cp "$CLIENT_CP" "$BENCH_DIR/ClientRace.java" --config $config --requests "$CLIENT_REQUESTS" \
			--slots 16 --window-early-ms 15 --window-late-ms 5 "${max_idle_args[@]}" \
			--server "node=$gap_node=http://127.0.0.1:$CLIENT_PORT_BASE/" \
			--server "tomcat=$gap_server=http://127.0.0.1:$((CLIENT_PORT_BASE + 1))/" \
			--server "jetty=$gap_server=http://127.0.0.1:$((CLIENT_PORT_BASE + 2))/" \
			>"$dir/$config.out" 2>"$dir/$config.log" || { tail -30 "$dir/$config.log" >&2; die "ClientRace $config failed"; }
		grep '^ROW' "$dir/$config.out" >>"$dir/rows.txt"
	done
	stop_pid "$tomcat_pid"
	stop_pid "$jetty_pid"
	CLIENT_KEEPALIVE_MS=$keepalive_ms
	CLIENT_MAX_IDLE=${max_idle_args[1]:-4s (default)}
}

print_client_race() {
	local server api stack method config n ok failed error base
	echo
	echo "## Client race: $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/.*version "\(.*\)".*/JDK \1/'), Node.js $(node --version)"
	echo
	echo "Servers keep idle connections ${CLIENT_KEEPALIVE_MS} ms (Node.js closes about 1 s later and advertises"
	echo "Keep-Alive: timeout=$((CLIENT_KEEPALIVE_MS / 1000))). keepalive.client.max-idle: $CLIENT_MAX_IDLE. 16 slots per client (8 GET, 8 POST),"
	echo "every client at once, each idle gap aimed at the server's close (-15..+5 ms). Failed requests:"
	echo
	echo "| server | API | client stack | method | requests | baseline failed | starter failed | first baseline error |"
	echo "|---|---|---|---|--:|--:|--:|---|"
	while read -r _ server api stack method config n ok failed error; do
		[[ $config == baseline ]] || continue
		base="$failed"
		local starter_line
		starter_line=$(grep "^ROW $server $api $stack $method starter " "$OUT/client-race/rows.txt")
		local s_failed s_n
		s_n=$(awk '{print $7}' <<<"$starter_line")
		s_failed=$(awk '{print $9}' <<<"$starter_line")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$server" "$api" "$stack" "$method" "$n" "$base" "$s_failed" "$error"
		if ((s_failed == 0 && s_n > 0)); then
			check PASS "client $server $api $stack $method starter: $s_n requests, none failed"
		else
			check FAIL "client $server $api $stack $method starter: $s_failed of $s_n failed"
		fi
		if client_exposed "$server" "$api" "$stack" "$method"; then
			if ((base > 0)); then
				check PASS "client $server $api $stack $method baseline: the race is reproduced ($base of $n failed)"
			else
				check FAIL "client $server $api $stack $method baseline: no failure in $n requests, the harness no longer detects the race"
			fi
		fi
	done <"$OUT/client-race/rows.txt"
}

# The whole --client mode: build, race, report. Exits with 0 when every check passed,
# 1 when one failed.
run_client_mode() {
	CLIENT_REQUESTS=${REQUESTS:-$([[ $MODE == quick ]] && echo 200 || echo 400)}
	((BUILD)) || die "--client always builds"
	t0=$(date +%s)
	build_jars
	build_client_classpath
	PASSED=0
	FAILED=0
	CHECK_ROWS=()
	check() { if [[ $1 == PASS ]]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi; CHECK_ROWS+=("$1  $2"); }
	client_start_app() {
		local server=$1 port=$2 logfile=$3
		shift 3
		require_free_port "$port"
		java -jar "$OUT/jars/sample-$server.jar" --server.port="$port" --server.address=127.0.0.1 \
			--spring.main.banner-mode=off "$@" >"$logfile" 2>&1 &
		APP_PID=$!
		track_pid "$APP_PID"
	}
	client_await_app() {
		local port=$1 pid=$2 logfile=$3 i
		for ((i = 0; i < 1200; i++)); do
			curl -fsS -m 2 "http://127.0.0.1:$port/" >/dev/null 2>&1 && return 0
			kill -0 "$pid" 2>/dev/null || die "the app on port $port exited, see $logfile"
			sleep 0.1
		done
		die "the app on port $port was not ready"
	}
	run_client_race
	{
		echo "# bench/run --client${MODE/full/} --$MODE ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
		print_client_race
		echo
		printf '%s\n' "${CHECK_ROWS[@]}" | grep -v '^PASS' || true
		echo
		echo "Wall time: $(($(date +%s) - t0)) s."
		echo "$PASSED passed, $FAILED failed"
	} | tee "$OUT/report-client-$MODE.md"
	((FAILED == 0)) || exit 1
	exit 0
}
