#!/usr/bin/env bash
# Template rendering benchmark: renders per second of the default Teams asset card with 5
# bitstreams, on one thread, release build.
# Usage: bench/render.sh [TEMPLATE]   (default templates/teams-asset.json; SECONDS=3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
template="${1:-templates/teams-asset.json}"
swift build -c release --product render-bench >&2
mkdir -p bench/results
result=$("$root/.build/release/render-bench" --template "$template" --seconds "${SECONDS:-3}")
{
  echo "### Render benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(swift --version 2>/dev/null | head -1); one thread"
  echo
  echo "    $result"
} | tee "bench/results/render-$(date -u +%Y-%m-%d).md"
