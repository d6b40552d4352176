#!/usr/bin/env bash
# Consumer search and profile pages at 10,000,000 consumers (bulk-loaded synthetic profiles on the
# demo brand, `fullchain bench load-consumers`), on SQLite and then PostgreSQL, release build.
# HQ finds consumers by phone number (hits and misses), lists them by stage, region and store, and
# opens profiles (pages and API); a regional manager searches within their reach. 8 connections
# (people waiting for their answer). Each window is preceded by one of the yardstick
# (../shared/bench/reference-server, GET /hello, same connections) in the same run.
# Prints, per window: requests/s, p50/p95/p99 (ms), server CPU per request (µs, user + system from
# /proc), and the yardstick's figures beside it.
# Usage: benchmarks/consumer-search.sh [CONSUMERS]   (default 10000000; DURATION=10s, BACKENDS="sqlite postgres")
source "$(dirname "$0")/lib.sh"
CONSUMERS=${1:-10000000}
export CONNECTIONS=${CONNECTIONS:-8}

if [[ ${INNER:-} != 1 ]]; then
  build_release
  REFERENCE_DIR=${REFERENCE_SERVER_DIR:-$ROOT/../shared/bench/reference-server}
  (cd "$ROOT" && swift build -c release --package-path "$REFERENCE_DIR" --scratch-path .build-reference 2>&1 | grep -E "error|Build" | tail -1)
  for backend in ${BACKENDS:-sqlite postgres}; do
    if [[ $backend == postgres ]]; then
      INNER=1 BACKEND=postgres "$ROOT/scripts/with-postgres.sh" bash "$0" "$CONSUMERS"
    else
      INNER=1 BACKEND=sqlite bash "$0" "$CONSUMERS"
    fi
  done
  exit 0
fi

REFERENCE_BIN="$ROOT/.build-reference/release/reference-server"
REFERENCE_PORT=$(free_port)
"$REFERENCE_BIN" "$REFERENCE_PORT" > "$WORK/reference.log" 2>&1 &
REFERENCE_PID=$!
trap 'kill $REFERENCE_PID 2>/dev/null || true; cleanup' EXIT

if [[ $BACKEND == postgres ]]; then database=$FULLCHAIN_TEST_POSTGRES_URL; else database="$WORK/consumers.sqlite"; fi
key="$WORK/consumers.master-key"
echo "== $BACKEND: loading the demo brand and $CONSUMERS consumers…"
/usr/bin/time -f "demo: %e s" "$BIN" demo --database "$database" --master-key-file "$key" --stores 5000 --load-only --log-level warning
/usr/bin/time -f "consumers: %e s, %M KB" "$BIN" bench load-consumers --database "$database" --master-key-file "$key" \
  --count "$CONSUMERS" --searchable 10000 | tail -1 | tee "$WORK/load.json"
PORT=$(free_port)
"$BIN" serve --port "$PORT" --database "$database" --master-key-file "$key" --log-level warning --rate-limit off > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
TOKEN=$(login demo admin fullchain-demo)
MANAGER=$(login demo mgr-r01 fullchain-demo)

python3 - "$WORK" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["first_id"])' "$WORK/load.json")" "$CONSUMERS" <<'PY'
import random, sys
work, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(11)
def phone():
    # Four in five find someone (the first 10,000 profiles have phones 1390000xxxx), one in five nobody.
    return "1390000" + str(10000 + random.randrange(10000))[-4:] if random.random() < 0.8 else "1391111" + f"{random.randrange(10000):04d}"
search_api = [f"/api/v1/consumers?q={phone()}" for _ in range(2000)]
search_page = [f"/consumers?q={phone()}" for _ in range(2000)]
stages = ["new", "active", "loyal", "dormant"]
lists = []
for i in range(2000):
    kind = i % 3
    if kind == 0: lists.append(f"/consumers?stage={random.choice(stages)}&page={1 + random.randrange(20)}")
    elif kind == 1: lists.append(f"/consumers?region=110000000000&page={1 + random.randrange(5)}")
    else: lists.append(f"/consumers?storeId={random.randrange(1, 5000)}")
# Profiles: half of them people with phones and scans, half anyone among the millions.
profiles = [f"/consumers/{first + random.randrange(10000) if i % 2 == 0 else first + random.randrange(count)}" for i in range(2000)]
profiles_api = [p.replace("/consumers/", "/api/v1/consumers/") for p in profiles]
for name, paths in [("search_api", search_api), ("search_page", search_page), ("lists", lists), ("profiles", profiles), ("profiles_api", profiles_api)]:
    open(f"{work}/{name}.txt", "w").write("\n".join(paths))
PY

# A quick check that a search finds someone.
hit=$(curl -fs "http://127.0.0.1:$PORT/api/v1/consumers?q=13900000001" -H "authorization: Bearer $TOKEN")
[[ $hit == *'"total":1'* ]] || { echo "the search found nobody: $hit"; exit 1; }
# cpu PID: the process's user + system time so far, in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
# measured PID JSON: adds the process's CPU per request (µs) in the window to wrk's JSON line.
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
DURATION=3s WRK_PATHS=$WORK/profiles.txt WRK_HEADER="Cookie: fc_session=$TOKEN" wrk_json / >/dev/null
window "search API, HQ" search_api.txt "Authorization: Bearer $TOKEN"
window "search page, HQ" search_page.txt "Cookie: fc_session=$TOKEN"
window "search API, manager" search_api.txt "Authorization: Bearer $MANAGER"
window "profile page, HQ" profiles.txt "Cookie: fc_session=$TOKEN"
window "profile API, HQ" profiles_api.txt "Authorization: Bearer $TOKEN"
window "list pages, HQ (filters)" lists.txt "Cookie: fc_session=$TOKEN"
