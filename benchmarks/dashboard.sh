#!/usr/bin/env bash
# The dashboard at 100,000 stores and 100,000,000 consumer scans over a year (`fullchain bench
# load-dashboard` on the demo brand: synthetic 业代 of ~50 stores each under the demo's cities), on
# SQLite and then PostgreSQL, release build. Each level reads its own dashboard over mixed periods
# (last 7/30/90 days, this and last month, custom ranges), with 环比 and 同比, trend, child rows and
# cities: HQ (admin), a 大区 manager (mgr-r01), a city manager (bench-city) and a salesperson
# (bench-sp, their stores), through GET /api/v1/dashboard and the page. 8 connections (people
# waiting for their answer). Each window is preceded by one of the yardstick
# (../shared/bench/reference-server, GET /hello, same connections) in the same run.
# Prints, per window: requests/s, p50/p95/p99 (ms), server CPU per request (µs, user + system from
# /proc), and the yardstick's figures beside it.
# Usage: benchmarks/dashboard.sh [STORES] [SCANS]   (default 100000 100000000; DURATION=10s, BACKENDS="sqlite postgres")
source "$(dirname "$0")/lib.sh"
STORES=${1:-100000}
SCANS=${2:-100000000}
export CONNECTIONS=${CONNECTIONS:-8}
if [[ ${INNER:-} != 1 ]]; then
  build_release
  REFERENCE_DIR=${REFERENCE_SERVER_DIR:-$ROOT/../shared/bench/reference-server}
  (cd "$ROOT" && swift build -c release --package-path "$REFERENCE_DIR" --scratch-path .build-reference 2>&1 | grep -E "error|Build" | tail -1)
  for backend in ${BACKENDS:-sqlite postgres}; do
    if [[ $backend == postgres ]]; then
      INNER=1 BACKEND=postgres "$ROOT/scripts/with-postgres.sh" bash "$0" "$STORES" "$SCANS"
    else
      INNER=1 BACKEND=sqlite bash "$0" "$STORES" "$SCANS"
    fi
  done
  exit 0
fi
REFERENCE_BIN="$ROOT/.build-reference/release/reference-server"
REFERENCE_PORT=$(free_port)
"$REFERENCE_BIN" "$REFERENCE_PORT" > "$WORK/reference.log" 2>&1 &
REFERENCE_PID=$!
trap 'kill $REFERENCE_PID 2>/dev/null || true; cleanup' EXIT
if [[ $BACKEND == postgres ]]; then database=$FULLCHAIN_TEST_POSTGRES_URL; else database="$WORK/dashboard.sqlite"; fi
key="$WORK/dashboard.master-key"
echo "== $BACKEND: loading the demo brand, $STORES stores and $SCANS scans…"
/usr/bin/time -f "demo: %e s" "$BIN" demo --database "$database" --master-key-file "$key" --stores 600 --load-only --log-level warning
/usr/bin/time -f "dashboard data: %e s, %M KB" "$BIN" bench load-dashboard --database "$database" --master-key-file "$key" \
  --stores "$STORES" --scans "$SCANS" | tail -1
PORT=$(free_port)
"$BIN" serve --port "$PORT" --database "$database" --master-key-file "$key" --log-level warning --rate-limit off > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
HQ=$(login demo admin fullchain-demo)
REGION=$(login demo mgr-r01 fullchain-demo)
CITY=$(login demo bench-city fullchain-demo)
SALES=$(login demo bench-sp fullchain-demo)
python3 - "$WORK" <<'PY'
import datetime, random, sys
work = sys.argv[1]
random.seed(5)
today = datetime.date.today()
queries = []
for i in range(500):
    kind = i % 6
    if kind == 0: queries.append("preset=last30")
    elif kind == 1: queries.append("preset=last7")
    elif kind == 2: queries.append("preset=last90")
    elif kind == 3: queries.append("preset=thisMonth")
    elif kind == 4: queries.append("preset=lastMonth")
    else:
        end = today - datetime.timedelta(days=random.randrange(0, 300))
        start = end - datetime.timedelta(days=random.randrange(0, 60))
        queries.append(f"from={start}&to={end}")
open(f"{work}/api.txt", "w").write("\n".join("/api/v1/dashboard?" + q for q in queries))
open(f"{work}/page.txt", "w").write("\n".join("/?" + q for q in queries))
PY
# A quick check that HQ sees the scans.
total=$(curl -fs "http://127.0.0.1:$PORT/api/v1/dashboard?preset=last30" -H "authorization: Bearer $HQ" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"]["current"]["scans"])')
echo "HQ's consumer scans in the last 30 days: $total"
[[ $total -gt 0 ]] || { echo "the dashboard shows no scans"; exit 1; }
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
measured() {
  local pid=$1; shift
  local before after line
  before=$(cpu "$pid")
  line=$("$@")
  after=$(cpu "$pid")
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["cpu_us_per_request"]=round(1e6*int(sys.argv[2])/int(sys.argv[3])/max(r["requests"],1)); print(json.dumps(r))' \
    "$line" "$((after - before))" "$HZ"
}
yardstick() { PORT=$REFERENCE_PORT measured "$REFERENCE_PID" wrk_json /hello; }
window() {
  local label=$1 file=$2 header=$3
  local ref
  ref=$(yardstick)
  printf '%-28s %s\n%-28s %s\n' "yardstick GET /hello" "$ref" "$label" \
    "$(WRK_PATHS=$WORK/$file WRK_HEADER="$header" measured "$SERVER_PID" wrk_json /)"
}
DURATION=3s WRK_PATHS=$WORK/api.txt WRK_HEADER="Authorization: Bearer $HQ" wrk_json / >/dev/null
window "dashboard API, HQ" api.txt "Authorization: Bearer $HQ"
window "dashboard API, 大区" api.txt "Authorization: Bearer $REGION"
window "dashboard API, 城市" api.txt "Authorization: Bearer $CITY"
window "dashboard API, 业代" api.txt "Authorization: Bearer $SALES"
window "dashboard page, HQ" page.txt "Cookie: fc_session=$HQ"
window "dashboard page, 业代" page.txt "Cookie: fc_session=$SALES"
