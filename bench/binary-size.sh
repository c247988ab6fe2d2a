#!/usr/bin/env bash
# The size of the self-contained binary docs/deploy.md builds: release, the Swift standard library
# and Foundation linked statically, before and after `strip`. Needs Debian's libcurl4-openssl-dev
# to link (installed when missing and apt-get can; the script says so and stops when it cannot).
# Usage: bench/binary-size.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1; then
  echo "libcurl4-openssl-dev is missing; installing it..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev) >&2 2>&1 \
    || { echo "cannot install libcurl4-openssl-dev (no apt-get, no root or no network): nothing measured" >&2; exit 3; }
fi
scratch="$root/.build/static"
swift build -c release --static-swift-stdlib --product preservica-relay --scratch-path "$scratch" >&2
binary="$scratch/release/preservica-relay"
stripped="$scratch/preservica-relay.stripped"
strip -o "$stripped" "$binary"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(swift --version 2>/dev/null | head -1)"
awk -v a="$(stat -c %s "$binary")" -v b="$(stat -c %s "$stripped")" \
  'BEGIN { printf "static binary: %.0f MB; stripped: %.0f MB\n", a / 1e6, b / 1e6 }'
