# The cost for bench/run: startup and keep-alive throughput with and without the starter, in
# interleaved pairs; the time the starter's own startup steps take, from Spring's
# ApplicationStartup; and the memory held by idle connections. Sourced, not executed. See
# bench/README.md.

COST_PORT_BASE=29080
COST_PAIRS=${COST_PAIRS:-15}   # interleaved pairs (with, without) for startup and for throughput
TP_SECONDS=5                   # one wrk run
STEPS_RUNS=${STEPS_RUNS:-11}   # fresh JVMs recording ApplicationStartup steps
IDLE_RUNS=${IDLE_RUNS:-3}      # fresh JVMs holding IDLE_CONNECTIONS idle keep-alive connections, per warm-up
IDLE_CONNECTIONS=2000
# Dev knobs: COST_PAIRS, STEPS_RUNS, IDLE_RUNS as above; COST_SERVERS (startup, steps),
# COST_TP_SERVERS (throughput), COST_IDLE_SERVERS (idle) select servers (empty: skip that part).
read -r -a COST_SERVER_LIST <<<"${COST_SERVERS:-tomcat jetty netty}"
read -r -a COST_TP_SERVER_LIST <<<"${COST_TP_SERVERS-tomcat jetty}"
read -r -a COST_IDLE_SERVER_LIST <<<"${COST_IDLE_SERVERS-tomcat jetty}"
STARTER_AUTOCONFIGS=dev.keepalive.autoconfigure.KeepAliveAutoConfiguration,dev.keepalive.autoconfigure.drain.KeepAliveDrainAutoConfiguration,dev.keepalive.autoconfigure.endpoint.KeepAliveEndpointAutoConfiguration,dev.keepalive.autoconfigure.metrics.KeepAliveMetricsAutoConfiguration,dev.keepalive.autoconfigure.client.KeepAliveClientAutoConfiguration,dev.keepalive.autoconfigure.metrics.KeepAliveClientMetricsAutoConfiguration
NO_STARTER_ARGS="--spring.autoconfigure.exclude=$STARTER_AUTOCONFIGS"

COST_LINES=()

# steps_classpath SERVER: extracts the server's jar and compiles bench/StartupSteps.java
# against its libraries; prints the class path that runs it.
steps_classpath() {
	local server=$1
	local dir=$OUT/cost/steps-$server
	rm -rf "$dir"
	mkdir -p "$dir/app" "$dir/hook"
	(cd "$dir/app" && jar xf "$(jar_for "$server")") || die "could not extract $(jar_for "$server")"
	javac -d "$dir/hook" -cp "$dir/app/BOOT-INF/classes:$dir/app/BOOT-INF/lib/*" "$BENCH_DIR/StartupSteps.java" \
		>"$dir/javac.log" 2>&1 || { cat "$dir/javac.log" >&2; die "javac StartupSteps.java failed"; }
	echo "$dir/app/BOOT-INF/classes:$dir/app/BOOT-INF/lib/*:$dir/hook"
}

run_cost() {
	local cost_dir=$OUT/cost server jar out p line warmup
	rm -rf "$cost_dir"
	mkdir -p "$cost_dir"
	log "cost: 'without the starter' = the same jar with $NO_STARTER_ARGS"
	for p in $COST_PORT_BASE $((COST_PORT_BASE + 1)) $((COST_PORT_BASE + 2)) $((COST_PORT_BASE + 3)); do
		require_free_port "$p"
	done
	for server in "${COST_SERVER_LIST[@]}"; do
		jar=$(jar_for "$server")
		log "cost $server: startup, $COST_PAIRS interleaved pairs"
		out=$(bench startup --jar "$jar" --label "$server" --port "$COST_PORT_BASE" --pairs "$COST_PAIRS" --dir "$cost_dir" \
			--with-args "" --without-args "$NO_STARTER_ARGS") || die "startup measurement failed"
		COST_LINES+=("$out")
		log "  $out"
		log "cost $server: the starter's startup steps ($STEPS_RUNS runs)"
		out=$(bench steps --classpath "$(steps_classpath "$server")" --label "$server" --runs "$STEPS_RUNS" --dir "$cost_dir") ||
			die "startup steps measurement failed"
		COST_LINES+=("$out")
		log "  $out"
	done
	for server in "${COST_TP_SERVER_LIST[@]}"; do
		log "cost $server: throughput (wrk, $COST_PAIRS interleaved pairs)"
		out=$(bench throughput --jar "$(jar_for "$server")" --label "$server" --port-with $((COST_PORT_BASE + 1)) \
			--port-without $((COST_PORT_BASE + 2)) --pairs "$COST_PAIRS" --seconds "$TP_SECONDS" --warmup-seconds 10 --threads 2 \
			--connections 32 --without-args "$NO_STARTER_ARGS" --dir "$cost_dir") || die "throughput measurement failed"
		COST_LINES+=("$out")
		log "  $out"
	done
	for server in "${COST_IDLE_SERVER_LIST[@]}"; do
		for warmup in one separate; do
			log "cost $server: $IDLE_CONNECTIONS idle keep-alive connections ($IDLE_RUNS runs, warm-up: $warmup)"
			out=$(bench idle --jar "$(jar_for "$server")" --label "$server" --port $((COST_PORT_BASE + 3)) --runs "$IDLE_RUNS" \
				--connections "$IDLE_CONNECTIONS" --warmup "$warmup" --dir "$cost_dir") || die "idle connection measurement failed"
			COST_LINES+=("$out")
			log "  $out"
		done
	done
}

cost_line() { # cost_line KIND SERVER [WARMUP]: the raw line of that measurement
	printf '%s\n' "${COST_LINES[@]}" | grep "^$1 $2 ${3:+warmup=$3 }" | head -1
}

# pair_row KIND SERVER WITH WITHOUT: the table row of interleaved pairs of that measurement, with
# the medians named WITH and WITHOUT; nothing if it was not measured
pair_row() {
	local line
	line=$(cost_line "$1" "$2") || return 0
	printf '| %s | %s | %s | %s | %s | %s-%s |\n' "$2" "$(field "$line" pairs)" "$(field "$line" "$3")" \
		"$(field "$line" "$4")" "$(field "$line" ratio_median)" "$(field "$line" ratio_min)" "$(field "$line" ratio_max)"
}

print_cost() {
	local line server warmup
	echo
	echo "## Cost: $(date -u +%Y-%m-%d), $(nproc) cores, $(tool_versions)"
	echo
	echo "\"with\": the sample app as built (starter active, lb.idle-timeout=60s from application.properties)."
	echo "\"without\": the same jar started with --spring.autoconfigure.exclude= the starter's six auto-configurations"
	echo "(KeepAlive, KeepAliveDrain, KeepAliveEndpoint, KeepAliveMetrics, KeepAliveClient, KeepAliveClientMetrics);"
	echo "its environment post-processors still run."
	echo
	echo "Startup: time from launching java -jar to the first 200 on GET /, in $COST_PAIRS interleaved pairs (with then"
	echo "without, then without then with, ...). Ratio = with / without within a pair; median of the pairs, min-max."
	echo
	echo "| server | pairs | with, median (ms) | without, median (ms) | ratio, median of pairs | min-max |"
	echo "|--------|------:|------:|------:|------:|------|"
	for server in "${COST_SERVER_LIST[@]}"; do
		pair_row STARTUP "$server" with_median_ms without_median_ms
	done
	echo
	echo "In-process: the starter's own steps during one startup, from Spring's ApplicationStartup"
	echo "(BufferingApplicationStartup, set by bench/StartupSteps.java), median of $STEPS_RUNS fresh JVMs. Environment"
	echo "post-processor: its postProcessEnvironment call. Beans: self time of the spring.beans.instantiate and"
	echo "spring.beans.smart-initialize steps of the starter's beans (minus the nested steps of other beans)."
	echo "Conditions: the starter's recorded conditions evaluated once more after startup (Spring has no step for them)."
	echo
	echo "| server | env. post-processor (ms) | beans (ms) | beans | conditions (ms) | conditions | total (ms), median | min-max | context refresh (ms) |"
	echo "|--------|------:|------:|------:|------:|------:|------:|------|------:|"
	for server in "${COST_SERVER_LIST[@]}"; do
		line=$(cost_line STEPS "$server") || continue
		printf '| %s | %s | %s | %s | %s | %s | %s | %s-%s | %s |\n' "$server" "$(us_ms "$(field "$line" epp_us)")" \
			"$(us_ms "$(field "$line" beans_us)")" "$(field "$line" n_beans)" "$(us_ms "$(field "$line" conditions_us)")" \
			"$(field "$line" n_conditions)" "$(us_ms "$(field "$line" total_us)")" "$(us_ms "$(field "$line" total_us_min)")" \
			"$(us_ms "$(field "$line" total_us_max)")" "$(field "$line" refresh_ms)"
	done
	if ((${#COST_TP_SERVER_LIST[@]})); then
		echo
		echo "Throughput: wrk -t2 -c32 -d${TP_SECONDS}s on GET / (keep-alive); both JVMs up side by side, each warmed up for"
		echo "10 s, then $COST_PAIRS interleaved pairs of runs. Ratio = with / without within a pair; median, min-max."
		echo
		echo "| server | pairs | with, median (req/s) | without, median (req/s) | ratio, median of pairs | min-max |"
		echo "|--------|------:|------:|------:|------:|------|"
		for server in "${COST_TP_SERVER_LIST[@]}"; do
			pair_row THROUGHPUT "$server" with_median_rps without_median_rps
		done
	fi
	if ((${#COST_IDLE_SERVER_LIST[@]})); then
		echo
		echo "Idle connections: $IDLE_CONNECTIONS keep-alive connections that each served one GET / and then stay idle,"
		echo "held by the app with the starter (keep-alive = 60 s + 5 s margin). Difference before/after,"
		echo "per connection, median of $IDLE_RUNS runs on fresh JVMs. Live heap = after a full GC (jcmd GC.class_histogram)."
		echo "Warm-up before the first measurement: \"one\" = 90 requests on one connection; \"separate\" = 200 requests"
		echo "on 200 connections, closed again."
		echo
		echo "| server | warm-up | keep-alive (ms) | live heap per connection (bytes) | $IDLE_CONNECTIONS connections (MiB of heap) | kernel TCP buffers per idle connection (bytes) | threads added |"
		echo "|--------|------|------:|------:|------:|------:|------:|"
		for server in "${COST_IDLE_SERVER_LIST[@]}"; do
			for warmup in one separate; do
				line=$(cost_line IDLE "$server" "$warmup") || continue
				printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$server" "$warmup" "$(field "$line" keep_alive_ms)" \
					"$(field "$line" heap_bytes_per_conn)" \
					"$(awk -v n="$IDLE_CONNECTIONS" -v b="$(field "$line" heap_bytes_per_conn)" 'BEGIN {printf "%.1f", b * n / 1048576}')" \
					"$(field "$line" kernel_buffer_bytes_per_conn)" "$(field "$line" threads_delta)"
			done
		done
	fi
	echo
	echo "Raw measurements:"
	for line in "${COST_LINES[@]}"; do
		echo "  $line"
	done
}

us_ms() { # us_ms MICROSECONDS: milliseconds with one decimal
	awk -v us="$1" 'BEGIN {printf "%.1f", us / 1000}'
}
