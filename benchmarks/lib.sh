# Shared helpers for the benchmark scripts: build, start and stop a release server, run wrk.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# SWIFT_BUILD_FLAGS (optional), e.g. "--scratch-path .build-release", is passed to swift build.
read -r -a BUILD_FLAGS <<<"${SWIFT_BUILD_FLAGS:-}"
BIN="$(cd "$ROOT" && swift build -c release "${BUILD_FLAGS[@]}" --show-bin-path)/fullchain"
WORK=$(mktemp -d)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

need() {
  local missing=()
  for package in "$@"; do dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build_release() {
  # The build's and the benchmarks' packages, from the one list.
  mapfile -t packages < <(awk '!/^#/ && ($2 == "build" || $2 == "bench") { print $1 }' "$ROOT/scripts/debian-packages.txt")
  need "${packages[@]}"
  (cd "$ROOT" && swift build -c release "${BUILD_FLAGS[@]}" --product fullchain 2>&1 | grep -E "error|Build" | tail -2)
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server DATABASE [serve options...]: serves in the background on a free port; sets PORT.
# The load comes from one address (and a few thousand device ids): the public rate limits are off.
start_server() {
  PORT=$(free_port)
  local database=$1; shift
  "$BIN" serve --port "$PORT" --database "$database" --log-level warning --rate-limit off "$@" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start:"; cat "$WORK/server.log"; exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# wrk_json PATH [extra wrk args...]: one JSON line (rps, p50/p95/p99 ms); CONNECTIONS keep-alive
# connections (64 unless set).
wrk_json() {
  local path=$1; shift
  wrk -t1 -c"${CONNECTIONS:-64}" -d"${DURATION:-10s}" --latency -s "$ROOT/benchmarks/lua/report.lua" "$@" "http://127.0.0.1:$PORT$path" | tail -1
}

# login TENANT USER PASSWORD: prints a session token.
login() {
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"tenant\":\"$1\",\"username\":\"$2\",\"password\":\"$3\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# uncovered_product TOKEN: prints the id of a demo product no campaign covers.
uncovered_product() {
  python3 - "http://127.0.0.1:$PORT" "$1" <<'PY'
import json, sys, urllib.request
def get(path):
    request = urllib.request.Request(sys.argv[1] + path, headers={"authorization": "Bearer " + sys.argv[2]})
    return json.load(urllib.request.urlopen(request))
covered = {p for c in get("/api/v1/campaigns?limit=100")["items"] for p in c["productIDs"]}
print(next(p["id"] for p in get("/api/v1/products?limit=100")["items"] if p["id"] not in covered))
PY
}

# received_codes TOKEN PRODUCT: makes 200,000 activated codes of PRODUCT, ships every case to a
# distributor whose store receives them, and writes the codes, shuffled, to $WORK/codes.txt (and
# 40,000 for warming up to $WORK/codes.txt.warm); exports SCAN_LAT and SCAN_LON, the store's position.
received_codes() {
  local batch
  batch=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/code-batches" -H "authorization: Bearer $1" -H 'content-type: application/json' \
    -d "{\"productID\":$2,\"lot\":\"BENCH\",\"quantity\":200000,\"unitsPerCase\":12}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/code-batches/$batch/activations" -H "authorization: Bearer $1" \
    -H 'content-type: application/json' -d '{"action":"activate"}' >/dev/null
  # Every case shipped to a distributor and received by one of its stores; consumers scan there.
  local store
  store=$(curl -fs "http://127.0.0.1:$PORT/api/v1/stores?limit=50" -H "authorization: Bearer $1" | python3 -c '
import json, sys
s = next(s for s in json.load(sys.stdin)["items"] if s.get("latitude") is not None and s.get("distributorID"))
print(s["id"], s["distributorID"], s["latitude"], s["longitude"])')
  read -r store_id distributor_id SCAN_LAT SCAN_LON <<<"$store"
  export SCAN_LAT SCAN_LON
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/shipments" -H "authorization: Bearer $1" -H 'content-type: application/json' \
    -d "{\"distributorID\":$distributor_id,\"ranges\":[{\"batchID\":$batch,\"firstCase\":0,\"lastCase\":16666}]}" >/dev/null
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/receipts" -H "authorization: Bearer $1" -H 'content-type: application/json' \
    -d "{\"storeID\":$store_id,\"ranges\":[{\"batchID\":$batch,\"firstCase\":0,\"lastCase\":16666}]}" >/dev/null
  curl -fs "http://127.0.0.1:$PORT/api/v1/code-batches/$batch/export?format=txt&link=short" -H "authorization: Bearer $1" -o "$WORK/codes.zip"
  python3 - "$WORK/codes.zip" "$WORK/codes.txt" <<'PY'
import random, sys, zipfile
codes = []
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.endswith(".txt") and "manifest" not in name:
            codes += [line.rsplit("/", 1)[-1] for line in z.read(name).decode().split() if line]
random.seed(3)
random.shuffle(codes)
# Warm-up codes apart from the measured ones, so measured scans are first scans (and draws).
open(sys.argv[2] + ".warm", "w").write("\n".join(codes[:40000]) + "\n")
open(sys.argv[2], "w").write("\n".join(codes[40000:]) + "\n")
PY
}
