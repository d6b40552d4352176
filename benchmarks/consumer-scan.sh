#!/usr/bin/env bash
# Consumer scans (POST /api/v1/scans) on the release build, 64 keep-alive connections, against
# GET /healthz of the same server in the same run. Every scan is acknowledged after its commit.
# Usage: benchmarks/consumer-scan.sh [sqlite|postgres|both]   (default both)
# One server: ROUNDS (4) scan windows of WINDOW (5s), each between two /healthz windows; it prints
# each window and the run's totals (rps, the largest and the median window p99) and their ratio.
# PostgreSQL runs on a throwaway cluster (scripts/with-postgres.sh).
# CAMPAIGN=1 runs a live campaign on the scanned product (a draw, limits, the store's reward and
# ledger entries on every fresh code); NODES=2 (PostgreSQL) serves from two servers sharing the
# database, each driven by its own wrk, and reports their sum. Plain runs scan a product no
# campaign covers.
source "$(dirname "$0")/lib.sh"
BACKENDS=${1:-both}
build_release

# bench_backend NAME DATABASE: loads the demo brand, makes 200,000 activated codes shipped to a
# distributor and received by its store, measures consumer scans at that store.
bench_backend() {
  local name=$1 database=$2
  local key="$WORK/$name.master-key"
  "$BIN" demo --database "$database" --master-key-file "$key" --stores 2000 --load-only --log-level warning
  start_server "$database" --master-key-file "$key"
  local token
  token=$(login demo admin fullchain-demo)
  local product
  product=$(uncovered_product "$token")
  if [[ ${CAMPAIGN:-0} == 1 ]]; then
    # Every scan draws: 1 in 10 wins a ¥1.88 red packet, 3 in 10 win points; the store earns ¥0.20 a scan.
    local now
    now=$(python3 -c 'import time; print(int(time.time() * 1000))')
    curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/campaigns" -H "authorization: Bearer $token" -H 'content-type: application/json' -d "{
      \"name\":\"bench\",\"productIDs\":[$product],\"startsAt\":$((now - 60000)),\"endsAt\":$((now + 86400000)),
      \"tiers\":[{\"name\":\"red packet\",\"kind\":\"cash\",\"amountFen\":188,\"probability\":0.1},{\"name\":\"points\",\"kind\":\"points\",\"points\":10,\"probability\":0.3}],
      \"budgetFen\":1000000000,\"storeRewardFen\":20,\"storeBudgetFen\":1000000000,\"perConsumerPerDay\":1000,\"perDevicePerDay\":1000}" >/dev/null
  fi
  received_codes "$token" "$product"
  echo "$name: $(wc -l < "$WORK/codes.txt") genuine codes to scan"
  if [[ ${NODES:-1} == 2 ]]; then
    bench_two_nodes "$name" "$database" "$key"
    stop_server
    return
  fi
  # Warm up, then ROUNDS scan windows, each between two baseline windows: a shared machine's
  # speed drifts over a run, and interleaving keeps scans and baseline under the same drift.
  DURATION=3s SCAN_CODES="$WORK/codes.txt.warm" wrk_json /api/v1/scans >/dev/null
  local rounds=${ROUNDS:-4} window=${WINDOW:-5s}
  # Each window scans codes no other window scans, so every measured scan is a first scan.
  python3 - "$WORK/codes.txt" "$rounds" <<'PY'
import sys
codes = open(sys.argv[1]).read().split()
rounds = int(sys.argv[2])
size = len(codes) // rounds
for index in range(rounds):
    open(f"{sys.argv[1]}.{index}", "w").write("\n".join(codes[index * size:(index + 1) * size]) + "\n")
PY
  DURATION=$window wrk_json /healthz > "$WORK/h.0"
  for ((round = 0; round < rounds; round++)); do
    DURATION=$window SCAN_CODES="$WORK/codes.txt.$round" wrk_json /api/v1/scans > "$WORK/s.$round"
    DURATION=$window wrk_json /healthz > "$WORK/h.$((round + 1))"
  done
  python3 - "$name" "$WORK" "$rounds" <<'PY'
import json, sys
name, work, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
read = lambda path: json.loads(open(path).read())
healthz = [read(f"{work}/h.{i}") for i in range(rounds + 1)]
scans = [read(f"{work}/s.{i}") for i in range(rounds)]
def total(runs):
    requests, seconds = sum(r["requests"] for r in runs), sum(r["seconds"] for r in runs)
    return {"requests": requests, "seconds": round(seconds, 2), "rps": round(requests / seconds),
            "p99_ms_max": max(r["p99_ms"] for r in runs), "p99_ms_median": sorted(r["p99_ms"] for r in runs)[len(runs) // 2],
            "errors": sum(r["errors"] for r in runs)}
for i, run in enumerate(scans):
    around = (healthz[i]["rps"] + healthz[i + 1]["rps"]) / 2
    print(f"{name} window {i + 1}: scans {run['rps']}/s (p99 {run['p99_ms']} ms), healthz around it {around:.0f}/s, ratio {run['rps'] / around:.3f}")
print(f"{name} healthz: {json.dumps(total(healthz))}")
print(f"{name} scans:   {json.dumps(total(scans))}")
print(f"{name} ratio:   {total(scans)['rps'] / total(healthz)['rps']:.3f} (all scans / all healthz of the run)")
PY
  stop_server
}

# bench_two_nodes NAME DATABASE KEY: a second server on the same database; 32 connections to each.
bench_two_nodes() {
  local name=$1 database=$2 key=$3
  local first=$PORT second
  second=$(free_port)
  "$BIN" serve --port "$second" --database "$database" --master-key-file "$key" --log-level warning --rate-limit off > "$WORK/server2.log" 2>&1 &
  local second_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$second/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  # on_both PATH OUT [CODES]: wrk on each node at once (32 connections each; node N scans CODES.N) and their sum.
  on_both() {
    (if [[ -n ${3:-} ]]; then export SCAN_CODES=$3.1; fi; PORT=$first CONNECTIONS=32 wrk_json "$1" > "$2.1") & local a=$!
    (if [[ -n ${3:-} ]]; then export SCAN_CODES=$3.2; fi; PORT=$second CONNECTIONS=32 wrk_json "$1" > "$2.2") & local b=$!
    wait $a $b
    python3 - "$2.1" "$2.2" <<'PY'
import json, sys
runs = [json.loads(open(f).read()) for f in sys.argv[1:]]
print(json.dumps({"rps": round(sum(r["rps"] for r in runs)), "p99_ms": max(r["p99_ms"] for r in runs),
                  "errors": sum(r["errors"] for r in runs), "nodes": runs}))
PY
  }
  # Each node scans its own half of the codes (both halves share the campaign's budget).
  head -n 20000 "$WORK/codes.txt.warm" > "$WORK/warm.1"; tail -n 20000 "$WORK/codes.txt.warm" > "$WORK/warm.2"
  local half=$(( $(wc -l < "$WORK/codes.txt") / 2 ))
  head -n "$half" "$WORK/codes.txt" > "$WORK/codes.1"; tail -n +"$((half + 1))" "$WORK/codes.txt" > "$WORK/codes.2"
  DURATION=3s on_both /api/v1/scans "$WORK/w" "$WORK/warm" >/dev/null
  echo "$name 2 nodes healthz: $(on_both /healthz "$WORK/h1")"
  echo "$name 2 nodes scans:   $(on_both /api/v1/scans "$WORK/s" "$WORK/codes")"
  echo "$name 2 nodes healthz: $(on_both /healthz "$WORK/h2")"
  kill "$second_pid" 2>/dev/null || true; wait "$second_pid" 2>/dev/null || true
  if [[ ${CAMPAIGN:-0} == 1 ]]; then
    "$BIN" ledger check --database "$database" --tenant demo | tail -3
  fi
}

if [[ $BACKENDS == sqlite || $BACKENDS == both ]]; then
  bench_backend sqlite "$WORK/scans.sqlite"
fi
if [[ $BACKENDS == postgres || $BACKENDS == both ]]; then
  if [[ -z ${FULLCHAIN_TEST_POSTGRES_URL:-} ]]; then
    "$ROOT/scripts/with-postgres.sh" "$0" postgres
    exit $?
  fi
  bench_backend postgres "$FULLCHAIN_TEST_POSTGRES_URL"
fi
