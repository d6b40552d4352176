#!/usr/bin/env bash
# What a verified identity costs the scan path: consumer scans from a phone signed in with WeChat
# (the sealed session cookie the sign-in sets, opened on every scan) against scans that name their
# consumer in the body (an openid asserted, as before sign-in existed: the same rows are written) and
# anonymous scans, on the release build (SQLite), with the yardstick (../shared/bench/reference-server,
# POST /echo with the same bodies) in the same run: windows interleaved yardstick, anonymous,
# yardstick, asserted, yardstick, signed in, …
# For each kind it prints throughput, p99, the ratio to the yardstick around it, and the server's
# CPU time per request (user + system, from /proc); then signed-in CPU per scan over anonymous.
# Sign-in goes through `fullchain fake-wechat`, the local stand-in for WeChat, as a phone would.
# Usage: benchmarks/consumer-sign-in.sh   (ROUNDS=3 rounds of three WINDOW=5s windows)
source "$(dirname "$0")/lib.sh"
build_release
REFERENCE_DIR=${REFERENCE_SERVER_DIR:-$ROOT/../shared/bench/reference-server}
(cd "$ROOT" && swift build -c release --package-path "$REFERENCE_DIR" --scratch-path .build-reference 2>&1 | grep -E "error|Compiling|Build" | tail -1)
REFERENCE_BIN="$ROOT/.build-reference/release/reference-server"
REFERENCE_PORT=$(free_port)
"$REFERENCE_BIN" "$REFERENCE_PORT" > "$WORK/reference.log" 2>&1 &
REFERENCE_PID=$!
WECHAT_PORT=$(free_port)
APP_ID=wxbench0000signin SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
"$BIN" fake-wechat --port "$WECHAT_PORT" --app "$APP_ID:$SECRET" > "$WORK/wechat.log" 2>&1 &
WECHAT_PID=$!
trap 'kill $REFERENCE_PID $WECHAT_PID 2>/dev/null || true; cleanup' EXIT

database="$WORK/signin.sqlite" key="$WORK/signin.master-key"
"$BIN" demo --database "$database" --master-key-file "$key" --stores 2000 --load-only --log-level warning
PORT=$(free_port)
start_server_on() {
  "$BIN" serve --port "$PORT" --database "$database" --master-key-file "$key" --log-level warning --rate-limit off \
    --wechat-authorize-url "http://127.0.0.1:$WECHAT_PORT" --wechat-api-url "http://127.0.0.1:$WECHAT_PORT" \
    --public-url "http://127.0.0.1:$PORT" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server did not start:"; cat "$WORK/server.log"; exit 1
}
start_server_on
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$REFERENCE_PORT/hello" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(login demo admin fullchain-demo)
curl -fs -X PUT "http://127.0.0.1:$PORT/api/v1/consumer-sign-in/wechat" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d "{\"appID\":\"$APP_ID\",\"secret\":\"$SECRET\"}" >/dev/null
received_codes "$token" "$(uncovered_product "$token")"

# Sign in as a phone does: the unit's page → WeChat (the stand-in agrees as `bench`) → back with a code.
first=$(head -1 "$WORK/codes.txt.warm")
curl -fs -D "$WORK/h1" -o /dev/null "http://127.0.0.1:$PORT/c/$first/wechat?device=bench-1"
attempt=$(grep -i '^set-cookie: fc_signin=' "$WORK/h1" | sed 's/^[^=]*=\([^;]*\).*/\1/')
authorize=$(grep -i '^location:' "$WORK/h1" | sed 's/^[^:]*: //; s/#.*//' | tr -d '\r')
curl -fs -D "$WORK/h2" -o /dev/null "$authorize&user=bench"
callback=$(grep -i '^location:' "$WORK/h2" | sed 's/^[^:]*: //; s/#.*//' | tr -d '\r')
curl -fs -D "$WORK/h3" -o /dev/null -H "cookie: fc_signin=$attempt" "$callback"
session=$(grep -i '^set-cookie: fc_consumer=' "$WORK/h3" | sed 's/^[^=]*=\([^;]*\).*/\1/')
[[ -n $session ]] || { echo "sign-in failed"; cat "$WORK/h1" "$WORK/h2" "$WORK/h3"; exit 1; }
check=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/scans" -H 'content-type: application/json' -H "cookie: fc_consumer=$session" \
  -H 'sec-fetch-site: same-origin' -d "{\"code\":\"$(sed -n 2p "$WORK/codes.txt.warm")\",\"deviceID\":\"bench-1\"}")
[[ $check == *'"signedIn":true'* ]] || { echo "a scan with the session is not signed in: $check"; exit 1; }
echo "signed in through the stand-in WeChat; $(wc -l < "$WORK/codes.txt") codes to scan"

rounds=${ROUNDS:-3} window=${WINDOW:-5s}
python3 - "$WORK/codes.txt" "$((3 * rounds))" <<'PY'
import sys
codes = open(sys.argv[1]).read().split()
parts = int(sys.argv[2])
size = len(codes) // parts
for index in range(parts):
    open(f"{sys.argv[1]}.{index}", "w").write("\n".join(codes[index * size:(index + 1) * size]) + "\n")
PY
# cpu PID: the process's user + system time so far, in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# measure OUT PID PORT PATH [VAR=value…]: one window of wrk (1 thread, 64 keep-alive connections)
# against PORT with the environment given; writes wrk's JSON line and PID's CPU ticks in the window.
measure() {
  local out=$1 pid=$2 port=$3 path=$4; shift 4
  local before after
  before=$(cpu "$pid")
  env "$@" wrk -t1 -c"${CONNECTIONS:-64}" -d"$window" --latency -s "$ROOT/benchmarks/lua/report.lua" "http://127.0.0.1:$port$path" | tail -1 > "$out.json"
  after=$(cpu "$pid")
  echo "$((after - before))" > "$out.cpu"
}
DURATION=3s SCAN_CODES="$WORK/codes.txt.warm" wrk_json /api/v1/scans >/dev/null
yardstick() { measure "$WORK/ref.$1" "$REFERENCE_PID" "$REFERENCE_PORT" /echo SCAN_PATH=/echo SCAN_CODES="$WORK/codes.txt.0"; }
yardstick 0
for ((round = 0; round < rounds; round++)); do
  measure "$WORK/anon.$round" "$SERVER_PID" "$PORT" /api/v1/scans SCAN_CODES="$WORK/codes.txt.$((3 * round))"
  yardstick "$((3 * round + 1))"
  measure "$WORK/asserted.$round" "$SERVER_PID" "$PORT" /api/v1/scans SCAN_CODES="$WORK/codes.txt.$((3 * round + 1))" SCAN_OPENID=o-bench-asserted
  yardstick "$((3 * round + 2))"
  measure "$WORK/signed.$round" "$SERVER_PID" "$PORT" /api/v1/scans SCAN_CODES="$WORK/codes.txt.$((3 * round + 2))" SCAN_COOKIE="fc_consumer=$session"
  yardstick "$((3 * round + 3))"
done
python3 - "$WORK" "$rounds" "$(getconf CLK_TCK)" <<'PY'
import json, sys
work, rounds, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def read(name):
    run = json.loads(open(f"{work}/{name}.json").read())
    run["cpu_s"] = int(open(f"{work}/{name}.cpu").read()) / hz
    return run
refs = [read(f"ref.{i}") for i in range(3 * rounds + 1)]
def kind(prefix, offset):
    runs = [read(f"{prefix}.{i}") for i in range(rounds)]
    around = [(refs[3 * i + offset]["rps"] + refs[3 * i + offset + 1]["rps"]) / 2 for i in range(rounds)]
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    cpu_us = 1e6 * sum(r["cpu_s"] for r in runs) / requests
    ratio = (requests / seconds) / (sum(around) / rounds)
    errors = sum(r["errors"] for r in runs)
    print(f"{prefix:>8} scans: {requests / seconds:,.0f}/s, p99 max {max(r['p99_ms'] for r in runs)} ms, "
          f"{ratio:.3f} of the yardstick around them, server CPU {cpu_us:.0f} µs per scan, errors {errors}")
    return cpu_us
ref_requests = sum(r["requests"] for r in refs)
ref_cpu = 1e6 * sum(r["cpu_s"] for r in refs) / ref_requests
print(f"   yardstick: {ref_requests / sum(r['seconds'] for r in refs):,.0f}/s (POST /echo), CPU {ref_cpu:.0f} µs per request")
anon = kind("anon", 0)
asserted = kind("asserted", 1)
signed = kind("signed", 2)
print(f"signed-in CPU per scan / asserted-openid CPU per scan: {signed / asserted:.3f} (target at most 1.10); "
      f"signed in / anonymous {signed / anon:.3f}; over the yardstick's CPU per request: anonymous {anon / ref_cpu:.2f}, "
      f"asserted {asserted / ref_cpu:.2f}, signed in {signed / ref_cpu:.2f}")
PY
"$BIN" ledger check --database "$database" --tenant demo | tail -1
