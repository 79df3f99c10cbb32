#!/usr/bin/env bash
# Schemathesis against the running service, as anonymous, applicant, officer and registrar: every
# generated request must answer without a server error and within the OpenAPI schema it publishes.
#
#   scripts/fuzz_api.sh [--max-examples N] [--phases LIST] [--checks LIST]
#
# Seeds the demo into a fresh SQLite database of its own (never the dev database), serves it on a
# free loopback port, runs one schemathesis pass per identity, stops the server, and exits non-zero
# if any pass failed. It only ever talks to 127.0.0.1. Reports land in var/fuzz/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
PY="${PLEDGEFLOW_PYTHON:-$REPO/.venv/bin/python}"
SCHEMATHESIS="$(dirname "$PY")/schemathesis"
MAX_EXAMPLES=25
# The coverage phase sends each parameter's boundaries (dates in 0001 and 9999, integers past a
# bigint, empty and over-long strings): 13,032 cases in about 3 minutes on 2 cores. `--phases
# examples,fuzzing` alone is 2,400 cases in under 90 seconds.
PHASES=examples,coverage,fuzzing
CHECKS=not_a_server_error,response_schema_conformance,status_code_conformance
while [[ $# -gt 0 ]]; do
    case "$1" in
        --max-examples) MAX_EXAMPLES="$2"; shift 2 ;;
        --phases) PHASES="$2"; shift 2 ;;
        --checks) CHECKS="$2"; shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

OUT="$REPO/var/fuzz"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pledgeflow-fuzz.XXXXXX")"
SERVER_PID=""
rm -rf "$OUT" && mkdir -p "$OUT"

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
    rm -rf "$WORK"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# The service as the suite runs it (test settings: no debug pages, tasks in-process), on its own
# database and storage so nothing a developer keeps is touched. The serving process is told its
# settings: config.wsgi alone defaults to production.
export DJANGO_SETTINGS_MODULE=config.settings.test
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export PLEDGEFLOW_STORAGE_DIR="$WORK/media"
export CELERY_TASK_ALWAYS_EAGER=true
export CELERY_BROKER_URL="memory://"
unset REDIS_URL || true

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo --password demo >/dev/null

# Path parameters drawn half the time from what the demo holds, so detail views, transitions and
# the desk answer with real objects (and their bodies are checked against the schema), not only 404s.
"$PY" manage.py shell -v 0 -c '
import json
from financing.models import TRANSITION_NAMES
from patents.models import Patent
print("[dictionaries.ids]")
print("values = " + json.dumps(list(range(1, 41))))
print("[dictionaries.patent_numbers]")
print("values = " + json.dumps(sorted(Patent.objects.values_list("number", flat=True))))
print("[dictionaries.transitions]")
print("values = " + json.dumps(list(TRANSITION_NAMES)))
print("[parameters]")
print("\"path.id\" = { dictionary = \"ids\", probability = 0.5 }")
print("\"path.number\" = { dictionary = \"patent_numbers\", probability = 0.5 }")
print("\"path.name\" = { dictionary = \"transitions\", probability = 0.5 }")
' >"$OUT/schemathesis.toml"

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
# gunicorn, as in production: runserver's wsgiref cannot read a chunked request body and leaves its
# "0" terminator on the connection, which schemathesis then sees as a dropped connection.
"$(dirname "$PY")/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 2 --timeout 60 \
    --access-logfile "$OUT/access.log" --error-logfile - >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$BASE/api/v1/schema/" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
    sleep 0.2
done
curl -fsS "$BASE/api/v1/schema/?format=json" -o "$OUT/schema.json"

token_of() {  # the token endpoint answers {"token": ...} (DRF authtoken or knox alike)
    curl -fsS -X POST "$BASE/api/v1/auth/token/" -H 'Content-Type: application/json' \
        -d "{\"username\": \"$1\", \"password\": \"demo\"}" \
        | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

fuzz_as() {  # fuzz_as NAME [TOKEN]: one schemathesis pass; its status in $OUT/NAME.status
    local name="$1" token="${2:-}"
    local auth=()
    [[ -n "$token" ]] && auth=(-H "Authorization: Token $token")
    local rc=0
    # From var/fuzz/, where schemathesis keeps its .schemathesis/ cache.
    (cd "$OUT" && "$SCHEMATHESIS" --config-file "$OUT/schemathesis.toml" run "$OUT/schema.json" --url "$BASE" \
        --checks "$CHECKS" --phases "$PHASES" \
        --max-examples "$MAX_EXAMPLES" --workers 1 --seed 20261121 \
        --no-shrink --generation-database none --request-timeout 30 \
        --report junit --report-junit-path "$OUT/$name.xml" \
        --no-color --output-truncate true ${auth[@]+"${auth[@]}"} </dev/null >"$OUT/$name.log" 2>&1) || rc=$?
    echo "$rc" >"$OUT/$name.status"
}

# The four passes run side by side, each in its own process: schemathesis' own threads (--workers)
# trip a CPython 3.11 ast bug in hypothesis ("AST constructor recursion depth mismatch").
IDENTITIES=(anonymous applicant officer registrar)
pids=()
for identity in "${IDENTITIES[@]}"; do
    token=""
    [[ "$identity" != anonymous ]] && token="$(token_of "$identity")"
    fuzz_as "$identity" "$token" &
    pids+=($!)
done
wait "${pids[@]}" || true

failed=()
total=0
for identity in "${IDENTITIES[@]}"; do
    echo "--- schemathesis as $identity"
    sed -n '/SUMMARY/,$p' "$OUT/$identity.log"
    cases="$(grep -Eo '[0-9]+ generated' "$OUT/$identity.log" | tail -n1 | grep -Eo '[0-9]+' || echo 0)"
    total=$((total + cases))
    if [[ "$(cat "$OUT/$identity.status")" != 0 ]]; then
        failed+=("$identity")
        echo "(full output: $OUT/$identity.log)"
    fi
done
echo "=== $total cases generated in all"

if grep -q "Traceback" "$OUT/server.log"; then
    echo "--- the server logged tracebacks (see $OUT/server.log)"
    failed+=("server tracebacks")
fi
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "=== schemathesis failed as: ${failed[*]}"
    exit 1
fi
echo "=== schemathesis clean as anonymous, applicant, officer and registrar"
