#!/usr/bin/env bash
# Where the relay's CPU goes: a `perf record -e cpu-clock -g` of the release build, either under
# the receiver load (`receiver`: dataDir on tmpfs, bench/relay-load at full speed, 16 connections;
# `receiver-disk`: the same with dataDir on the real disk; `receiver-401`: the same load signed
# with another secret, so every request is read, parsed, verified and refused 401 on the event
# loop and nothing is written: the HTTP path alone, to set beside `receiver`) or during
# bench/burst.sh (`burst`).
# Prints the share of each thread (for the receiver also its CPU per notification), then the
# functions with the most time (children included) on the busiest threads.
# Usage: bench/profile.sh receiver|receiver-disk|receiver-401|burst   (SECONDS_PROFILED=4 to change the window)
# Needs: perf (Debian's linux-perf, installed when missing and apt-get can).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode="${1:?usage: bench/profile.sh receiver|receiver-disk|receiver-401|burst}"
window="${SECONDS_PROFILED:-4}"
work="$root/.build/bench-profile"
shm="/dev/shm/preservica-relay-profile-$$"
rm -rf "$work" "$shm"
mkdir -p "$work"
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$shm"' EXIT
if ! command -v perf >/dev/null; then
  echo "perf is missing; installing Debian's linux-perf..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf) >&2 2>&1 \
    || { echo "cannot install perf (no apt-get, no root or no network): nothing profiled" >&2; exit 3; }
fi
swift build -c release --product preservica-relay >&2
swift build -c release --product relay-load >&2
bin="$root/.build/release"

case "$mode" in
  receiver|receiver-disk|receiver-401)
    data="$shm/data"
    [ "$mode" != receiver-disk ] || data="$work/data"
    secret=profile-secret
    [ "$mode" != receiver-401 ] || secret=another-secret
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "{ listen: \"127.0.0.1:$port\", dataDir: \"$data\", webhook: { secrets: [\"profile-secret\"] } }" > "$work/relay.json5"
    "$bin/preservica-relay" serve --config "$work/relay.json5" --log-level warn 2>/dev/null & pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    "$bin/relay-load" --port "$port" --secret "$secret" --connections 16 --duration $((window + 4)) > "$work/load.txt" &
    load=$!
    sleep 2
    perf record -e cpu-clock -F 2000 -g -p "$pid" -o "$work/perf.data" -- sleep "$window" >/dev/null 2>&1
    wait $load
    syncs=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '$1 == "preservica_relay_journal_syncs_total" {print $2}')
    echo "load: $(cat "$work/load.txt")"
    # Requests answered, 200 or 401, over the load's run: its mean rate.
    requests=$(tr ' ' '\n' < "$work/load.txt" | awk -F= '$1 == "requests" {print $2}')
    rps=$(awk -v n="$requests" -v d=$((window + 4)) 'BEGIN {printf "%.0f", n / d}')
    # Samples at 2000/s over the window, against the notifications answered in it (at the load's mean rate).
    echo "relay CPU per notification: $(awk -v s="$(perf script -i "$work/perf.data" -F comm 2>/dev/null | wc -l)" -v w="$window" -v r="$rps" 'BEGIN {printf "%.1f", s / 2000 / (w * r) * 1e6}') µs; notifications per group commit over the run: $(awk -v n="$requests" -v b="${syncs:-0}" 'BEGIN {if (b > 0) printf "%.1f", n / b; else print "n/a"}')"
    echo "by thread (µs per notification):"
    perf script -i "$work/perf.data" -F comm 2>/dev/null | sort | uniq -c | sort -rn | awk 'NR <= 6' |
      awk -v w="$window" -v r="$rps" '{c = $1; $1 = ""; printf "  %s: %.1f\n", substr($0, 2), c / 2000 / (w * r) * 1e6}'
    ;;
  burst)
    bench/burst.sh > "$work/burst.txt" 2>/dev/null &
    burst=$!
    for _ in $(seq 300); do pid=$(pgrep -f "preservica-relay serve" | head -1 || true); [ -n "$pid" ] && break; sleep 0.2; done
    sleep 3
    perf record -e cpu-clock -F 1000 -g -p "$pid" -o "$work/perf.data" -- sleep "$window" >/dev/null 2>&1
    wait $burst
    echo "burst: $(tail -1 "$work/burst.txt")"
    ;;
  *) echo "usage: bench/profile.sh receiver|receiver-disk|receiver-401|burst" >&2; exit 2 ;;
esac

echo
# Making files in the spool (outbox jobs, history, the cursor): on ext4 without a journal, picking
# an inode for a new file passes over every inode freed in the last half minute (find_inode_bit).
perf script -i "$work/perf.data" 2>/dev/null | awk -v RS= '
  { total++; if ($0 ~ /__x64_sys_openat/) opens++; if ($0 ~ /find_inode_bit/) inodes++ }
  END { if (total) printf "relay CPU in openat: %.1f%%, of it in ext4 find_inode_bit: %.1f%% (of all)\n", 100 * opens / total, 100 * inodes / total }'
echo
echo "## Share of the relay's CPU by thread"
perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | awk 'NR <= 8'
for thread in $(perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | awk 'NF {print $2}' | awk 'NR <= 3'); do
  echo
  echo "## $thread: functions by share of that thread's time, callees included"
  perf report -i "$work/perf.data" --children --comm "$thread" --sort sym --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | awk 'NR <= 40' | cut -c1-160
done
