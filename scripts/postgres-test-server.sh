#!/usr/bin/env bash
# A private PostgreSQL server for the FlowPostgres tests: 127.0.0.1 only, a free port, trust authentication,
# its data in a temporary directory that `stop` removes.
#
#   scripts/postgres-test-server.sh start   # prints the URL (also in .build/postgres-test/url)
#   FLOWLANG_TEST_POSTGRES_URL=$(cat .build/postgres-test/url) swift test --skip-build --filter FlowPostgresTests
#   scripts/postgres-test-server.sh stop
#
# `start` is idempotent: a server this script started and that still runs is reused. PostgreSQL refuses to run
# as root, so as root the server runs as the `postgres` user (and is installed with apt-get when missing);
# otherwise it runs as the calling user. Progress goes to stderr, the URL alone to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

state_dir="$PWD/.build/postgres-test"
database=flowlang_test

log() { echo "postgres-test-server: $*" >&2; }

# The newest installed PostgreSQL's binaries (Debian keeps them out of PATH).
pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z $dir ]] && command -v initdb >/dev/null 2>&1; then
        dir=$(dirname "$(readlink -f "$(command -v initdb)")")
    fi
    echo "$dir"
}

ensure_installed() {
    [[ -n $(pg_bin) ]] && return 0
    if [[ $(id -u) != 0 ]]; then
        log "PostgreSQL is not installed; install it (apt-get install -y postgresql) or run this script as root"
        exit 1
    fi
    log "installing PostgreSQL (apt-get install -y postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    [[ -n $(pg_bin) ]] || { log "PostgreSQL is still not installed after apt-get"; exit 1; }
}

# Runs a PostgreSQL program as the server's owner.
as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A port nothing listens on, below Linux's ephemeral range (32768+) so that no client's own end is handed it.
free_port() {
    python3 - <<'EOF'
import random, socket
for _ in range(200):
    port = random.randint(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
EOF
}

is_running() {
    [[ -f $state_dir/datadir ]] || return 1
    local data
    data=$(cat "$state_dir/datadir")
    [[ -d $data/pgdata ]] && as_owner "$(pg_bin)/pg_ctl" -D "$data/pgdata" status >/dev/null 2>&1
}

start() {
    mkdir -p "$state_dir"
    if is_running; then
        log "already running"
        cat "$state_dir/url"
        return 0
    fi
    remove_stale
    ensure_installed
    local bin data port url
    bin=$(pg_bin)
    data=$(mktemp -d /tmp/flowlang-postgres-test.XXXXXX)
    echo "$data" >"$state_dir/datadir"
    if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$data"; fi
    as_owner "$bin/initdb" -D "$data/pgdata" -U postgres -E UTF8 --no-locale --auth=trust >"$data/initdb.log" 2>&1 \
        || { cat "$data/initdb.log" >&2; log "initdb failed"; exit 1; }
    # Another program may take the port between choosing and binding it: then try another.
    local attempt
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$data/pgdata" -l "$data/server.log" -w -t 60 \
            -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c fsync=off -c max_connections=200" start >/dev/null; then
            break
        fi
        port=""
        log "could not start on a port (attempt $attempt); see $data/server.log"
    done
    [[ -n $port ]] || { tail -20 "$data/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE $database" >&2
    url="postgres://postgres@127.0.0.1:$port/$database"
    echo "$url" >"$state_dir/url"
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listens on 127.0.0.1:$port (data in $data)"
    echo "$url"
}

# Removes what a server that is no longer running left behind.
remove_stale() {
    if [[ -f $state_dir/datadir ]]; then
        rm -rf "$(cat "$state_dir/datadir")"
    fi
    rm -f "$state_dir/datadir" "$state_dir/url"
}

stop() {
    if is_running; then
        as_owner "$(pg_bin)/pg_ctl" -D "$(cat "$state_dir/datadir")/pgdata" -m fast -w stop >/dev/null
        log "stopped"
    else
        log "not running"
    fi
    remove_stale
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
