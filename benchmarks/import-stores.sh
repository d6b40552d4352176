#!/usr/bin/env bash
# Import of 100,000 stores from a CSV into the demo brand (one transaction), as rows/s.
# Usage: benchmarks/import-stores.sh [ROWS]   (default 100000)
source "$(dirname "$0")/lib.sh"
ROWS=${1:-100000}
build_release
SOURCE="$WORK/source.sqlite"
TARGET="$WORK/target.sqlite"
"$BIN" demo --database "$SOURCE" --stores "$ROWS" --load-only --log-level warning
"$BIN" demo --database "$TARGET" --stores 100 --load-only --log-level warning
start_server "$SOURCE"
TOKEN=$(login demo admin fullchain-demo)
curl -fs "http://127.0.0.1:$PORT/api/v1/exports/stores?format=csv" -H "Authorization: Bearer $TOKEN" -o "$WORK/export.csv"
stop_server
# New codes, so every row is a new store of the target brand.
python3 - "$WORK/export.csv" "$WORK/import.csv" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8-sig", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as out:
    for i, line in enumerate(f):
        out.write(line if i == 0 else "N" + line)
PY
echo "file: $(wc -l < "$WORK/import.csv") lines, $(du -h "$WORK/import.csv" | cut -f1)"
"$BIN" import stores "$WORK/import.csv" --database "$TARGET" --tenant demo
