#!/usr/bin/env bash
# Consumer scans with a live campaign draw and ledger writes (issue: scan campaigns), release build:
# SQLite on one server with 64 connections, and PostgreSQL served by two servers sharing one
# database (32 connections each), each against GET /healthz of the same servers in the same run.
# Usage: benchmarks/campaign-scan.sh [sqlite|postgres|both]   (default both; ROUNDS, WINDOW as in consumer-scan.sh)
set -euo pipefail
here=$(dirname "$0")
case ${1:-both} in
  sqlite) CAMPAIGN=1 "$here/consumer-scan.sh" sqlite ;;
  postgres) CAMPAIGN=1 NODES=2 "$here/consumer-scan.sh" postgres ;;
  both)
    CAMPAIGN=1 "$here/consumer-scan.sh" sqlite
    CAMPAIGN=1 NODES=2 "$here/consumer-scan.sh" postgres ;;
esac
