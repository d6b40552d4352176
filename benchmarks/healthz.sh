#!/usr/bin/env bash
# Baseline: GET /healthz of the release server (wrk, 1 thread, 64 keep-alive connections).
# Usage: benchmarks/healthz.sh   (DURATION=10s by default)
source "$(dirname "$0")/lib.sh"
build_release
start_server "$WORK/bench.sqlite"
echo "healthz: $(wrk_json /healthz)"
