# shellcheck shell=bash
# Helpers for benchmarks (bench/NAME/run). Source it after scripts/bench has set the contract's
# environment (see bench/README.md); it defines functions only.
#
#   bench_log MSG / bench_die MSG        log lines tagged with the benchmark's name
#   bench_py SUBCOMMAND ARGS...          bench/lib/benchlib.py (wrk parsing, tables, JSON, HTTP)
#   bench_install_traps                  stop every tracked process on EXIT, INT and TERM
#   bench_track PID NAME                 stop PID (SIGTERM, then SIGKILL after 10 s) at exit
#   bench_stop PID NAME                  stop one process now
#   bench_run OUT CMD ARGS...            run CMD tracked (stoppable at once), output into OUT
#   bench_wait_http URL PID [TIMEOUT]    wait for 200 from URL while PID lives
#   bench_relief_start PORT [ARGS...]    start $RELIEF_BIN serve on 127.0.0.1:PORT (production)
#   bench_relief_env DATABASE_URL        BENCH_RELIEF_ENV: the environment of a quiet production relief
#   bench_relief DATABASE_URL ARGS...    run one $RELIEF_BIN command (migrate, demo, import ...)
#   bench_relief_demo_rule DATABASE_URL  demo organization plus one round-robin assignment rule
#   bench_nginx_static PORT PATH BODY    nginx on 127.0.0.1:PORT serving BODY at PATH
#   bench_wrk NAME PID URL [WRK ARGS...] warm-up, then one measurement into $BENCH_TMP/wrk/NAME.*
#   bench_busy_check                     warn when the machine is busy before measuring

BENCH_TRACKED_PIDS=()
BENCH_TRACKED_NAMES=()

bench_log() {
    printf '[bench %s] %s\n' "${BENCH_NAME:-?}" "$*"
}

bench_die() {
    printf '[bench %s] ERROR: %s\n' "${BENCH_NAME:-?}" "$*" >&2
    exit 1
}

# bench_require_contract: fail unless scripts/bench (or the caller) set the contract's variables.
bench_require_contract() {
    local name missing=()
    for name in RELIEF_BIN BENCH_NAME BENCH_LIB BENCH_TMP BENCH_FREE_PORT BENCH_RESULT_JSON \
        BENCH_DURATION BENCH_WARMUP BENCH_CONNECTIONS BENCH_THREADS BENCH_SEED BENCH_SIZE; do
        [ -n "${!name:-}" ] || missing+=("$name")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        bench_die "not set: ${missing[*]} (run benchmarks through scripts/bench)"
    fi
}

bench_py() {
    python3 "$BENCH_LIB/benchlib.py" "$@"
}

bench_track() {
    BENCH_TRACKED_PIDS+=("$1")
    BENCH_TRACKED_NAMES+=("${2:-process}")
}

# bench_untrack PID: forget PID (after it was waited for, its number may be reused).
bench_untrack() {
    local i pids=() names=()
    for i in "${!BENCH_TRACKED_PIDS[@]}"; do
        if [ "${BENCH_TRACKED_PIDS[$i]}" != "$1" ]; then
            pids+=("${BENCH_TRACKED_PIDS[$i]}")
            names+=("${BENCH_TRACKED_NAMES[$i]}")
        fi
    done
    BENCH_TRACKED_PIDS=("${pids[@]}")
    BENCH_TRACKED_NAMES=("${names[@]}")
}

# bench_run OUT CMD ARGS...: run CMD with stdout and stderr in OUT, in the background and tracked,
# so a SIGTERM to the benchmark stops it at once instead of after the load ends (scripts/bench
# starts benchmarks in the background, where SIGINT is ignored). Returns CMD's status.
bench_run() {
    local out=$1 pid status=0
    shift
    "$@" >"$out" 2>&1 </dev/null &
    pid=$!
    bench_track "$pid" "$1"
    wait "$pid" || status=$?
    bench_untrack "$pid"
    return "$status"
}

# bench_stop PID NAME: SIGTERM, wait up to 10 s, then SIGKILL. Safe on a PID that is gone. Its
# direct children get SIGTERM too: a wrapper such as /usr/bin/time does not pass it on.
bench_stop() {
    local pid=$1 name=${2:-process} waited=0 children child
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        return 0
    fi
    children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
    kill -TERM "$pid" 2>/dev/null || true
    for child in $children; do
        kill -TERM "$child" 2>/dev/null || true
    done
    while [ "$waited" -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
        # A child that already exited but was not reaped yet still answers kill -0.
        if [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" = Z ]; then
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ]; then
        bench_log "$name (pid $pid) did not stop on SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # invoked by the traps
bench_stop_all() {
    local status=$? i
    trap - EXIT INT TERM
    for ((i = ${#BENCH_TRACKED_PIDS[@]} - 1; i >= 0; i--)); do
        bench_stop "${BENCH_TRACKED_PIDS[$i]}" "${BENCH_TRACKED_NAMES[$i]}"
    done
    exit "$status"
}

# bench_stop_all_after CMD...: an EXIT trap body that runs CMD first (pg_stop, say), then
# bench_stop_all, and still exits with the script's own status.
bench_stop_all_after() {
    local status=$?
    "$@" || true
    (exit "$status") || bench_stop_all
    bench_stop_all
}

bench_install_traps() {
    trap bench_stop_all EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# bench_wait_http URL PID [TIMEOUT]: wait for 200 from URL; fail when PID exits first.
bench_wait_http() {
    bench_py wait-http "$1" --pid "$2" --timeout "${3:-120}"
}

# bench_relief_start PORT [SERVE ARGS...]: start the release binary as a production server with
# a fresh SQLite database and master key in $BENCH_TMP/relief, quiet logs, and that folder as the
# working directory: it links Public/ and Resources/ of the repository like a deployment has
# them (the file middleware looks in Public/ on every request), but a developer's .env file is
# not read. Waits for /readyz. Sets RELIEF_PID, RELIEF_URL and RELIEF_LOG. Extra arguments go
# to `relief serve` (for example --demo).
#
# BENCH_RELIEF_DATABASE_URL, when set, is the database instead of the fresh SQLite file, and
# BENCH_RELIEF_MASTER_KEY (set by bench_relief_env) the key, so a server can open data that
# earlier commands of the run wrote.
bench_relief_start() {
    local port=$1
    shift
    local dir="$BENCH_TMP/relief" bin=${RELIEF_BIN:?} root=${BENCH_ROOT:?}
    mkdir -p "$dir/data"
    ln -sfn "$root/Public" "$dir/Public"
    ln -sfn "$root/Resources" "$dir/Resources"
    local key database=${BENCH_RELIEF_DATABASE_URL:-sqlite://$dir/bench.sqlite}
    key=${BENCH_RELIEF_MASTER_KEY:-$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')}
    RELIEF_URL="http://127.0.0.1:$port"
    RELIEF_LOG="$dir/server.log"
    bench_log "starting $bin serve $* on $RELIEF_URL (production, ${database%%:*} in $dir)"
    (
        cd "$dir" || exit 1
        export RELIEF_MASTER_KEY="$key"
        export DATABASE_URL="$database"
        export RELIEF_DATA_DIR="$dir/data"
        export RELIEF_BASE_URL="$RELIEF_URL"
        export LOG_LEVEL=error LOG_FORMAT=json
        exec "$bin" serve "$@" --hostname 127.0.0.1 --port "$port" --env production
    ) >"$RELIEF_LOG" 2>&1 </dev/null &
    RELIEF_PID=$!
    bench_track "$RELIEF_PID" ReliefCRM
    local started=$SECONDS
    if ! bench_wait_http "$RELIEF_URL/readyz" "$RELIEF_PID" "${BENCH_READY_TIMEOUT:-180}"; then
        bench_log "ReliefCRM server log (last 40 lines):"
        tail -n 40 "$RELIEF_LOG" >&2 || true
        bench_die "ReliefCRM did not become ready"
    fi
    bench_log "ReliefCRM ready in $((SECONDS - started))s (pid $RELIEF_PID)"
}

# bench_relief_key: make $BENCH_TMP/relief, the working directory for relief commands and
# servers (BENCH_RELIEF_DIR: links to the repository's Public/ and Resources/, so a developer's
# .env is not read), and one random master key for the whole run (BENCH_RELIEF_MASTER_KEY, kept
# in that folder), so servers started later can open what earlier commands wrote.
bench_relief_key() {
    BENCH_RELIEF_DIR="$BENCH_TMP/relief"
    mkdir -p "$BENCH_RELIEF_DIR/data"
    ln -sfn "${BENCH_ROOT:?}/Public" "$BENCH_RELIEF_DIR/Public"
    ln -sfn "$BENCH_ROOT/Resources" "$BENCH_RELIEF_DIR/Resources"
    local key_file="$BENCH_RELIEF_DIR/master.key"
    if [ ! -s "$key_file" ]; then
        python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' >"$key_file"
    fi
    BENCH_RELIEF_MASTER_KEY=$(cat "$key_file")
    export BENCH_RELIEF_MASTER_KEY BENCH_RELIEF_DIR
}

# bench_relief_env DATABASE_URL: bench_relief_key, then set BENCH_RELIEF_ENV to the variables a
# quiet production `relief` command needs (the key, the database, RELIEF_DATA_DIR, JSON logs at
# level error), for `env -C "$BENCH_RELIEF_DIR" "${BENCH_RELIEF_ENV[@]}" "$RELIEF_BIN" ...`.
bench_relief_env() {
    bench_relief_key
    BENCH_RELIEF_ENV=(
        RELIEF_MASTER_KEY="$BENCH_RELIEF_MASTER_KEY" DATABASE_URL="$1"
        RELIEF_DATA_DIR="$BENCH_RELIEF_DIR/data" RELIEF_BASE_URL=http://127.0.0.1
        LOG_LEVEL=error LOG_FORMAT=json
    )
}

# bench_relief DATABASE_URL ARGS...: run `$RELIEF_BIN ARGS... --env production` once, in the
# environment of bench_relief_env, from $BENCH_TMP/relief; its output goes to this stdout/stderr.
bench_relief() {
    local database=$1
    shift
    bench_relief_env "$database"
    env -C "$BENCH_RELIEF_DIR" "${BENCH_RELIEF_ENV[@]}" "${RELIEF_BIN:?}" "$@" --env production \
        </dev/null
}

# bench_relief_demo_rule DATABASE_URL: seed the demo organization in DATABASE_URL and add one
# active assignment rule, "every lead: round-robin in the first demo team", through the rules
# page (there is no command or API for rules), so imports exercise assignment. It starts a
# server on that database for the form and stops it. Writes the team and its members as JSON to
# $BENCH_TMP/rule.json.
bench_relief_demo_rule() {
    local database=$1
    bench_relief "$database" demo >"$BENCH_TMP/demo.log" 2>&1 \
        || bench_die "relief demo failed: $(tail -n 5 "$BENCH_TMP/demo.log")"
    bench_relief_key
    local port pid
    port=$("$BENCH_FREE_PORT")
    BENCH_RELIEF_DATABASE_URL=$database bench_relief_start "$port" --no-worker
    pid=$RELIEF_PID
    bench_py demo-rule "$RELIEF_URL" >"$BENCH_TMP/rule.json" \
        || bench_die "could not add the assignment rule through the rules page"
    bench_stop "$pid" ReliefCRM
    bench_untrack "$pid"
}

# bench_nginx_static PORT PATH BODY [CONTENT-TYPE]: nginx (2 workers, no access log) on
# 127.0.0.1:PORT serving the bytes BODY at PATH from a file. Config, pid file, error log and
# temp folders live in $BENCH_TMP/nginx. Sets NGINX_PID, NGINX_URL, NGINX_LOG.
bench_nginx_static() {
    local port=$1 path=$2 body=$3 type=${4:-application/json}
    local dir="$BENCH_TMP/nginx"
    local nginx
    nginx=$(PATH="$PATH:/usr/sbin:/sbin" command -v nginx) || bench_die "nginx not found"
    mkdir -p "$dir/www$(dirname "$path")" "$dir/tmp"
    printf '%s' "$body" >"$dir/www$path"
    NGINX_LOG="$dir/error.log"
    NGINX_URL="http://127.0.0.1:$port"
    local user_line=""
    if [ "$(id -u)" -eq 0 ]; then
        # Workers would run as nobody and could not read the mktemp (0700) folder.
        user_line="user $(id -un) $(id -gn);"
    fi
    cat >"$dir/nginx.conf" <<EOF
# Minimal static-file server for the benchmark reference (generated by bench/lib/common.sh).
$user_line
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $NGINX_LOG warn;
events {
    worker_connections 1024;
}
http {
    access_log off;
    default_type $type;
    types { }
    # nginx closes a keep-alive connection after 1000 requests by default; ReliefCRM (SwiftNIO)
    # never does. Keep connections open here too so both sides serve the same connection pattern.
    keepalive_requests 1000000;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    server {
        listen 127.0.0.1:$port;
        root $dir/www;
    }
}
EOF
    "$nginx" -t -q -e "$NGINX_LOG" -p "$dir" -c "$dir/nginx.conf" \
        || bench_die "nginx rejected $dir/nginx.conf"
    bench_log "starting nginx on $NGINX_URL serving $path (${#body} bytes)"
    "$nginx" -e "$NGINX_LOG" -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 </dev/null &
    NGINX_PID=$!
    bench_track "$NGINX_PID" nginx
    if ! bench_wait_http "$NGINX_URL$path" "$NGINX_PID" 30; then
        cat "$NGINX_LOG" >&2 || true
        bench_die "nginx did not start"
    fi
}

# bench_wrk NAME SERVER_PID URL [WRK ARGS...]: a warm-up of $BENCH_WARMUP s (output dropped),
# then `wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_DURATION}s --latency` into
# $BENCH_TMP/wrk/NAME.txt, and into $BENCH_TMP/wrk/NAME.cpu the CPU clock ticks used during the
# measurement by SERVER_PID (with its children), by wrk, and by the whole machine (so
# `benchlib.py row` can tell how much other processes took). Extra arguments (such as
# -H 'Name: value') go to both runs. Sets BENCH_WRK_OUT to the output file.
bench_wrk() {
    local name=$1 pid=$2 url=$3
    shift 3
    local dir="$BENCH_TMP/wrk"
    mkdir -p "$dir"
    local common=(-t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" "$@")
    if [ "$BENCH_WARMUP" -gt 0 ]; then
        bench_run "$dir/$name.warmup.txt" wrk "${common[@]}" -d"${BENCH_WARMUP}s" "$url" \
            || bench_die "wrk warm-up for $name failed: $(tail -n 3 "$dir/$name.warmup.txt")"
    fi
    bench_log "measuring $name: wrk ${common[*]//Bearer */Bearer …} -d${BENCH_DURATION}s --latency $url"
    local before after
    # wrk's CPU shows up in this shell's waited-for children ($$) once bench_run waited for it.
    before=$(bench_py cpu-snapshot "$pid" "$$")
    bench_run "$dir/$name.txt" wrk "${common[@]}" -d"${BENCH_DURATION}s" --latency "$url" \
        || bench_die "wrk for $name failed: $(tail -n 3 "$dir/$name.txt")"
    after=$(bench_py cpu-snapshot "$pid" "$$")
    bench_py cpu-delta "$before" "$after" >"$dir/$name.cpu"
    BENCH_WRK_OUT="$dir/$name.txt"
    local summary
    summary=$(grep -E '^Requests/sec|Non-2xx|Socket errors' "$BENCH_WRK_OUT" | tr -s ' ' | paste -sd ';' -)
    bench_log "  $summary"
}

# bench_busy_check: measure how busy the CPUs are for 2 s before the benchmark starts anything and
# warn when other work is running. Sets BENCH_BUSY_PERCENT and BENCH_BUSY_NOTE (for the notes).
bench_busy_check() {
    BENCH_BUSY_PERCENT=$(bench_py cpu-busy 2)
    BENCH_BUSY_NOTE="CPUs ${BENCH_BUSY_PERCENT}% busy in the 2 s before start, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$BENCH_BUSY_PERCENT" -ge 10 ]; then
        BENCH_BUSY_NOTE="$BENCH_BUSY_NOTE: other work was running, expect lower ReliefCRM numbers"
        bench_log "the machine is busy (${BENCH_BUSY_PERCENT}% CPU before start); numbers will be pessimistic"
    fi
}
