# The direct-client race for bench/run: Node's http.Agent and fetch (undici) talking straight to the
# sample app on Tomcat, Jetty and Reactor Netty, with no load balancer, as behind a pass-through
# (layer 4) load balancer. The server keeps idle connections 3 s; each request waits an idle gap aimed
# at the moment the server closes. baseline: lb.keep-alive-hint=false; hint: the starter's default.
# Sourced, not executed. See bench/README.md.

DIRECT_KEEPALIVE=3s       # the server's keep-alive: short, and above undici's 2 s hint margin
DIRECT_KEEPALIVE_MS=3000
DIRECT_SLOTS=32           # connections per client and method: 4 x 32 at once
DIRECT_WINDOW_EARLY_MS=15 # aimed gaps cover [close - 15 ms, close + 5 ms] ...
DIRECT_WINDOW_LATE_MS=5
DIRECT_LEARN_SPREAD_MS=0.75 # ... or, once requests fail, a failed gap +- 0.75 ms in 80 % of them
DIRECT_PORT_BASE=19900

DIRECT_ROWS=()
declare -A DIRECT_CLOSE=()

# Node.js 20 or later (fetch and undici built in); ensure_tools node installs it when missing.
ensure_node() {
	local major
	major=$(node -p 'process.versions.node.split(".")[0]')
	((major >= 20)) || die "client and direct need Node.js 20 or later (fetch and undici built in), found $(node --version); Debian 12's nodejs package is 18: install Node.js 20 (NodeSource, or a newer distribution) first"
}

# verify_direct_endpoint SERVER CONFIG PORT: the running server keeps idle connections 3 s, no load
# balancer is declared, and the hint is on or off as the configuration says
verify_direct_endpoint() {
	local server=$1 config=$2 port=$3 body status keepalive hint
	body=$(curl -fsS -m 5 "http://127.0.0.1:$port/actuator/keepalive") || return 1
	echo "$body" >"$OUT/direct/$server-$config-keepalive.json"
	status=$(json_field "$body" status)
	keepalive=$(json_field "$body" keepAliveTimeoutMillis)
	hint=$(sed -n 's/.*"keepAliveHint":\(true\|false\).*/\1/p' <<<"$body")
	log "  /actuator/keepalive on $server $config: status=$status keepAliveTimeoutMillis=$keepalive keepAliveHint=$hint"
	[[ $status == UNCONFIGURED && $keepalive == "$DIRECT_KEEPALIVE_MS" ]] || return 1
	[[ $hint == "$([[ $config == hint ]] && echo true || echo false)" ]]
}

run_direct() {
	local dir=$OUT/direct
	rm -rf "$dir"
	mkdir -p "$dir"
	log "direct: $(node --version), server keep-alive $DIRECT_KEEPALIVE, $DIRECT_SLOTS connections per client and method, $DIRECT_REQUESTS aimed requests per row"
	local server config port idx=0 args=() out probe aim result line client method n ok failed reused hinted hint errors
	for server in tomcat jetty netty; do
		for config in baseline hint; do
			port=$((DIRECT_PORT_BASE + idx))
			idx=$((idx + 1))
			# The sample app declares lb.idle-timeout=60s; a direct client has no load balancer.
			args=("--$(keepalive_property "$server")=$DIRECT_KEEPALIVE" --lb.idle-timeout=)
			[[ $config == baseline ]] && args+=(--lb.keep-alive-hint=false)
			log "$server $config: starting the sample app on port $port with ${args[*]}"
			start_app "$server" "$port" "$dir/$server-$config-app.log" "${args[@]}"
			local app_pid=$APP_PID
			await_app "$port" "$app_pid" "$dir/$server-$config-app.log"
			if ! verify_direct_endpoint "$server" "$config" "$port"; then
				check FAIL "direct $server $config: /actuator/keepalive does not show the expected configuration (see $dir/$server-$config-keepalive.json)"
				stop_pid "$app_pid"
				continue
			fi
			probe=$(node "$BENCH_DIR/direct-client.js" probe --port "$port" --samples "$DIRECT_SLOTS") ||
				die "direct probe on $server $config failed: $probe"
			log "  server close: $probe"
			aim=$(sed -n 's/.* median=\([0-9.]*\).*/\1/p' <<<"$probe")
			DIRECT_CLOSE[$server-$config]=$aim
			local aims=()
			[[ $config == hint ]] && aims=(--aim-file "$dir/$server-baseline.hits")
			out=$(node "$BENCH_DIR/direct-client.js" race --port "$port" --requests "$DIRECT_REQUESTS" \
				--slots "$DIRECT_SLOTS" --aim-ms "$aim" "${aims[@]}" --window-early-ms $DIRECT_WINDOW_EARLY_MS \
				--window-late-ms $DIRECT_WINDOW_LATE_MS --learn-spread-ms $DIRECT_LEARN_SPREAD_MS --learn-share 0.8 \
				--max-seconds 600 --hits-out "$dir/$server-$config.hits" --log "$dir/$server-$config.csv") ||
				die "direct race on $server $config failed: $out"
			stop_pid "$app_pid"
			echo "$out" >"$dir/$server-$config.result"
			while IFS= read -r line; do
				[[ $line == RESULT* ]] || continue
				log "  $line"
				client=$(field "$line" client)
				method=$(field "$line" method)
				n=$(field "$line" requests)
				ok=$(field "$line" ok)
				failed=$(field "$line" failed)
				reused=$(field "$line" reused)
				hinted=$(field "$line" hinted)
				hint=$(field "$line" hint)
				errors=$(field "$line" errors)
				DIRECT_ROWS+=("$server|$client|$method|$config|$n|$ok|$failed|$errors|$reused|$hinted|$hint")
				direct_check "$server" "$client" "$method" "$config" "$n" "$failed" "$hinted" "$hint"
			done <<<"$out"
		done
	done
}

# direct_check SERVER CLIENT METHOD CONFIG REQUESTS FAILED HINTED HINT
direct_check() {
	local server=$1 client=$2 method=$3 config=$4 n=$5 failed=$6 hinted=$7 hint=$8
	local row="direct $server $client $method $config"
	if ((n < DIRECT_REQUESTS)); then
		check FAIL "$row: only $n of $DIRECT_REQUESTS aimed requests were sent in time"
	elif [[ $config == hint ]]; then
		if ((failed == 0 && hinted == n)) && [[ $hint == "timeout=$((DIRECT_KEEPALIVE_MS / 1000))" ]]; then
			check PASS "$row: $n requests, every response hinted $hint, no failed request"
		else
			check FAIL "$row: $failed of $n requests failed; $hinted responses hinted ($hint)"
		fi
	elif ((hinted > 0)); then
		# Tomcat answers a request that says Connection: keep-alive, as http.Agent and fetch
		# do, with its own hint: that row is protected without the starter.
		if ((failed == 0)); then
			check PASS "$row: the server's own hint ($hint) protects this client without the starter, no failed request"
		else
			check FAIL "$row: $failed of $n requests failed although the server sent its own hint ($hint)"
		fi
	elif ((failed > 0)); then
		check PASS "$row: the race is reproduced ($failed failed in $n requests)"
	else
		check FAIL "$row: no failed request in $n, the harness no longer detects the race"
	fi
}

print_direct() {
	local row server client method config n ok failed errors reused hinted hint
	echo
	echo "## Direct clients: $(date -u +%Y-%m-%d), $(nproc) cores, Node $(node --version), undici $(node -p process.versions.undici)"
	echo
	echo "No load balancer: Node's http.Agent (keepAlive: true, timeout: 5000, as Node's global agent) and fetch"
	echo "(undici, an Agent per connection with its defaults) straight to the sample app, whose server"
	echo "keeps idle connections $DIRECT_KEEPALIVE (no lb.idle-timeout). baseline: --lb.keep-alive-hint=false; hint: the"
	echo "starter's default. $DIRECT_SLOTS connections per client and method, all four at once. Each request waits an"
	echo "idle gap aimed at the server's close measured on raw sockets, spread over [-${DIRECT_WINDOW_EARLY_MS}, +${DIRECT_WINDOW_LATE_MS}] ms around it;"
	echo "once requests fail, 80 % aim within +-${DIRECT_LEARN_SPREAD_MS} ms of a failed request's gap. Hint rows also aim at the gaps"
	echo "that failed in the baseline."
	echo
	echo "| server | client | method | configuration | requests | ok | failed | errors | reused | hinted | hint |"
	echo "|--------|--------|--------|---------------|---------:|---:|-------:|--------|-------:|-------:|------|"
	for row in "${DIRECT_ROWS[@]}"; do
		IFS='|' read -r server client method config n ok failed errors reused hinted hint <<<"$row"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$server" "$client" "$method" "$config" "$n" "$ok" "$failed" "$errors" "$reused" "$hinted" "$hint"
	done
	echo
	echo "Server close measured on raw sockets (median ms after the response):$(
		for k in "${!DIRECT_CLOSE[@]}"; do printf ' %s %s;' "$k" "${DIRECT_CLOSE[$k]}"; done
	)"
}
