# The steady-state race for bench/run: nginx, HAProxy, Apache httpd and Caddy in front of the
# sample app on Tomcat, Jetty and Reactor Netty, the server's keep-alive below the load
# balancer's idle timeout (baseline) or raised by the starter. Sourced, not executed. See
# bench/README.md.

LB_IDLE_MS=2000        # the LB's idle timeout (nginx keepalive_timeout, HAProxy 3 x pool-purge-delay, Apache ttl, Caddy keepalive)
BASELINE_KEEPALIVE=1s  # the server's keep-alive below the LB's, as Spring Boot's defaults are below a real LB's
MARGIN=1s              # lb.keep-alive-margin and lb.header-timeout-margin, scaled down from 5s
SLOTS=32               # client slots, each with its own LB pool (one upstream per slot)
WINDOW_EARLY_MS=15     # each round's requests cover [aim - 15 ms, aim + 5 ms] ...
WINDOW_LATE_MS=5
LEARN_SPREAD_MS=0.75   # ... or, once 502s are seen, [502 gap - 0.75 ms, + 0.75 ms] in 80 % of the rounds
BACKEND_PORT_BASE=19080
NGINX_PORT_BASE=19200
HAPROXY_PORT_BASE=19300
APACHE_PORT_BASE=19700
CADDY_PORT_BASE=19800
LBPROBE_BACKEND_PORT=19099
LBPROBE_GAPS_MS="1200,2500,1200,2500" # kept after 1.2 s (> the baseline server's 1 s), gone after 2.5 s (< 3 s)
RACE_METHOD=POST       # no LB replays a POST; Go's Transport (Caddy) replays a GET on a dead pooled connection
# Dev knobs: RACE_LBS and RACE_SERVERS select a subset, e.g. RACE_LBS="apache caddy" RACE_SERVERS=netty.
read -r -a RACE_LB_LIST <<<"${RACE_LBS:-nginx haproxy apache caddy}"
read -r -a RACE_SERVER_LIST <<<"${RACE_SERVERS:-tomcat jetty netty}"

lb_port_base() {
	case $1 in
	nginx) echo $NGINX_PORT_BASE ;;
	haproxy) echo $HAPROXY_PORT_BASE ;;
	apache) echo $APACHE_PORT_BASE ;;
	caddy) echo $CADDY_PORT_BASE ;;
	esac
}

RACE_ROWS=()
declare -A LB_IDLE_MEASURED=()
declare -A SERVER_CLOSE=()

# Verifies the running server's effective timeouts through GET /actuator/keepalive.
# verify_endpoint SERVER CONFIG PORT; prints "keepAliveTimeoutMillis" or fails
verify_endpoint() {
	local server=$1 config=$2 port=$3 body status mode keepalive
	body=$(curl -fsS -m 5 "http://127.0.0.1:$port/actuator/keepalive") || return 1
	echo "$body" >"$OUT/race/$server-$config-keepalive.json"
	status=$(json_field "$body" status)
	mode=$(json_field "$body" mode)
	keepalive=$(json_field "$body" keepAliveTimeoutMillis)
	log "  /actuator/keepalive on $server $config: status=$status mode=$mode keepAliveTimeoutMillis=$keepalive headerTimeoutMillis=$(json_field "$body" headerTimeoutMillis)"
	case $config in
	baseline) [[ $status == INVERTED && $mode == report && $keepalive -lt $LB_IDLE_MS ]] || return 1 ;;
	starter) [[ $status == OK && $mode == adjust && $keepalive -gt $LB_IDLE_MS ]] || return 1 ;;
	esac
	echo "$keepalive"
}

run_race() {
	local race_dir=$OUT/race
	rm -rf "$race_dir"
	mkdir -p "$race_dir"
	log "race: LB idle ${LB_IDLE_MS}ms, $SLOTS client slots (one LB pool each), $REQUESTS aimed requests per row"

	# 1. The load balancers' own idle timeouts, measured against a backend that never closes:
	# each must still reuse an idle connection after 1.2 s (longer than the baseline server
	# keeps it) and no longer after 2.5 s (shorter than the starter's 3 s), and any FIN it
	# sends must come between 1 s and 3 s; otherwise the rows below would test the LB, not
	# the starter.
	local kind lb_dir port_base ports out
	local n_short n_long g
	n_short=0
	n_long=0
	for g in ${LBPROBE_GAPS_MS//,/ }; do
		if ((g < LB_IDLE_MS)); then n_short=$((n_short + 1)); else n_long=$((n_long + 1)); fi
	done
	for kind in "${RACE_LB_LIST[@]}"; do
		port_base=$(lb_port_base "$kind")
		lb_dir=$race_dir/lb-probe-$kind
		mkdir -p "$lb_dir"
		require_free_port $LBPROBE_BACKEND_PORT
		"write_${kind}_conf" "$lb_dir" $LBPROBE_BACKEND_PORT "$port_base" "$SLOTS" "$LB_IDLE_MS"
		start_lb "$kind" "$lb_dir" "$port_base" "$SLOTS"
		ports=$(seq -s, "$port_base" $((port_base + SLOTS - 1)))
		out=$(bench lb-probe --ports "$ports" --backend-port $LBPROBE_BACKEND_PORT --gaps-ms "$LBPROBE_GAPS_MS" \
			--max-seconds 60) || die "lb-probe through $kind failed"
		stop_pid "$LB_PID"
		echo "$out" >"$lb_dir/result.txt"
		log "  $kind: $out"
		local reused_n new_n closed_n closed_min closed_max conns
		reused_n=$(field " $out" reused_n)
		new_n=$(field " $out" new_n)
		closed_n=$(field " $out" closed_n)
		closed_min=$(field " $out" closed_min)
		closed_max=$(field " $out" closed_max)
		conns=$(field " $out" backend_connections)
		LB_IDLE_MEASURED[$kind]="reused $reused_n of $((SLOTS * n_short)) after $(field " $out" reused_min)-$(field " $out" reused_max) ms, new connection $new_n of $((SLOTS * n_long)) after $(field " $out" new_min)-$(field " $out" new_max) ms"
		if ((closed_n > 0)); then
			LB_IDLE_MEASURED[$kind]+=", FIN after $closed_min-$closed_max ms (median $(field " $out" closed_median))"
		fi
		if [[ $reused_n != $((SLOTS * n_short)) || $new_n != $((SLOTS * n_long)) || $conns -lt $SLOTS ]] ||
			((closed_n > 0 && (${closed_min%.*} < LB_IDLE_MS / 2 || ${closed_max%.*} >= LB_IDLE_MS + 1000))); then
			die "$kind does not keep idle backend connections for about ${LB_IDLE_MS} ms, one pool per slot: $out"
		fi
	done

	# 2. Per server: baseline, then starter; per configuration: verify, probe, race through each LB.
	local server config port keepalive probe args=() aims=() result n ok s502 other errors failed idx=0
	for server in "${RACE_SERVER_LIST[@]}"; do
		for config in baseline starter; do
			port=$((BACKEND_PORT_BASE + idx))
			idx=$((idx + 1))
			args=("--$(keepalive_property "$server")=$BASELINE_KEEPALIVE" --lb.idle-timeout=$((LB_IDLE_MS))ms)
			if [[ $config == baseline ]]; then
				args+=(--lb.mode=report)
			else
				args+=("--lb.keep-alive-margin=$MARGIN" "--lb.header-timeout-margin=$MARGIN")
			fi
			log "$server $config: starting the sample app on port $port with ${args[*]}"
			start_app "$server" "$port" "$race_dir/$server-$config-app.log" "${args[@]}"
			local app_pid=$APP_PID
			await_app "$port" "$app_pid" "$race_dir/$server-$config-app.log"
			if ! keepalive=$(verify_endpoint "$server" "$config" "$port"); then
				for kind in "${RACE_LB_LIST[@]}"; do
					RACE_ROWS+=("$kind|$server|$config|?|-|-|-|-|-|-")
					check FAIL "$kind $server $config: /actuator/keepalive does not show the expected configuration (see $race_dir/$server-$config-keepalive.json)"
				done
				stop_pid "$app_pid"
				continue
			fi
			probe=$race_dir/$server-$config.close
			out=$(bench close-probe --port "$port" --slots "$SLOTS" --samples $((SLOTS * 4)) \
				--max-wait-ms $((LB_IDLE_MS * 4)) --max-seconds 120 --out "$probe") ||
				die "close-probe on $server $config failed: $out"
			log "  $out"
			SERVER_CLOSE[$server-$config]=$(sed -n 's/.*median=\([0-9.]*\).*/\1/p' <<<"$out" | head -1)
			for kind in "${RACE_LB_LIST[@]}"; do
				if [[ $config == baseline ]]; then
					aims=(--aim "server-close=@$probe")
				else
					# This server's close, the LB's idle timeout, the baseline server's close, and
					# the very gaps that produced 502s against the baseline through this LB.
					aims=(--aim "server-close=@$probe" --aim "lb-idle=$LB_IDLE_MS"
						--aim "baseline-close=@$race_dir/$server-baseline.close")
					if grep -q '^[0-9]' "$race_dir/$kind-$server-baseline/502-gaps.txt" 2>/dev/null; then
						aims+=(--aim "baseline-502-gaps=@$race_dir/$kind-$server-baseline/502-gaps.txt")
					fi
				fi
				port_base=$(lb_port_base "$kind")
				lb_dir=$race_dir/$kind-$server-$config
				"write_${kind}_conf" "$lb_dir" "$port" "$port_base" "$SLOTS" "$LB_IDLE_MS"
				start_lb "$kind" "$lb_dir" "$port_base" "$SLOTS"
				ports=$(seq -s, "$port_base" $((port_base + SLOTS - 1)))
				out=$(bench race --ports "$ports" --requests "$REQUESTS" --method $RACE_METHOD "${aims[@]}" --learn true \
					--window-early-ms $WINDOW_EARLY_MS --window-late-ms $WINDOW_LATE_MS --learn-spread-ms $LEARN_SPREAD_MS \
					--learn-share 0.8 --max-seconds 900 --log "$lb_dir/requests.csv" --hits-out "$lb_dir/502-gaps.txt") ||
					die "race through $kind failed: $out"
				stop_pid "$LB_PID"
				echo "$out" >"$lb_dir/result.txt"
				result=$(grep '^RESULT' <<<"$out")
				log "  $kind: $result"
				grep '^aim' <<<"$out" | sed 's/^/    /' >&2
				n=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$result")
				ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$result")
				s502=$(sed -n 's/.* s502=\([0-9]*\).*/\1/p' <<<"$result")
				other=$(sed -n 's/.* other=\([0-9]*\).*/\1/p' <<<"$result")
				errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$result")
				failed=$((n - ok))
				if [[ $config == starter ]]; then
					if ((failed == 0 && n == REQUESTS)); then
						check PASS "$kind $server starter: $n requests, no failed request"
					elif ((failed == 0)); then
						check FAIL "$kind $server starter: only $n of $REQUESTS requests were sent in time"
					else
						check FAIL "$kind $server starter: $failed of $n requests failed ($s502 x 502, $other other, $errors connection errors)"
					fi
				else
					if ((s502 > 0)); then
						check PASS "$kind $server baseline: the race is reproduced ($s502 x 502 in $n requests)"
					else
						check FAIL "$kind $server baseline: no 502 in $n requests, the harness no longer detects the race"
					fi
				fi
				RACE_ROWS+=("$kind|$server|$config|$keepalive|$n|$ok|$s502|$other|$errors|$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$result")")
			done
			stop_pid "$app_pid"
		done
	done
}

print_race() {
	local row kind server config keepalive n ok s502 other errors seconds
	echo
	echo "## Race: $(date -u +%Y-%m-%d), $(nproc) cores, $(tool_versions)"
	echo
	echo "LB idle timeout ${LB_IDLE_MS} ms: nginx keepalive_timeout ${LB_IDLE_MS}ms; HAProxy pool-purge-delay $((LB_IDLE_MS / 3))ms;"
	echo "Apache httpd ProxyPass ttl=$(((LB_IDLE_MS + 500) / 1000)) (checked when a connection is taken from the pool); Caddy"
	echo "transport keepalive ${LB_IDLE_MS}ms (Go's IdleConnTimeout). Measured with idle gaps of $LBPROBE_GAPS_MS ms against a backend"
	echo "that never closes:"
	local k
	for k in "${RACE_LB_LIST[@]}"; do
		echo "  $k: ${LB_IDLE_MEASURED[$k]:-?}"
	done
	echo "Requests: $RACE_METHOD / with a short text body on a fresh client connection each; every LB keeps its default retries."
	echo "baseline: --lb.mode=report, server keep-alive $BASELINE_KEEPALIVE (below the LB's)."
	echo "starter:  the same server settings plus --lb.idle-timeout=${LB_IDLE_MS}ms (mode adjust), with"
	echo "          --lb.keep-alive-margin=$MARGIN --lb.header-timeout-margin=$MARGIN (scaled down from 5s)."
	echo "$SLOTS client slots, one LB pool each, in lockstep rounds. Each round waits an idle gap aimed at the"
	echo "server's close measured on raw sockets, its requests spread over [-${WINDOW_EARLY_MS}, +${WINDOW_LATE_MS}] ms around it;"
	echo "once 502s are seen, 80 % of the rounds aim within +-${LEARN_SPREAD_MS} ms of a recent 502's gap. Starter rows"
	echo "aim at their server's close, at the LB idle timeout, at the baseline's close and at the gaps that"
	echo "produced 502s against the baseline."
	echo
	echo "| load balancer | server | configuration | server keep-alive (ms) | requests | ok | 502 | other | errors | seconds |"
	echo "|---------------|--------|---------------|-----------------------:|---------:|---:|----:|------:|-------:|--------:|"
	for row in "${RACE_ROWS[@]}"; do
		IFS='|' read -r kind server config keepalive n ok s502 other errors seconds <<<"$row"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$kind" "$server" "$config" "$keepalive" "$n" "$ok" "$s502" "$other" "$errors" "$seconds"
	done
	echo
	echo "Server close measured on raw sockets (median ms after the response):$(
		for k in "${!SERVER_CLOSE[@]}"; do printf ' %s %s;' "$k" "${SERVER_CLOSE[$k]}"; done
	)"
}

