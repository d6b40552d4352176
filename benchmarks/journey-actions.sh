#!/usr/bin/env bash
# Journey actions with exactly-once bookkeeping: the demo brand plus CONSUMERS synthetic consumers
# (bulk-loaded), one journey whose trigger takes every consumer idle for a day (most of them),
# 10 % held out, one step awarding a point from the journey's ledger budget. The runner's passes
# are timed in process (release build) from the first entry to the last award; then the books are
# checked (each consumer of the journey's group paid once, the budget down by exactly that, a
# second pass doing nothing). Prints one JSON line: entered, actions, seconds, actionsPerSecond.
# Usage: benchmarks/journey-actions.sh [CONSUMERS]   (default 100000; BACKEND=sqlite or postgres)
source "$(dirname "$0")/lib.sh"
CONSUMERS=${1:-100000}

if [[ ${INNER:-} != 1 ]]; then
  build_release
  if [[ ${BACKEND:-sqlite} == postgres ]]; then
    INNER=1 BACKEND=postgres "$ROOT/scripts/with-postgres.sh" bash "$0" "$CONSUMERS"
  else
    INNER=1 BACKEND=sqlite bash "$0" "$CONSUMERS"
  fi
  exit 0
fi

if [[ $BACKEND == postgres ]]; then database=$FULLCHAIN_TEST_POSTGRES_URL; else database="$WORK/journeys.sqlite"; fi
key="$WORK/journeys.master-key"
echo "== $BACKEND: loading the demo brand and $CONSUMERS consumers…"
/usr/bin/time -f "demo: %e s" "$BIN" demo --database "$database" --master-key-file "$key" --stores 600 --load-only --log-level warning
/usr/bin/time -f "consumers: %e s, %M KB" "$BIN" bench load-consumers --database "$database" --master-key-file "$key" \
  --count "$CONSUMERS" --searchable 0 | tail -1
/usr/bin/time -f "journey bench: %e s, %M KB" "$BIN" bench journey-actions --database "$database" --master-key-file "$key"
