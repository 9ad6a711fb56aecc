# The client-side race for bench/run client: RestClient and WebClient on every client
# stack Spring Boot can build (Apache HttpClient 5, Jetty, Reactor Netty, the JDK), calling
# real servers that close idle keep-alive connections first: Node.js (the seeds' server,
# which sends a Keep-Alive hint) and the sample app on Tomcat and on Jetty. Baseline: the
# starter's client part off; starter: on. Sourced, not executed.

CLIENT_PORT_BASE=19500 # 19500 Node.js, 19501 Tomcat, 19502 Jetty, 19503 Node.js for the cost

# Builds the starter's autoconfigure module in the copy made by build_jars and writes the
# class path ClientRace.java runs with (the module's classes and its test class path,
# which has every client library). With --no-build: the class path of an earlier run.
build_client_classpath() {
	local src=$OUT/build-src
	if ((!BUILD)); then
		[[ -f $OUT/client-classpath.txt && -d $src/autoconfigure/target/classes ]] ||
			die "--no-build: no client class path in $OUT, run the client mode once without it"
		CLIENT_CP="$src/autoconfigure/target/classes:$(cat "$OUT/client-classpath.txt")"
		return 0
	fi
	log "building the autoconfigure module and its test class path"
	(cd "$src" && ./mvnw -q -B -ntp -pl autoconfigure -am package -Dmaven.test.skip=true &&
		./mvnw -q -B -ntp -pl autoconfigure dependency:build-classpath -Dmdep.includeScope=test \
			-Dmdep.outputFile="$OUT/client-classpath.txt") >"$OUT/build-client.log" 2>&1 ||
		{ tail -30 "$OUT/build-client.log" >&2; die "client build failed, see $OUT/build-client.log"; }
	CLIENT_CP="$src/autoconfigure/target/classes:$(cat "$OUT/client-classpath.txt")"
}

# Whether a baseline row must show failures: "yes", or "no: <why>" / "rarely: <why>" when
# the stack is protected, or nearly, without the starter. Measured on this harness: Apache HttpClient honours the
# Keep-Alive hint exactly, and Node.js (which closes 1 s after its hint) and Tomcat (which
# sends timeout=N to clients that send Connection: keep-alive, as Apache HttpClient does,
# and closes at its sweep, after the client's hint has run out) send one; Jetty sends
# none. The classic Apache HttpClient retries a GET itself, and so does the JDK on both
# APIs.
client_exposure() { # client_exposure SERVER API STACK METHOD
	local server=$1 api=$2 stack=$3 method=$4
	case $stack in
	reactor | jetty) echo yes ;;
	jdk)
		if [[ $method == GET ]]; then
			echo "no: the JDK retries a GET itself"
		else
			echo yes
		fi
		;;
	http-components)
		if [[ $server == node ]]; then
			echo "no: reads the Keep-Alive hint, which Node.js outlasts by 1 s"
		elif [[ $server == tomcat ]]; then
			echo "rarely: reads Tomcat's Keep-Alive hint, with no margin"
		elif [[ $api == RestClient && $method == GET ]]; then
			echo "no: the classic client retries a GET itself"
		else
			echo yes
		fi
		;;
	esac
}

# Whether a starter row may fail: only the JDK's POST when the JDK keep-alive is below
# 3 s (the quick mode's scaled 800 ms gives 0 s). The JDK hands out a pooled connection
# without checking its expiry; only its selector thread purges expired ones, and that
# thread can sleep up to 3 s (ConnectionPool, HttpClientImpl.SelectorManager), so below
# 3 s the JDK can reuse a connection the server has closed, and a POST is never retried.
client_starter_limit() { # client_starter_limit STACK METHOD
	[[ $1 == jdk && $2 != GET ]] && ((QUICK))
}

CLIENT_REQUESTS=200 # aimed requests per server, API, stack and method (both configurations)

run_client() {
	local dir=$OUT/client-race keepalive_ms gap_node gap_server max_idle_args=() config pid
	rm -rf "$dir"
	mkdir -p "$dir"
	if ((QUICK)); then
		keepalive_ms=1000
		max_idle_args=(--max-idle 800ms --hint-margin 200ms)
		CLIENT_COST_MEAN_GAP_MS=400
	else
		keepalive_ms=5000
		CLIENT_COST_MEAN_GAP_MS=2000
	fi
	CLIENT_COST_REQUESTS=150
	# Node 20 closes 1 s after its keepAliveTimeout; Tomcat and Jetty at theirs. Node and
	# Jetty time each connection from its own last response; Tomcat closes idle
	# connections in a sweep of its poller, once the poller has been idle that long, so
	# it is aimed from the round's last response.
	gap_node=$((keepalive_ms + 1000))
	gap_server=$keepalive_ms
	local p
	for p in $CLIENT_PORT_BASE $((CLIENT_PORT_BASE + 1)) $((CLIENT_PORT_BASE + 2)) $((CLIENT_PORT_BASE + 3)); do
		require_free_port "$p"
	done
	log "client race: servers keep idle connections ${keepalive_ms}ms, $CLIENT_REQUESTS requests per row"
	node "$BENCH_DIR/client-race.js" $CLIENT_PORT_BASE $keepalive_ms >"$dir/node.log" 2>&1 &
	local node_pid=$!
	track_pid $node_pid
	wait_for_port $CLIENT_PORT_BASE 20 $node_pid || die "node did not listen, see $dir/node.log"
	# The cost server keeps idle connections 60 s and sends no hint, so every extra
	# connection a client opens is one that its idle bound retired.
	node "$BENCH_DIR/client-race.js" $((CLIENT_PORT_BASE + 3)) 60000 nohint >"$dir/node-cost.log" 2>&1 &
	local node_cost_pid=$!
	track_pid $node_cost_pid
	wait_for_port $((CLIENT_PORT_BASE + 3)) 20 $node_cost_pid || die "node did not listen, see $dir/node-cost.log"
	# The servers as without the starter: no timeouts raised and no Keep-Alive hint of the
	# starter's (Tomcat still answers its own to a client that sends Connection: keep-alive).
	start_app tomcat $((CLIENT_PORT_BASE + 1)) "$dir/tomcat.log" --lb.mode=report --lb.keep-alive-hint=false \
		--server.tomcat.keep-alive-timeout=${keepalive_ms}ms
	local tomcat_pid=$APP_PID
	start_app jetty $((CLIENT_PORT_BASE + 2)) "$dir/jetty.log" --lb.mode=report --lb.keep-alive-hint=false \
		--server.jetty.connection-idle-timeout=${keepalive_ms}ms
	local jetty_pid=$APP_PID
	await_app $((CLIENT_PORT_BASE + 1)) "$tomcat_pid" "$dir/tomcat.log"
	await_app $((CLIENT_PORT_BASE + 2)) "$jetty_pid" "$dir/jetty.log"
	for config in baseline starter; do
		log "client race: $config"
		local hits=(--hits-out "$dir/hits.txt")
		[[ $config == starter ]] && hits=(--hits-in "$dir/hits.txt")
		java -cp "$CLIENT_CP" "$BENCH_DIR/ClientRace.java" --config $config --requests "$CLIENT_REQUESTS" \
			--slots 16 --window-early-ms 5 --window-late-ms 15 --learn-spread-ms 1.5 "${max_idle_args[@]}" "${hits[@]}" \
			--server "node=$gap_node=own=http://127.0.0.1:$CLIENT_PORT_BASE/" \
			--server "tomcat=$gap_server=round=http://127.0.0.1:$((CLIENT_PORT_BASE + 1))/" \
			--server "jetty=$gap_server=own=http://127.0.0.1:$((CLIENT_PORT_BASE + 2))/" \
			--cost-url "http://127.0.0.1:$((CLIENT_PORT_BASE + 3))/" --cost-mean-gap-ms $CLIENT_COST_MEAN_GAP_MS \
			--cost-requests $CLIENT_COST_REQUESTS \
			>"$dir/$config.out" 2>"$dir/$config.log" || { tail -30 "$dir/$config.log" >&2; die "ClientRace $config failed"; }
		grep '^ROW' "$dir/$config.out" >>"$dir/rows.txt"
		grep '^COST' "$dir/$config.out" >>"$dir/cost.txt" || true
	done
	stop_pid "$tomcat_pid"
	stop_pid "$jetty_pid"
	stop_pid "$node_pid"
	stop_pid "$node_cost_pid"
	CLIENT_KEEPALIVE_MS=$keepalive_ms
	CLIENT_MAX_IDLE=${max_idle_args[1]:-4s (default)}
	CLIENT_HINT_MARGIN=${max_idle_args[3]:-1s (default)}
	client_checks
}

# The checks, one or two per row: the starter row has no failure; the baseline row of an
# exposed stack has at least one.
client_checks() {
	local server api stack method config n ok failed error starter_line s_n s_failed exposure
	while read -r _ server api stack method config n ok failed error; do
		[[ $config == baseline ]] || continue
		starter_line=$(grep "^ROW $server $api $stack $method starter " "$OUT/client-race/rows.txt") || starter_line=
		s_n=$(awk '{print $7}' <<<"$starter_line")
		s_failed=$(awk '{print $9}' <<<"$starter_line")
		exposure=$(client_exposure "$server" "$api" "$stack" "$method")
		if [[ -z $starter_line ]]; then
			check FAIL "client $server $api $stack $method starter: no starter row"
		elif ((s_failed == 0 && s_n > 0)); then
			check PASS "client $server $api $stack $method starter: $s_n requests, none failed"
		elif client_starter_limit "$stack" "$method"; then
			check KNOWN "client $server $api $stack $method starter: $s_failed of $s_n failed (the JDK's keep-alive below its 3 s floor, see README)"
		else
			check FAIL "client $server $api $stack $method starter: $s_failed of $s_n failed"
		fi
		if [[ $exposure == yes ]]; then
			if ((failed > 0)); then
				check PASS "client $server $api $stack $method baseline: the race is reproduced ($failed of $n failed)"
			else
				check FAIL "client $server $api $stack $method baseline: no failure in $n requests, the harness no longer detects the race"
			fi
		fi
	done <"$OUT/client-race/rows.txt"
}

print_client() {
	local server api stack method config n ok failed error starter_line s_failed exposure
	echo
	echo "## Client race: $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/.*version "\(.*\)".*/JDK \1/'), Node.js $(node --version)"
	echo
	echo "Servers keep idle connections ${CLIENT_KEEPALIVE_MS} ms (Node.js closes 1 s later and advertises"
	echo "Keep-Alive: timeout=$((CLIENT_KEEPALIVE_MS / 1000))). Starter: keepalive.client.max-idle $CLIENT_MAX_IDLE, hint-margin $CLIENT_HINT_MARGIN."
	echo "16 slots per client (8 GET, 8 POST), each on its own pool, every client at once in lockstep rounds,"
	echo "each idle gap aimed at the moment the server closes the connection. Failed requests:"
	echo
	echo "| server | API | client stack | method | requests | baseline failed | starter failed | exposed without the starter | first baseline error |"
	echo "|---|---|---|---|--:|--:|--:|---|---|"
	while read -r _ server api stack method config n ok failed error; do
		[[ $config == baseline ]] || continue
		starter_line=$(grep "^ROW $server $api $stack $method starter " "$OUT/client-race/rows.txt") || starter_line=
		s_failed=$(awk '{print $9}' <<<"$starter_line")
		exposure=$(client_exposure "$server" "$api" "$stack" "$method")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$server" "$api" "$stack" "$method" "$n" "$failed" \
			"${s_failed:-?}" "$exposure" "${error//|/ }"
	done <"$OUT/client-race/rows.txt"
	print_client_cost
}

# What the idle bound costs: connections opened by the same Poisson GET traffic (the
# same gaps for both configurations) against a server that keeps idle connections 60 s
# and sends no hint. Reported, not checked: it depends on the traffic, not on a bug.
print_client_cost() {
	local api stack config n conns failed s_line s_n s_conns s_failed
	echo
	echo "### What the idle bound costs"
	echo
	echo "GET requests from one client per API and stack, at random (Poisson) arrivals with a mean gap of"
	echo "${CLIENT_COST_MEAN_GAP_MS} ms ($(awk -v g="$CLIENT_COST_MEAN_GAP_MS" 'BEGIN {printf "%.2g", 1000 / g}') requests/s), the same gaps with and without the starter, against Node.js keeping idle"
	echo "connections 60 s without a hint; max-idle $CLIENT_MAX_IDLE. Connections = distinct client ports the server saw."
	echo
	echo "| API | client stack | requests | connections, baseline | connections, starter | extra connections per 1000 requests |"
	echo "|---|---|--:|--:|--:|--:|"
	[[ -f $OUT/client-race/cost.txt ]] || return 0
	while read -r _ api stack config n conns failed; do
		[[ $config == baseline ]] || continue
		s_line=$(grep "^COST $api $stack starter " "$OUT/client-race/cost.txt") || continue
		read -r _ _ _ _ s_n s_conns s_failed <<<"$s_line"
		printf '| %s | %s | %s | %s | %s | %s |\n' "$api" "$stack" "$n" "$conns" "$s_conns" \
			"$(awk -v b="$conns" -v s="$s_conns" -v n="$n" 'BEGIN {printf "%.0f", (s - b) * 1000 / n}')"
		((failed == 0 && s_failed == 0)) || echo "(failed requests in the cost run: $api $stack baseline $failed, starter $s_failed)"
	done < <(sort "$OUT/client-race/cost.txt")
}
