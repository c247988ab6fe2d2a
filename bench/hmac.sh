#!/usr/bin/env bash
# The signature check alone (the receiver verifies every notification on the event loop):
# HMAC-SHA256 over Preservica's prefix and a 1 KiB body, and SHA-256 over 64 MiB, with each way
# of compressing blocks this processor has (Swift, and the x86 SHA extensions where present).
# Three runs, release build.
# Usage: bench/hmac.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --product hash-bench >&2
grep -m1 "model name" /proc/cpuinfo 2>/dev/null | sed 's/^model name[^:]*: /processor: /' || true
for _ in 1 2 3; do "$root/.build/release/hash-bench"; done
