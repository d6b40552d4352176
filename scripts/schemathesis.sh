#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis (PyPI), against the built
# server on a small demo brand in a temporary SQLite database, signed in as HQ.
#
#   scripts/schemathesis.sh [BIN_PATH]     BIN_PATH: the folder holding the built `fullchain`
#
# Fails on any 5xx, and on any response whose status, content type or body the document does
# not describe. The public rate limits are off, so that every example reaches its handler
# (they have tests of their own). MAX_EXAMPLES (default 8) bounds the random examples per operation, MAX_TIME
# (default 300 s) the whole run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${1:-$(swift build --show-bin-path)}/fullchain
MAX_EXAMPLES=${MAX_EXAMPLES:-8}
[[ -x $BIN ]] || { echo "schemathesis.sh: $BIN is not built" >&2; exit 1; }
command -v schemathesis >/dev/null 2>&1 || python3 -m pip install --quiet "schemathesis==4.32.5"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fullchain-st.XXXXXX")
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" demo --stores 60 --rate-limit off --port "$PORT" --database "$WORK/st.sqlite" --master-key-file "$WORK/master.key" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "schemathesis.sh: the server did not start" >&2; exit 1; }
    sleep 0.5
done
TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d '{"tenant":"demo","username":"admin","password":"fullchain-demo"}' \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

# Signing out, revoking a token and changing a user (the run's own session, password or role)
# would end the run's session midway; the hostile-input suite attacks those three. Everything
# else is fuzzed: the boundary values of every documented field, then random examples. One
# worker: hypothesis parses strategy sources with CPython's ast, which is not safe across threads.
set +e
# (Run from the temporary folder: schemathesis keeps its example database in the working directory.)
(cd "$WORK" && schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-operation-id logout --exclude-operation-id revokeToken --exclude-operation-id updateUser \
    --phases coverage,fuzzing --max-examples "$MAX_EXAMPLES" --generation-deterministic \
    --workers 1 --request-timeout 30 --max-time "${MAX_TIME:-300}" --no-color \
    --report junit --report-junit-path "$WORK/junit.xml") 2>&1 | tee "$WORK/st.log"
status=${PIPESTATUS[0]}
set -e
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "schemathesis.sh: the server died during the run" >&2
    tail -50 "$WORK/server.log" >&2
    exit 1
fi
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "schemathesis.sh: the server stopped answering" >&2; exit 1; }
exit "$status"
