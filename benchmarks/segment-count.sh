#!/usr/bin/env bash
# Segment counts at 10,000,000 consumers (bulk-loaded synthetic profiles on the demo brand), from
# the segment index (compressed bitmaps), beside DuckDB (from PyPI) counting the same segments over
# the same data. Three tags go on a third, a seventh and a fifth of the profiles; the segments:
#   repeat_in_beijing              tag 1 AND their store in Beijing
#   spenders_or_loyal_not_dormant  (tag 2 OR stage loyal) AND NOT stage dormant
#   to_win_back                    stage dormant OR stage lost OR tag 3
# counted for HQ and for one region's manager (their stores' customers), 30 times each, in process
# (what POST /api/v1/segments/count does after reading its body), release build.
# Prints the index build time and per segment: count, p50/p95/max (ms); then DuckDB's count and p50/p95.
# Usage: benchmarks/segment-count.sh [CONSUMERS]   (default 10000000; BACKEND=sqlite or postgres)
source "$(dirname "$0")/lib.sh"
CONSUMERS=${1:-10000000}

if [[ ${INNER:-} != 1 ]]; then
  build_release
  python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet "duckdb==2.0.1"
  if [[ ${BACKEND:-sqlite} == postgres ]]; then
    INNER=1 BACKEND=postgres "$ROOT/scripts/with-postgres.sh" bash "$0" "$CONSUMERS"
  else
    INNER=1 BACKEND=sqlite bash "$0" "$CONSUMERS"
  fi
  exit 0
fi

if [[ $BACKEND == postgres ]]; then database=$FULLCHAIN_TEST_POSTGRES_URL; else database="$WORK/segments.sqlite"; fi
key="$WORK/segments.master-key"
echo "== $BACKEND: loading the demo brand and $CONSUMERS consumers…"
/usr/bin/time -f "demo: %e s" "$BIN" demo --database "$database" --master-key-file "$key" --stores 5000 --load-only --log-level warning
/usr/bin/time -f "consumers: %e s, %M KB" "$BIN" bench load-consumers --database "$database" --master-key-file "$key" \
  --count "$CONSUMERS" --searchable 0 | tail -1
/usr/bin/time -f "segment bench: %e s, %M KB" "$BIN" bench segment-count --database "$database" --master-key-file "$key" \
  --csv "$WORK/csv" | tee "$WORK/segments.json"
tags=$(python3 -c 'import json,sys; print(" ".join(map(str, json.loads(open(sys.argv[1]).readline())["tags"])))' "$WORK/segments.json")
# shellcheck disable=SC2086
python3 "$ROOT/benchmarks/segment_count_duckdb.py" "$WORK/csv" $tags
