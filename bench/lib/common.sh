# Shared helpers for bench/run: logging, process tracking, tools, build.
# Sourced, not executed. Everything generated goes under $OUT (bench/out).

BENCH_DIR=${BENCH_DIR:?}
REPO_DIR=${REPO_DIR:?}
OUT=${OUT:-$BENCH_DIR/out}

# PIDs of every process this run started. cleanup() stops exactly these.
STARTED_PIDS=()

log() {
	printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
	log "ERROR: $*"
	exit 2
}

track_pid() {
	STARTED_PIDS+=("$1")
}

# Stop one process we started: TERM, wait up to 10 s, then KILL.
stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	local kept=() p
	for p in "${STARTED_PIDS[@]}"; do
		[[ $p == "$pid" ]] || kept+=("$p")
	done
	STARTED_PIDS=("${kept[@]}")
}

cleanup() {
	local pid
	for pid in "${STARTED_PIDS[@]}"; do
		stop_pid "$pid"
	done
}

# Fails if something already listens on 127.0.0.1:$1 (another run, another program).
require_free_port() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		die "port $1 on 127.0.0.1 is already in use; stop whatever listens there and retry"
	fi
}

# Waits until 127.0.0.1:$1 accepts connections (at most $2 seconds), or the process $3 dies.
wait_for_port() {
	local port=$1 seconds=$2 pid=${3:-} i
	for ((i = 0; i < seconds * 20; i++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.05
	done
	return 1
}

# Installs nginx, haproxy, apache2, caddy, wrk and node (nodejs) from Debian's packages when a
# binary is missing.
ensure_tools() {
	local missing=() tool
	for tool in "$@"; do
		case $tool in
		nginx) [[ -x /usr/sbin/nginx ]] || missing+=(nginx) ;;
		haproxy) [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy) ;;
		apache2) [[ -x /usr/sbin/apache2 ]] || missing+=(apache2) ;;
		caddy) [[ -x /usr/bin/caddy ]] || missing+=(caddy) ;;
		wrk) command -v wrk >/dev/null || missing+=(wrk) ;;
		node) command -v node >/dev/null || missing+=(nodejs) ;;
		esac
	done
	command -v java >/dev/null || die "java (JDK 17+) is required"
	command -v curl >/dev/null || missing+=(curl)
	((${#missing[@]} == 0)) && return 0
	log "installing missing packages with apt: ${missing[*]}"
	local sudo=()
	((EUID == 0)) || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq >"$OUT/apt.log" 2>&1 || die "apt-get update failed, see $OUT/apt.log"
	# Debian may start its own nginx/haproxy service on install; this harness neither uses
	# nor stops it (it runs its own instances on high ports with their own config).
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$OUT/apt.log" 2>&1 ||
		die "apt-get install ${missing[*]} failed, see $OUT/apt.log"
}

tool_versions() {
	local v
	v=$(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //') && printf 'nginx %s; ' "$v"
	v=$(/usr/sbin/haproxy -v 2>/dev/null | head -1 | awk '{print $3}') && printf 'HAProxy %s; ' "$v"
	[[ -x /usr/sbin/apache2 ]] && v=$(/usr/sbin/apache2 -v 2>/dev/null | sed -n 's|^Server version: Apache/\([^ ]*\).*|\1|p') && printf 'Apache httpd %s; ' "$v"
	[[ -x /usr/bin/caddy ]] && v=$(/usr/bin/caddy version 2>/dev/null | awk '{print $1}') && printf 'Caddy %s; ' "$v"
	v=$(java -version 2>&1 | head -1 | sed 's/.*version "\(.*\)".*/\1/') && printf 'JDK %s' "$v"
	printf '\n'
}

# Copies the working tree (tracked and untracked, non-ignored files; not bench/) into
# $OUT/build-src and builds the sample app there once per server given: tomcat (default),
# jetty (-Pjetty), netty (-Pnetty: WebFlux on Reactor Netty). The repo's own target/
# directories are never touched.
build_jars() {
	local src=$OUT/build-src
	rm -rf "$src"
	mkdir -p "$src" "$OUT/jars"
	log "copying the working tree of $REPO_DIR into $src"
	(cd "$REPO_DIR" && git ls-files -z -co --exclude-standard) |
		while IFS= read -r -d '' f; do
			[[ $f == bench/* ]] && continue
			[[ -f $REPO_DIR/$f ]] && printf '%s\0' "$f"
		done |
		(cd "$REPO_DIR" && tar --null -T - -cf -) | tar -xf - -C "$src"
	[[ -x $src/mvnw ]] || die "copy of the working tree has no mvnw"
	local server profile=()
	for server in "$@"; do
		profile=()
		[[ $server == tomcat ]] || profile=("-P$server")
		log "building the sample app for $server (./mvnw -q -pl sample-app -am clean package -Dmaven.test.skip=true ${profile[*]})"
		(cd "$src" && ./mvnw -q -B -pl sample-app -am clean package -Dmaven.test.skip=true "${profile[@]}") \
			>"$OUT/build-$server.log" 2>&1 || { tail -40 "$OUT/build-$server.log" >&2; die "build for $server failed, see $OUT/build-$server.log"; }
		cp "$src"/sample-app/target/keepalive-sample-app-*.jar "$(jar_for "$server")"
	done
}

# jar_for SERVER: the sample app's jar for tomcat, jetty or netty
jar_for() {
	echo "$OUT/jars/sample-$1.jar"
}

# keepalive_property SERVER: the Spring Boot property of the server's idle keep-alive timeout
keepalive_property() {
	case $1 in
	tomcat) echo server.tomcat.keep-alive-timeout ;;
	jetty) echo server.jetty.connection-idle-timeout ;;
	netty) echo server.netty.idle-timeout ;;
	esac
}
