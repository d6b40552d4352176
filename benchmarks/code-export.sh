#!/usr/bin/env bash
# Code export (generate + MAC + base32 + CSV to files) of a 10,000,000-code batch on 2 workers,
# beside raw HMAC-SHA256 (one-shot calls, same workers) measured in the same run.
# Usage: benchmarks/code-export.sh [CODES]   (default 10000000)
source "$(dirname "$0")/lib.sh"
CODES=${1:-10000000}
build_release
"$BIN" bench code-export --codes "$CODES" --files-of 1000000 --workers 2 --format csv --out "$WORK"
