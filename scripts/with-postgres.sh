#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a throwaway PostgreSQL cluster (Debian packages) listening only on
# 127.0.0.1 on a free port, runs CMD with
#   FULLCHAIN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/fullchain_test
#   FULLCHAIN_TEST_POSTGRES_ADMIN_URL=postgres://postgres@127.0.0.1:PORT/postgres
# exported, then stops the server and deletes the cluster (also on failure or
# interrupt). Exits with CMD's exit code.
set -euo pipefail

TEST_DB=fullchain_test
START_TIMEOUT=30

log() { echo "with-postgres: $*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

find_bindir() {
    local dirs=() d
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && dirs+=("$d")
    done
    [[ ${#dirs[@]} -gt 0 ]] || return 1
    printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1
}

if ! PG_BIN=$(find_bindir); then
    log "PostgreSQL server binaries not found; installing package 'postgresql'"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends postgresql
    PG_BIN=$(find_bindir) || die "no PostgreSQL server binaries under /usr/lib/postgresql after install"
fi

# PostgreSQL refuses to run as root: when root, run the server tools as the
# 'postgres' system user; otherwise run them as the current user.
if [[ $EUID -eq 0 ]]; then
    id -u postgres >/dev/null 2>&1 || die "system user 'postgres' does not exist"
    command -v runuser >/dev/null 2>&1 || die "runuser not found"
    PG_DIR=$(mktemp -d /tmp/fullchain-pg.XXXXXX)
    chown postgres:postgres "$PG_DIR"
    as_pg() { (cd "$PG_DIR" && runuser -u postgres -- "$@"); }
else
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fullchain-pg.XXXXXX")
    as_pg() { (cd "$PG_DIR" && "$@"); }
fi
chmod 700 "$PG_DIR"
DATA_DIR=$PG_DIR/data
LOG_FILE=$PG_DIR/postgres.log
SERVER_STARTED=

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
    local pid=
    if [[ -n $SERVER_STARTED && -f $DATA_DIR/postmaster.pid ]]; then
        pid=$(head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null || true)
        as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -s -w -t 30 -m fast stop >/dev/null 2>&1 \
            || as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -s -w -t 10 -m immediate stop >/dev/null 2>&1 \
            || true
        # A cleanly stopped server removes postmaster.pid (the process may
        # linger as an unreaped zombie, which is harmless).
        if [[ -f $DATA_DIR/postmaster.pid && $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            log "server did not stop; killing postmaster $pid"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$PG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a port that is currently free on 127.0.0.1. Prefers one chosen by the
# kernel; falls back to scanning upward from $1.
pick_port() {
    local p=
    if command -v python3 >/dev/null 2>&1; then
        p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null) || p=
    fi
    if [[ $p =~ ^[0-9]+$ ]] && ! port_in_use "$p"; then
        echo "$p"
        return 0
    fi
    p=$1
    while ((p < 65535)); do
        if ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
        p=$((p + 1))
    done
    return 1
}

as_pg "$PG_BIN/initdb" -D "$DATA_DIR" --auth=trust --username=postgres \
    --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }

# Settings that do not depend on the port. fsync stays on.
{
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$PG_DIR'"
    echo "max_connections = 200"
    echo "fsync = on"
} | as_pg tee -a "$DATA_DIR/postgresql.conf" >/dev/null

# Another process may grab the chosen port before the server binds it
# (e.g. a concurrent run of this script); retry with another port then.
PORT=
next_port=55432
for attempt in 1 2 3 4 5 6 7 8; do
    port=$(pick_port "$next_port") || die "no free TCP port found"
    next_port=$((port + 1))
    rm -f "$LOG_FILE"
    SERVER_STARTED=1
    if as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -s -w -t "$START_TIMEOUT" \
        -o "-p $port" start >/dev/null 2>&1; then
        PORT=$port
        break
    fi
    # Make sure nothing is left running before retrying.
    as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -s -m immediate stop >/dev/null 2>&1 || true
    if grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets' "$LOG_FILE" 2>/dev/null; then
        log "port $port is taken (attempt $attempt); retrying with another port"
        continue
    fi
    cat "$LOG_FILE" >&2 2>/dev/null || true
    die "PostgreSQL failed to start"
done
[[ -n $PORT ]] || { cat "$LOG_FILE" >&2 2>/dev/null || true; die "PostgreSQL failed to start (no usable port)"; }

ready=
for _ in $(seq 1 $((START_TIMEOUT * 2))); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -t 2; then
        ready=1
        break
    fi
    sleep 0.5
done
if [[ -z $ready ]]; then
    cat "$LOG_FILE" >&2 2>/dev/null || true
    die "PostgreSQL on 127.0.0.1:$PORT did not become ready within ${START_TIMEOUT}s"
fi

as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$TEST_DB" \
    || die "createdb $TEST_DB failed"

export FULLCHAIN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/$TEST_DB"
export FULLCHAIN_TEST_POSTGRES_ADMIN_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready at 127.0.0.1:$PORT (cluster in $PG_DIR)"

set +e
"$@"
rc=$?
set -e
exit "$rc"
