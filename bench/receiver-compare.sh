#!/usr/bin/env bash
# Two builds of the relay back to back, on the same machine and load: an earlier commit (built in
# a worktree under .build/) and this tree. For each, with dataDir on tmpfs and on disk: 10 s at
# full speed (bench/relay-load, 16 connections), the time until the pipeline has taken every
# notification (so a build whose pipeline falls behind is charged for the work it put off), the
# relay's CPU per notification over both, then 10 s at 500/s and the relay's CPU over the 5 s
# after it.
# Both run with one event loop, so builds from before and after the default changed compare alike
# (LOOPS=2 for two).
# Usage: bench/receiver-compare.sh REV        e.g. bench/receiver-compare.sh 5c88a41
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rev="${1:?usage: bench/receiver-compare.sh REV}"
old="$root/.build/compare-$rev"
shm="/dev/shm/preservica-relay-compare-$$"
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$shm"' EXIT
[ -d "$old" ] || git worktree add --detach "$old" "$rev" >&2
(cd "$old" && swift build -c release --product preservica-relay >&2)
swift build -c release --product preservica-relay >&2
swift build -c release --product relay-load >&2
load="$root/.build/release/relay-load"

measure() { # BINARY DATADIR
  local bin="$1" data="$2" port pid t0 t1
  rm -rf "$data"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$root/.build/compare.json5" <<JSON
{ listen: "127.0.0.1:$port", dataDir: "$data", webhook: { secrets: ["compare-secret"] }, limits: { eventLoops: ${LOOPS:-1} } }
JSON
  "$bin" serve --config "$root/.build/compare.json5" --log-level warn 2>/dev/null & pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  local full paced cpu0 cpu1 started caught
  field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  cpu0=$(cpu)
  full=$("$load" --port "$port" --secret compare-secret --connections 16 --duration 10)
  # The pipeline behind the receiver may still be working through what it accepted: wait (at
  # most 180 s) until it has taken every notification, so both builds are charged for all of it.
  started=$(date +%s%N)
  for _ in $(seq 900); do
    curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^preservica_relay_queue_depth{queue="incoming"} 0$' && break
    sleep 0.2
  done
  caught=$(( ($(date +%s%N) - started) / 1000000 ))
  cpu1=$(cpu)
  paced=$("$load" --port "$port" --secret compare-secret --connections 16 --duration 10 --rate 500)
  t0=$(cpu); sleep 5; t1=$(cpu)
  kill $pid; wait $pid 2>/dev/null || true
  local ok; ok=$(field "$full" ok)
  echo "$(field "$full" rps) | $(awk -v ms="$caught" 'BEGIN {printf "%.1f", ms / 1000}') | $(awk -v n="$ok" -v ms="$caught" 'BEGIN {printf "%.0f", n / (10 + ms / 1000)}') | $(awk -v n="$ok" -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}') | $(field "$full" p99_ms) | $(field "$paced" p99_ms) | $(( (t1 - t0) * 100 / (5 * $(getconf CLK_TCK)) ))%"
}

echo "### $rev against $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo
echo "| build | dataDir | requests/s | pipeline caught up after (s) | notifications/s through the pipeline | relay CPU µs per notification | p99 ms | p99 ms at 500/s | CPU 5 s after the paced load |"
echo "|---|---|---|---|---|---|---|---|---|"
for data in "$shm/data" "$root/.build/compare-data"; do
  where=$([ "$data" = "$shm/data" ] && echo tmpfs || echo disk)
  echo "| $rev | $where | $(measure "$old/.build/release/preservica-relay" "$data") |"
  echo "| $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo +) | $where | $(measure "$root/.build/release/preservica-relay" "$data") |"
done
