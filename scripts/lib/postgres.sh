# shellcheck shell=bash
# Throwaway PostgreSQL clusters for tests. Source scripts/lib/common.sh first, then this file.
#
#   pg_start     install the server if missing (root + apt-get), initdb a cluster in a temp dir
#                as the `postgres` user, start it on a free 127.0.0.1 port, create `relief_test`.
#                Sets PG_DIR, PG_PORT, PG_BINDIR, PG_URL (postgres://relief@127.0.0.1:PORT/relief_test).
#   pg_stop      stop the cluster (fast shutdown) and remove its directory. Safe to call twice,
#                and safe to call when pg_start never ran or failed halfway: use it in an EXIT trap.
#   pg_log_tail  print the end of the server log (for failures).
#
# The role `relief` is a superuser with trust auth on loopback only, so tests can create and drop
# one database per test. Settings trade durability for speed (fsync=off etc.): test use only.
#
# Environment: RELIEF_PG_PORT_START (default 55432), RELIEF_PG_TMPROOT (default /tmp; must be
# traversable by the postgres user), RELIEF_PG_KEEP=1 keeps the directory after pg_stop.

# shellcheck disable=SC2034 # read by the scripts that source this file
PG_DIR=""
PG_PORT=""
PG_BINDIR=""
PG_URL=""

# Print the newest PostgreSQL bin directory that has initdb, or fail.
pg_find_bindir() {
    local dir
    # Debian/Ubuntu layout: /usr/lib/postgresql/<major>/bin
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    # Anything else (Homebrew, a custom build) with initdb on PATH.
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

# Make sure a server binary exists, installing Debian's `postgresql` package when we can.
pg_ensure_installed() {
    if pg_find_bindir >/dev/null; then
        return 0
    fi
    relief_log "PostgreSQL server not found (no /usr/lib/postgresql/*/bin/initdb); installing"
    # policy-rc.d / no init system means the package's default cluster is created but not started;
    # we never use it.
    relief_apt_install postgresql || return 1
    pg_find_bindir >/dev/null
}

# Run a server binary from PG_BINDIR as the postgres user when we are root (initdb and pg_ctl
# refuse to run as root), from inside PG_DIR so the postgres user can read the working directory.
_pg_as_owner() {
    local tool=$1
    shift
    if relief_is_root; then
        (cd "$PG_DIR" && runuser -u postgres -- "$PG_BINDIR/$tool" "$@")
    else
        (cd "$PG_DIR" && "$PG_BINDIR/$tool" "$@")
    fi
}

pg_start() {
    if [ -n "$PG_DIR" ]; then
        relief_log "pg_start: a cluster is already running in $PG_DIR"
        return 1
    fi
    pg_ensure_installed || {
        relief_log "pg_start: no PostgreSQL server available and it could not be installed"
        return 1
    }
    PG_BINDIR=$(pg_find_bindir)
    if relief_is_root && ! id postgres >/dev/null 2>&1; then
        relief_log "pg_start: running as root but there is no 'postgres' user to own the cluster"
        return 1
    fi

    PG_DIR=$(mktemp -d "${RELIEF_PG_TMPROOT:-/tmp}/relief-pg.XXXXXX") || return 1
    chmod 700 "$PG_DIR"
    if relief_is_root; then
        chown postgres: "$PG_DIR"
    fi

    local started=$SECONDS
    if ! _pg_as_owner initdb -D "$PG_DIR/data" -A trust -U relief -E UTF8 --locale=C \
        >"$PG_DIR/initdb.log" 2>&1; then
        relief_log "pg_start: initdb failed:"
        cat "$PG_DIR/initdb.log" >&2
        return 1
    fi

    local port=${RELIEF_PG_PORT_START:-55432}
    local attempt
    for attempt in 1 2 3 4 5; do
        port=$(relief_free_port "$port") || {
            relief_log "pg_start: no free port found"
            return 1
        }
        if _pg_as_owner pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
            -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            PG_PORT=$port
            break
        fi
        relief_log "pg_start: server did not start on port $port (attempt $attempt); log:"
        tail -n 20 "$PG_DIR/log" >&2 2>/dev/null || true
        port=$((port + 1))
    done
    if [ -z "$PG_PORT" ]; then
        return 1
    fi

    if ! "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U relief relief_test; then
        relief_log "pg_start: createdb relief_test failed"
        return 1
    fi
    PG_URL="postgres://relief@127.0.0.1:$PG_PORT/relief_test"
    relief_log "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') up on 127.0.0.1:$PG_PORT in $((SECONDS - started))s (dir $PG_DIR)"
}

pg_log_tail() {
    local lines=${1:-40}
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/log" ]; then
        relief_log "last $lines lines of the PostgreSQL log ($PG_DIR/log):"
        tail -n "$lines" "$PG_DIR/log"
    fi
}

pg_stop() {
    if [ -z "$PG_DIR" ]; then
        return 0
    fi
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        if ! _pg_as_owner pg_ctl -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            local pid
            pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
            if [ -n "$pid" ]; then
                relief_log "pg_stop: fast shutdown failed; killing postmaster $pid"
                kill -9 "$pid" 2>/dev/null || true
            fi
        fi
    fi
    if [ "${RELIEF_PG_KEEP:-0}" = 1 ]; then
        relief_log "pg_stop: keeping $PG_DIR (RELIEF_PG_KEEP=1)"
    else
        rm -rf "$PG_DIR"
    fi
    PG_DIR=""
    PG_PORT=""
    PG_URL=""
}
