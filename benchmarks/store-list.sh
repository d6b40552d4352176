#!/usr/bin/env bash
# Store list API and page at 100,000 stores, against GET /healthz of the same server in the same run.
# Usage: benchmarks/store-list.sh [STORES]   (default 100000; DURATION=10s, LIST_CONNECTIONS=8)
source "$(dirname "$0")/lib.sh"
STORES=${1:-100000}
build_release
DB="$WORK/stores.sqlite"
echo "loading the demo brand with $STORES stores…"
/usr/bin/time -f "load: %e s, %M KB" "$BIN" demo --database "$DB" --stores "$STORES" --load-only --log-level warning
start_server "$DB"
TOKEN=$(login demo admin fullchain-demo)
MANAGER=$(login demo mgr-r01 fullchain-demo)

# Many different pages: offsets across the whole list, filters and searches.
python3 - "$WORK" "$STORES" <<'PY'
import random, sys
work, stores = sys.argv[1], int(sys.argv[2])
random.seed(7)
api, page = [], []
for i in range(2000):
    offset = random.randrange(0, max(1, stores - 50)) // 50 * 50
    kind = i % 5
    if kind == 0: extra, offset = "", offset
    elif kind == 1: extra, offset = "type=convenience", offset % 5000
    elif kind == 2: extra, offset = "region=110000000000", offset % 2000
    elif kind == 3: extra, offset = f"q=S{random.randrange(1, stores):05d}", 0
    else: extra, offset = "q=%E4%BE%BF%E5%88%A9", offset % 1000
    sep = "&" if extra else ""
    api.append(f"/api/v1/stores?limit=50&offset={offset}{sep}{extra}")
    page.append(f"/stores?page={offset // 50 + 1}{sep}{extra}")
open(f"{work}/api.txt", "w").write("\n".join(api))
open(f"{work}/page.txt", "w").write("\n".join(page))
PY

# The lists are pages people read: 8 staff at once, each waiting for their answer. /healthz keeps
# the usual 64 connections as the baseline.
echo "healthz (64 conns):        $(wrk_json /healthz)"
export CONNECTIONS=${LIST_CONNECTIONS:-8}
echo "stores API, HQ:            $(WRK_PATHS=$WORK/api.txt WRK_HEADER="Authorization: Bearer $TOKEN" wrk_json /api/v1/stores)"
echo "stores API, manager:       $(WRK_PATHS=$WORK/api.txt WRK_HEADER="Authorization: Bearer $MANAGER" wrk_json /api/v1/stores)"
echo "stores page, HQ:           $(WRK_PATHS=$WORK/page.txt WRK_HEADER="Cookie: fc_session=$TOKEN" wrk_json /stores)"
echo "stores page, manager:      $(WRK_PATHS=$WORK/page.txt WRK_HEADER="Cookie: fc_session=$MANAGER" wrk_json /stores)"
echo "store detail page, HQ:     $(WRK_HEADER="Cookie: fc_session=$TOKEN" wrk_json /stores/4242)"
