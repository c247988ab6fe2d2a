#!/usr/bin/env bash
# Idle RSS, mapping by mapping: `preservica-relay serve` (release build, nothing configured but a
# webhook secret) next to a Swift program that only creates a URLSession (bench/rss-baseline.swift),
# both read from /proc/<pid>/smaps two seconds after they start.
# Usage: bench/rss.sh
#        RELAY_SWIFTC_FLAGS=-Osize bench/rss.sh   (the relay built with extra compiler flags, in its
#                                                  own scratch directory; the table also gives the
#                                                  size of its .text)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$root/.build/bench-rss"
rm -rf "$work"
mkdir -p "$work"
trap 'pkill -P $$ 2>/dev/null || true' EXIT
relay_bin="$root/.build/release/preservica-relay"
if [ -n "${RELAY_SWIFTC_FLAGS:-}" ]; then
  scratch="$root/.build/rss-flags"
  # shellcheck disable=SC2086
  swift build -c release --product preservica-relay --scratch-path "$scratch" $(printf -- '-Xswiftc %s ' $RELAY_SWIFTC_FLAGS) >&2
  relay_bin="$scratch/release/preservica-relay"
else
  swift build -c release --product preservica-relay >&2
fi
swiftc -O "$root/bench/rss-baseline.swift" -o "$work/rss-baseline" 2>/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/relay.json5" <<JSON
{ listen: "127.0.0.1:$port", dataDir: "$work/data", webhook: { secrets: ["rss-$RANDOM$RANDOM"] } }
JSON
"$relay_bin" serve --config "$work/relay.json5" --log-level warn 2>"$work/relay.log" & relay=$!
"$work/rss-baseline" & baseline=$!
sleep 2
# Resident kB per mapping name (anonymous memory under "[anonymous]").
by_mapping() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anonymous]" : $6); sub(".*/", "", name) }
       /^Rss:/ { rss[name] += $2 } END { for (n in rss) print n, rss[n] }' "/proc/$1/smaps" | sort
}
by_mapping $relay > "$work/relay.rss"
by_mapping $baseline > "$work/baseline.rss"
echo "### Idle RSS, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr)${RELAY_SWIFTC_FLAGS:+, relay built with $RELAY_SWIFTC_FLAGS}"
echo
echo "The relay's .text: $(size -A "$relay_bin" | awk '$1 == ".text" {printf "%.2f MB", $2 / 1048576}')."
echo
echo "| mapping | relay (MB) | URLSession only (MB) |"
echo "|---|---|---|"
join -a1 -a2 -e 0 -o 0,1.2,2.2 "$work/relay.rss" "$work/baseline.rss" | sort -k2 -nr |
  awk '$2 >= 300 || $3 >= 300 { printf "| %s | %.1f | %.1f |\n", $1, $2 / 1024, $3 / 1024 }'
printf "| **total** | %.1f | %.1f |\n" "$(awk '/VmRSS/ {print $2 / 1024}' /proc/$relay/status)" "$(awk '/VmRSS/ {print $2 / 1024}' /proc/$baseline/status)"
