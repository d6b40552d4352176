#!/usr/bin/env bash
# Store intelligence at 100,000 stores and about 100,000,000 scanned units in 90 days (the demo
# brand with its simulated store history scaled up): the daily anomaly job over every store × 90
# days, then the store detail page and the abnormal-store feed (page and API), against GET
# /healthz of the same server in the same run.
# Usage: benchmarks/store-intelligence.sh [STORES] [SCANS]   (default 100000 100000000; DURATION=10s, PAGE_CONNECTIONS=8, STORE_DB)
source "$(dirname "$0")/lib.sh"
STORES=${1:-100000}
SCANS=${2:-100000000}
build_release
# STORE_DB=PATH keeps the loaded database there and reuses it on the next run (the load takes minutes).
DB="${STORE_DB:-$WORK/stores.sqlite}"
if [[ -f $DB ]]; then
  echo "reusing $DB"
else
  echo "loading the demo brand with $STORES stores and their history (~$SCANS scans in 90 days)…"
  /usr/bin/time -f "load: %e s, %M KB" "$BIN" demo --database "$DB" --stores "$STORES" --history-scans "$SCANS" --load-only --log-level warning
fi
sqlite3 "$DB" "SELECT 'rollups: ' || count(*) || ' store-days, ' || sum(units_sold) || ' scanned units in all, ' || (SELECT sum(units_sold) FROM store_days WHERE day > (SELECT max(day) - 90 FROM store_days)) || ' in the last 90 days' FROM store_days"
sqlite3 "$DB" "SELECT 'store_day_scans rows: ' || count(*) FROM store_day_scans"
start_server "$DB"
TOKEN=$(login demo admin fullchain-demo)
MANAGER=$(login demo mgr-r01 fullchain-demo)

# The daily job, run again by hand for yesterday (the load ran it too): every store, 90 days.
echo "daily job: $(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/store-intelligence/run" -H "authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' -d '{}')"

# Store pages across the brand, and feed pages with filters.
python3 - "$WORK" "$STORES" <<'PY'
import random, sys
work, stores = sys.argv[1], int(sys.argv[2])
random.seed(11)
kinds = ["", "kind=too_high", "kind=too_low", "kind=dormant", "kind=out_of_stock_risk", "kind=slow_mover", "status=resolved", "outcome=converted"]
open(f"{work}/stores.txt", "w").write("\n".join(f"/stores/{random.randrange(1, stores + 1)}" for _ in range(3000)))
open(f"{work}/feed.txt", "w").write("\n".join(f"/store-alerts?page={random.randrange(1, 20)}&{random.choice(kinds)}" for _ in range(1000)))
open(f"{work}/feed-api.txt", "w").write("\n".join(f"/api/v1/store-alerts?limit=50&offset={random.randrange(0, 20) * 50}&{random.choice(kinds)}" for _ in range(1000)))
PY
echo "healthz (64 conns):           $(wrk_json /healthz)"
export CONNECTIONS=${PAGE_CONNECTIONS:-8}
echo "store detail page, HQ:        $(WRK_PATHS=$WORK/stores.txt WRK_HEADER="Cookie: fc_session=$TOKEN" wrk_json /stores/1)"
echo "abnormal-store feed, HQ:      $(WRK_PATHS=$WORK/feed.txt WRK_HEADER="Cookie: fc_session=$TOKEN" wrk_json /store-alerts)"
echo "abnormal-store feed, manager: $(WRK_PATHS=$WORK/feed.txt WRK_HEADER="Cookie: fc_session=$MANAGER" wrk_json /store-alerts)"
echo "feed API, HQ:                 $(WRK_PATHS=$WORK/feed-api.txt WRK_HEADER="Authorization: Bearer $TOKEN" wrk_json /api/v1/store-alerts)"
echo "ranking page, HQ:             $(WRK_HEADER="Cookie: fc_session=$TOKEN" wrk_json /rankings)"
CONNECTIONS=64 echo "healthz (64 conns):           $(CONNECTIONS=64 wrk_json /healthz)"
