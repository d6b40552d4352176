#!/usr/bin/env bash
# Event → tags, lifecycle stage and journey entry at a fixed scan rate: the demo brand, a fresh
# received batch, and RATE scans a second for SECONDS seconds through the scan path (release
# build, in process), each by a consumer nobody knew, while the touch worker runs as the server
# runs it. A running journey lets in every consumer who reaches `acquired` (the first genuine
# scan); the worker catches up the profile (figures, rule tags, stage) before it lets them in,
# so each entry's delay after its scan bounds all three. Prints one JSON line: the achieved
# rate and the delay's p50, p95, p99 and max in milliseconds.
# Usage: benchmarks/event-latency.sh [RATE] [SECONDS]   (default 5000 10; BACKEND=sqlite or postgres)
source "$(dirname "$0")/lib.sh"
RATE=${1:-5000}
SECONDS_=${2:-10}

if [[ ${INNER:-} != 1 ]]; then
  build_release
  if [[ ${BACKEND:-sqlite} == postgres ]]; then
    INNER=1 BACKEND=postgres "$ROOT/scripts/with-postgres.sh" bash "$0" "$RATE" "$SECONDS_"
  else
    INNER=1 BACKEND=sqlite bash "$0" "$RATE" "$SECONDS_"
  fi
  exit 0
fi

if [[ $BACKEND == postgres ]]; then database=$FULLCHAIN_TEST_POSTGRES_URL; else database="$WORK/latency.sqlite"; fi
key="$WORK/latency.master-key"
echo "== $BACKEND: loading the demo brand…"
/usr/bin/time -f "demo: %e s" "$BIN" demo --database "$database" --master-key-file "$key" --stores 600 --load-only --log-level warning
/usr/bin/time -f "latency bench: %e s, %M KB" "$BIN" bench event-latency --database "$database" --master-key-file "$key" \
  --rate "$RATE" --seconds "$SECONDS_"
