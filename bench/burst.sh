#!/usr/bin/env bash
# Burst benchmark: 2,000 ingest events from the Preservica simulator (20 ms per API call) through
# `preservica-relay serve` (release build, its own process) to a chat sink standing in for Teams.
# Prints end-to-end time, events/s, p50/p99 event-to-card latency, the relay's CPU and peak RSS.
# Usage: bench/burst.sh          (EVENTS=2000 LATENCY_MS=20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --product preservica-relay >&2
swift build -c release --product burst-bench >&2
mkdir -p bench/results
result=$("$root/.build/release/burst-bench" --relay "$root/.build/release/preservica-relay" \
  --events "${EVENTS:-2000}" --latency-ms "${LATENCY_MS:-20}")
{
  echo "### Burst benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(swift --version 2>/dev/null | head -1)"
  echo
  echo "    $result"
} | tee "bench/results/burst-$(date -u +%Y-%m-%d).md"
