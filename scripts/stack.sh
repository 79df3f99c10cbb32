#!/usr/bin/env bash
# Start and stop pledgeflow's real stack (PostgreSQL, Redis, a Celery worker) on loopback, for CI and developers.
#
#   source "$(scripts/stack.sh up)"     # start everything; the printed file exports the URLs
#   scripts/stack.sh status
#   scripts/stack.sh redis-stop | redis-start | postgres-stop | postgres-start | worker-stop | worker-start
#   scripts/stack.sh down               # stop everything the stack started, remove its directory
#   scripts/stack.sh run [up options] -- CMD ARGS   # up, run CMD in the stack's environment, down (also on failure)
#   e.g. scripts/stack.sh run --worker-db test -- make test-realstack
#
# `up` options: --dir DIR (default: a new temp dir), --worker-db main|test (test: the worker
# uses pytest-django's test database "test_<name>", so a realstack test's data is the
# worker's), --no-worker.
# Every other command finds the stack through $PLEDGEFLOW_STACK_DIR (exported by the env file)
# or --dir DIR.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB_NAME="pledgeflow"
DB_USER="pledgeflow"
DB_PASSWORD="pledgeflow"
# PostgreSQL refuses to run as root; as root we run it as this system account.
SERVICE_USER="${PLEDGEFLOW_STACK_USER:-postgres}"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

venv_bin() {
    if [[ -x "$REPO/.venv/bin/$1" ]]; then echo "$REPO/.venv/bin/$1"; else command -v "$1"; fi
}

free_port() {
    "$(venv_bin python)" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
        [[ -x "$d/initdb" ]] && { echo "$d"; return 0; }
    done
    if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
    return 1
}

apt_install() {
    [[ $EUID -eq 0 ]] || die "$* missing; install it (Debian: sudo apt-get install $*) and rerun"
    log "installing $* from Debian packages"
    # Keep the packages' own init scripts from starting a system-wide server we would not stop.
    local made_policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    if [[ -z "${PLEDGEFLOW_APT_UPDATED:-}" ]]; then
        apt-get update -qq >&2
        export PLEDGEFLOW_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
    [[ -n "$made_policy" ]] && rm -f /usr/sbin/policy-rc.d
    return 0
}

ensure_installed() {
    pg_bindir >/dev/null || apt_install postgresql
    pg_bindir >/dev/null || die "no PostgreSQL binaries after install"
    command -v redis-server >/dev/null || apt_install redis-server
    command -v redis-cli >/dev/null || apt_install redis-tools
}

# Run a command as the account that owns the PostgreSQL data directory.
as_service_user() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u "$SERVICE_USER" -- "$@"
    else
        "$@"
    fi
}

ensure_service_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
        log "creating system user $SERVICE_USER"
        useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
}

load_state() {
    local dir="${STACK_DIR:-${PLEDGEFLOW_STACK_DIR:-}}"
    [[ -n "$dir" ]] || die "no stack: pass --dir DIR or source the env file that 'up' printed"
    [[ -f "$dir/state" ]] || die "$dir is not a running stack (no state file)"
    STACK_DIR="$dir"
    # shellcheck disable=SC1091
    source "$dir/state"
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION CMD...
    local seconds="$1" what="$2"; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        (( SECONDS < deadline )) || return 1
        sleep 0.5
    done
    log "$what ready"
}

postgres_start() {
    local bindir; bindir="$(pg_bindir)"
    as_service_user "$bindir/pg_ctl" -D "$STACK_DIR/pgdata" -l "$STACK_DIR/pglog/postgres.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $PG_PORT -k $STACK_DIR/pgsock" start >&2 \
        || { tail -n 30 "$STACK_DIR/pglog/postgres.log" >&2 || true; die "PostgreSQL did not start"; }
}

postgres_stop() {
    local bindir; bindir="$(pg_bindir)" || return 0
    local pidfile="$STACK_DIR/pgdata/postmaster.pid"
    [[ -f "$pidfile" ]] || return 0
    local pid; pid="$(head -n 1 "$pidfile")"
    as_service_user "$bindir/pg_ctl" -D "$STACK_DIR/pgdata" -m fast -w -t 30 stop >&2 \
        || { log "pg_ctl stop failed; sending SIGQUIT to $pid"; kill -QUIT "$pid" 2>/dev/null || true; }
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    log "PostgreSQL stopped"
}

redis_start() {
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
        --pidfile "$STACK_DIR/redis.pid" --logfile "$STACK_DIR/redis.log" --dir "$STACK_DIR/redis" \
        --save "" --appendonly no >&2
    wait_for 30 "Redis on port $REDIS_PORT" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping \
        || { tail -n 30 "$STACK_DIR/redis.log" >&2 || true; die "Redis did not start"; }
}

redis_stop() {
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    local deadline=$((SECONDS + 10))
    while pid_alive "$STACK_DIR/redis.pid" && (( SECONDS < deadline )); do sleep 0.2; done
    if pid_alive "$STACK_DIR/redis.pid"; then kill -9 "$(cat "$STACK_DIR/redis.pid")" 2>/dev/null || true; fi
    rm -f "$STACK_DIR/redis.pid"
    log "Redis stopped"
}

worker_start() {
    local celery; celery="$(venv_bin celery)" || die "no celery executable (create the venv first: make install)"
    local log="$STACK_DIR/worker.log"
    (
        # shellcheck disable=SC1091
        source "$STACK_DIR/env"
        export DATABASE_URL="$PLEDGEFLOW_WORKER_DATABASE_URL"
        # The Celery app defaults to production settings; this worker serves tests and local runs.
        export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
        cd "$REPO"
        # A session of its own, so that stopping it can reach its pool processes as one group;
        # -w keeps this launcher alive exactly as long as the worker, for the liveness check below.
        exec setsid -w "$celery" -A config worker --loglevel=INFO --concurrency=2 \
            --hostname="pledgeflow-stack@%h" --pidfile="$STACK_DIR/worker.pid"
    ) >>"$log" 2>&1 </dev/null &
    local launcher=$!
    echo "$launcher" >"$STACK_DIR/worker.launcher.pid"
    local deadline=$((SECONDS + 90))
    until grep -q "pledgeflow-stack@.* ready" "$log" 2>/dev/null; do
        if ! kill -0 "$launcher" 2>/dev/null || (( SECONDS >= deadline )); then
            tail -n 40 "$log" >&2 || true
            die "the Celery worker did not become ready (log: $log)"
        fi
        sleep 0.5
    done
    log "Celery worker ready"
}

worker_stop() {
    local pid=""
    if pid_alive "$STACK_DIR/worker.pid"; then
        pid="$(cat "$STACK_DIR/worker.pid")"
    elif pid_alive "$STACK_DIR/worker.launcher.pid"; then
        # Still starting, before it wrote its pidfile: its launcher's child is the worker.
        pid="$(ps -o pid= --ppid "$(cat "$STACK_DIR/worker.launcher.pid")" | tr -d ' ' | head -n 1)"
    fi
    if [[ -n "$pid" ]]; then
        kill -TERM "$pid" 2>/dev/null || true   # warm shutdown: finish the running task
        local deadline=$((SECONDS + 30))
        while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.3; done
        if kill -0 "$pid" 2>/dev/null; then
            log "worker did not stop in 30 s; killing its process group"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
        log "Celery worker stopped"
    fi
    rm -f "$STACK_DIR/worker.pid" "$STACK_DIR/worker.launcher.pid"
    # The next start waits for a new "ready" line, so set the old log aside.
    if [[ -f "$STACK_DIR/worker.log" ]]; then mv "$STACK_DIR/worker.log" "$STACK_DIR/worker.log.$(date +%s%N)"; fi
    return 0
}

cmd_up() {
    local worker=1 worker_db="main"
    STACK_DIR=""
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --dir) STACK_DIR="$2"; shift 2 ;;
            --worker-db) worker_db="$2"; shift 2 ;;
            --no-worker) worker=""; shift ;;
            *) die "unknown option $1" ;;
        esac
    done
    [[ "$worker_db" == main || "$worker_db" == test ]] || die "--worker-db is main or test"
    ensure_installed
    ensure_service_user
    if [[ -z "$STACK_DIR" ]]; then
        STACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pledgeflow-stack.XXXXXX")"
    fi
    mkdir -p "$STACK_DIR"
    STACK_DIR="$(cd "$STACK_DIR" && pwd)"
    [[ ! -f "$STACK_DIR/state" ]] || die "$STACK_DIR already holds a stack; run down first"
    chmod 755 "$STACK_DIR"

    # From here on a failure tears down whatever was started.
    trap 'log "start-up failed; stopping what was started"; cmd_down_loaded || true' EXIT

    PG_PORT="$(free_port)"
    REDIS_PORT="$(free_port)"
    while [[ "$REDIS_PORT" == "$PG_PORT" ]]; do REDIS_PORT="$(free_port)"; done
    cat >"$STACK_DIR/state" <<EOF
PG_PORT=$PG_PORT
REDIS_PORT=$REDIS_PORT
SERVICE_USER=$SERVICE_USER
EOF
    mkdir -p "$STACK_DIR/pgdata" "$STACK_DIR/pgsock" "$STACK_DIR/pglog" "$STACK_DIR/redis" "$STACK_DIR/media"
    if [[ $EUID -eq 0 ]]; then chown "$SERVICE_USER" "$STACK_DIR/pgdata" "$STACK_DIR/pgsock" "$STACK_DIR/pglog"; fi
    chmod 700 "$STACK_DIR/pgdata"

    local bindir; bindir="$(pg_bindir)"
    log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (dir $STACK_DIR)"
    as_service_user "$bindir/initdb" -D "$STACK_DIR/pgdata" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$STACK_DIR/initdb.log" 2>&1 \
        || { cat "$STACK_DIR/initdb.log" >&2; die "initdb failed"; }
    # A throwaway cluster: durability buys nothing here and costs CI time.
    cat >>"$STACK_DIR/pgdata/postgresql.conf" <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
    postgres_start
    local psql="$bindir/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres"
    # CREATEDB: pytest-django creates and drops its test_<name> database.
    $psql -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'" >&2
    $psql -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2

    log "Redis $(redis-server --version | awk '{print $3}' | sed 's/v=//') on 127.0.0.1:$REDIS_PORT"
    redis_start

    local db_url="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
    local worker_db_url="$db_url"
    [[ "$worker_db" == test ]] && worker_db_url="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/test_$DB_NAME"
    cat >"$STACK_DIR/env" <<EOF
# pledgeflow real stack in $STACK_DIR; stop it with: scripts/stack.sh down --dir $STACK_DIR
export PLEDGEFLOW_STACK_DIR="$STACK_DIR"
export DATABASE_URL="$db_url"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:$REDIS_PORT/1"
export PLEDGEFLOW_STORAGE_DIR="$STACK_DIR/media"
# The database the stack's worker reads (test: pytest-django's test database).
export PLEDGEFLOW_WORKER_DATABASE_URL="$worker_db_url"
export PLEDGEFLOW_STACK_WORKER="$([[ -n "$worker" ]] && echo "pledgeflow-stack@$(hostname)" || true)"
# Where the worker sends e-mail: a port nobody listens on until a test starts its SMTP server there
# (tests/realstack/test_events.py); meanwhile e-mails wait and are retried, as with a mail server down.
export EMAIL_URL="smtp://127.0.0.1:$(free_port)"
EOF
    if [[ -n "$worker" ]]; then
        log "Celery worker (database: ${worker_db_url##*/})"
        worker_start
    fi
    trap - EXIT
    log "up; environment in $STACK_DIR/env"
    echo "$STACK_DIR/env"
}

cmd_down_loaded() {
    worker_stop || true
    redis_stop || true
    postgres_stop || true
    # Only remove what up created: the state file proves it is ours.
    if [[ -f "$STACK_DIR/state" ]]; then
        rm -rf "$STACK_DIR"
        log "removed $STACK_DIR"
    fi
}

cmd_down() {
    if [[ -z "${STACK_DIR:-${PLEDGEFLOW_STACK_DIR:-}}" ]]; then log "no stack to stop"; return 0; fi
    local dir="${STACK_DIR:-$PLEDGEFLOW_STACK_DIR}"
    if [[ ! -f "$dir/state" ]]; then log "no stack in $dir"; return 0; fi
    load_state
    cmd_down_loaded
}

cmd_status() {
    load_state
    local ok=0
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then echo "redis: up (port $REDIS_PORT)"; else echo "redis: down"; ok=1; fi
    if "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then echo "postgres: up (port $PG_PORT)"; else echo "postgres: down"; ok=1; fi
    if pid_alive "$STACK_DIR/worker.pid"; then echo "worker: up (pid $(cat "$STACK_DIR/worker.pid"))"; else echo "worker: down"; fi
    return $ok
}

cmd_run() {
    local up_options=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do up_options+=("$1"); shift; done
    [[ "${1:-}" == "--" ]] && shift
    [[ $# -gt 0 ]] || die "run needs a command: run [up options] -- CMD ARGS"
    local env_file
    env_file="$(cmd_up ${up_options[@]+"${up_options[@]}"})"
    STACK_DIR="$(dirname "$env_file")"
    trap 'cmd_down_loaded' EXIT
    load_state
    trap 'exit 130' INT TERM
    # shellcheck disable=SC1090
    source "$env_file"
    "$@"
}

main() {
    local cmd="${1:-}"; shift || true
    STACK_DIR=""
    if [[ "$cmd" != up ]]; then
        local args=()
        while [[ $# -gt 0 ]]; do
            if [[ "$1" == --dir ]]; then STACK_DIR="$2"; shift 2; else args+=("$1"); shift; fi
        done
        set -- ${args[@]+"${args[@]}"}
    fi
    case "$cmd" in
        up) cmd_up "$@" ;;
        down) cmd_down ;;
        status) cmd_status ;;
        redis-stop) load_state; redis_stop ;;
        redis-start) load_state; redis_start ;;
        postgres-stop) load_state; postgres_stop ;;
        postgres-start) load_state; postgres_start; wait_for 30 "PostgreSQL on port $PG_PORT" "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" ;;
        worker-stop) load_state; worker_stop ;;
        worker-start) load_state; worker_start ;;
        run) cmd_run "$@" ;;
        *) sed -n '2,/^set -euo pipefail/{/^set /d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
    esac
}

main "$@"
