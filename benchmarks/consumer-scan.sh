#!/usr/bin/env bash
# Consumer scans (POST /api/v1/scans) on the release build, 64 keep-alive connections, against
# GET /healthz of the same server in the same run. Every scan is acknowledged after its commit.
# Usage: benchmarks/consumer-scan.sh [sqlite|postgres|both]   (default both; DURATION=10s)
# PostgreSQL runs on a throwaway cluster (scripts/with-postgres.sh).
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
  product=$(curl -fs "http://127.0.0.1:$PORT/api/v1/products?limit=1" -H "authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  local batch
  batch=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/code-batches" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"productID\":$product,\"lot\":\"BENCH\",\"quantity\":200000,\"unitsPerCase\":12}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/code-batches/$batch/activations" -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"action":"activate"}' >/dev/null
  # Every case shipped to a distributor and received by one of its stores; consumers scan there.
  local store
  store=$(curl -fs "http://127.0.0.1:$PORT/api/v1/stores?limit=50" -H "authorization: Bearer $token" | python3 -c '
import json, sys
s = next(s for s in json.load(sys.stdin)["items"] if s.get("latitude") is not None and s.get("distributorID"))
print(s["id"], s["distributorID"], s["latitude"], s["longitude"])')
  read -r store_id distributor_id SCAN_LAT SCAN_LON <<<"$store"
  export SCAN_LAT SCAN_LON
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/shipments" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"distributorID\":$distributor_id,\"ranges\":[{\"batchID\":$batch,\"firstCase\":0,\"lastCase\":16666}]}" >/dev/null
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/receipts" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"storeID\":$store_id,\"ranges\":[{\"batchID\":$batch,\"firstCase\":0,\"lastCase\":16666}]}" >/dev/null
  curl -fs "http://127.0.0.1:$PORT/api/v1/code-batches/$batch/export?format=txt&link=short" -H "authorization: Bearer $token" -o "$WORK/codes.zip"
  python3 - "$WORK/codes.zip" "$WORK/codes.txt" <<'PY'
import random, sys, zipfile
codes = []
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.endswith(".txt") and "manifest" not in name:
            codes += [line.rsplit("/", 1)[-1] for line in z.read(name).decode().split() if line]
random.seed(3)
random.shuffle(codes)
open(sys.argv[2], "w").write("\n".join(codes) + "\n")
PY
  echo "$name: $(wc -l < "$WORK/codes.txt") genuine codes to scan"
  # Warm up, then the baseline and the scans back to back.
  DURATION=3s SCAN_CODES="$WORK/codes.txt" wrk_json /api/v1/scans >/dev/null
  echo "$name healthz: $(wrk_json /healthz)"
  echo "$name scans:   $(SCAN_CODES="$WORK/codes.txt" wrk_json /api/v1/scans)"
  echo "$name healthz: $(wrk_json /healthz)"
  stop_server
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
