# shellcheck shell=bash
# Helpers shared by scripts/test, scripts/pg-shell and e2e/run. Source it; it defines functions only.

# Print a banner line to stderr-free stdout so logs show where each step starts.
relief_banner() {
    printf '\n==================== %s ====================\n' "$*"
}

relief_log() {
    printf '[%s] %s\n' "${RELIEF_LOG_TAG:-relief}" "$*"
}

relief_die() {
    printf '[%s] ERROR: %s\n' "${RELIEF_LOG_TAG:-relief}" "$*" >&2
    exit 1
}

relief_is_root() {
    [ "$(id -u)" -eq 0 ]
}

# relief_apt_install PKG...: install Debian packages non-interactively (root only).
# Runs `apt-get update` once per process before the first install.
relief_apt_install() {
    if ! relief_is_root; then
        relief_log "not root: cannot install $* with apt-get"
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        relief_log "apt-get not found: cannot install $*"
        return 1
    fi
    local started=$SECONDS
    if [ -z "${RELIEF_APT_UPDATED:-}" ]; then
        relief_log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || return 1
        RELIEF_APT_UPDATED=1
    fi
    relief_log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Use-Pty=0 "$@" </dev/null >/dev/null || return 1
    relief_log "installed $* in $((SECONDS - started))s"
}

# relief_port_in_use PORT: true when something listens on TCP PORT (any address).
relief_port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]
        return
    fi
    if command -v python3 >/dev/null 2>&1; then
        ! python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
finally:
    s.close()
PY
        return
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# relief_free_port START: print the first free loopback TCP port at or above START (tries 200).
relief_free_port() {
    local port=${1:-55432}
    local end=$((port + 200))
    while [ "$port" -lt "$end" ]; do
        if ! relief_port_in_use "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port + 1))
    done
    return 1
}
