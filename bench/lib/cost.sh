# The cost for bench/run: startup, keep-alive throughput and the memory held by idle
# connections, with and without the starter. Sourced, not executed. See bench/README.md.

COST_PORT_BASE=29080
STARTUP_RUNS=7         # runs of each startup variant
TP_RUNS=7              # wrk runs with and without the starter
TP_SECONDS=8
IDLE_RUNS=3            # fresh JVMs holding IDLE_CONNECTIONS idle keep-alive connections
IDLE_CONNECTIONS=2000
NO_ENDPOINT_CLASS=dev.keepalive.autoconfigure.endpoint.KeepAliveEndpointAutoConfiguration
NO_STARTER_ARGS="--spring.autoconfigure.exclude=dev.keepalive.autoconfigure.KeepAliveAutoConfiguration,$NO_ENDPOINT_CLASS"

COST_LINES=()

run_cost() {
	local cost_dir=$OUT/cost server jar out p line
	rm -rf "$cost_dir"
	mkdir -p "$cost_dir"
	log "cost: 'without the starter' = the same jar with $NO_STARTER_ARGS"
	for p in $COST_PORT_BASE $((COST_PORT_BASE + 1)) $((COST_PORT_BASE + 2)) $((COST_PORT_BASE + 3)); do
		require_free_port "$p"
	done
	for server in tomcat jetty; do
		jar=$(jar_for "$server")
		log "cost $server: startup ($STARTUP_RUNS runs of each variant, alternating)"
		out=$(bench startup --jar "$jar" --label "$server" --port $COST_PORT_BASE --runs $STARTUP_RUNS --dir "$cost_dir" \
			--variant "without=$NO_STARTER_ARGS" --variant "with=" \
			--variant "with-no-endpoint=--spring.autoconfigure.exclude=$NO_ENDPOINT_CLASS" \
			--variant "without-plus-info=$NO_STARTER_ARGS --management.endpoints.web.exposure.include=health,info") ||
			die "startup measurement failed"
		while IFS= read -r line; do COST_LINES+=("$line"); done <<<"$out"
		log "  $out"
		log "cost $server: throughput (wrk, $TP_RUNS runs each, alternating)"
		out=$(bench throughput --jar "$jar" --label "$server" --port-with $((COST_PORT_BASE + 1)) \
			--port-without $((COST_PORT_BASE + 2)) --runs $TP_RUNS --seconds $TP_SECONDS --warmup-seconds 10 --threads 2 \
			--connections 32 --without-args "$NO_STARTER_ARGS" --dir "$cost_dir") || die "throughput measurement failed"
		COST_LINES+=("$out")
		log "  $out"
		log "cost $server: $IDLE_CONNECTIONS idle keep-alive connections ($IDLE_RUNS runs)"
		out=$(bench idle --jar "$jar" --label "$server" --port $((COST_PORT_BASE + 3)) --runs $IDLE_RUNS --connections $IDLE_CONNECTIONS \
			--dir "$cost_dir") || die "idle connection measurement failed"
		COST_LINES+=("$out")
		log "  $out"
	done
}

print_cost() {
	local line server kind
	echo
	echo "## Cost: $(date -u +%Y-%m-%d), $(nproc) cores, $(tool_versions)"
	echo
	echo "\"with\": the sample app as built (starter active, lb.idle-timeout=60s from application.properties)."
	echo "\"without\": the same jar started with $NO_STARTER_ARGS."
	echo
	echo "Startup: time from launching java -jar to the first 200 on GET /, median of $STARTUP_RUNS runs of each"
	echo "variant, in alternating order. Two more variants show where a difference comes from: \"with, no"
	echo "endpoint\" is the starter without its actuator endpoint (--spring.autoconfigure.exclude=$NO_ENDPOINT_CLASS);"
	echo "\"without, + info\" is the app without the starter exposing a second actuator endpoint (info) instead."
	echo
	echo "| server | without (ms) | with (ms) | ratio with/without (goal <= 1.01) | with, no endpoint (ms) | ratio | without, + info (ms) | ratio |"
	echo "|--------|-------------:|----------:|------:|------:|------:|------:|------:|"
	for server in tomcat jetty; do
		local wo w ne pi
		wo=$(printf '%s\n' "${COST_LINES[@]}" | grep "^STARTUP $server variant=without ") || continue
		w=$(printf '%s\n' "${COST_LINES[@]}" | grep "^STARTUP $server variant=with ")
		ne=$(printf '%s\n' "${COST_LINES[@]}" | grep "^STARTUP $server variant=with-no-endpoint ")
		pi=$(printf '%s\n' "${COST_LINES[@]}" | grep "^STARTUP $server variant=without-plus-info ")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$server" "$(field "$wo" median_ms)" \
			"$(field "$w" median_ms)" "$(field "$w" ratio_to_without)" "$(field "$ne" median_ms)" \
			"$(field "$ne" ratio_to_without)" "$(field "$pi" median_ms)" "$(field "$pi" ratio_to_without)"
	done
	echo
	echo "Throughput: wrk -t2 -c32 -d${TP_SECONDS}s on GET / (keep-alive), after a 10 s warm-up of each; both JVMs up"
	echo "side by side, runs alternating, median of $TP_RUNS runs each."
	echo
	echo "| server | with (req/s) | without (req/s) | ratio (goal >= 0.99) | all runs with | all runs without |"
	echo "|--------|-------------:|----------------:|------:|------|------|"
	for line in "${COST_LINES[@]}"; do
		[[ $line == THROUGHPUT* ]] || continue
		printf '| %s | %s | %s | %s | %s | %s |\n' "$(awk '{print $2}' <<<"$line")" "$(field "$line" with_median_rps)" \
			"$(field "$line" without_median_rps)" "$(field "$line" ratio)" "$(field "$line" with_all)" \
			"$(field "$line" without_all)"
	done
	echo
	echo "Idle connections: $IDLE_CONNECTIONS keep-alive connections that each served one GET / and then stay idle,"
	echo "held by the app with the starter (keep-alive = 60 s + 5 s margin). Difference before/after,"
	echo "per connection, median of $IDLE_RUNS runs on fresh JVMs. Live heap = after a full GC (jcmd GC.class_histogram)."
	echo
	echo "| server | keep-alive (ms) | live heap per connection (bytes) | $IDLE_CONNECTIONS connections (MiB of heap) | kernel TCP buffers per idle connection (bytes) | threads added |"
	echo "|--------|------:|------:|------:|------:|------:|"
	for line in "${COST_LINES[@]}"; do
		[[ $line == IDLE* ]] || continue
		printf '| %s | %s | %s | %s | %s | %s |\n' "$(awk '{print $2}' <<<"$line")" "$(field "$line" keep_alive_ms)" \
			"$(field "$line" heap_bytes_per_conn)" \
			"$(awk -v n="$IDLE_CONNECTIONS" -v b="$(field "$line" heap_bytes_per_conn)" 'BEGIN {printf "%.1f", b * n / 1048576}')" \
			"$(field "$line" kernel_buffer_bytes_per_conn)" "$(field "$line" threads_delta)"
	done
	echo
	echo "The process RSS moved by $(for line in "${COST_LINES[@]}"; do [[ $line == IDLE* ]] && printf '%s: %s; ' "$(awk '{print $2}' <<<"$line")" "$(field "$line" rss_all)"; done)"
	echo "bytes per connection over the runs: too noisy to quote (a full GC resizes the heap). Each socket's"
	echo "kernel object is $(field "$(printf '%s\n' "${COST_LINES[@]}" | grep '^IDLE' | head -1)" tcp_socket_object_bytes) bytes (the TCP slab object size in /proc/slabinfo), with no buffers while idle."
	echo
	echo "Raw measurements:"
	for line in "${COST_LINES[@]}"; do
		echo "  $line"
	done
}

