#!/usr/bin/env bash
# The JSON parser alone (the receiver parses every notification with it on the event loop): the
# sources of Sources/JSON compiled with -O together with bench/json-parse.swift, which parses a
# notification of about 1 KB 200,000 times. With a revision, that revision's parser is measured
# too, alternating, three runs each.
# Usage: bench/json-parse.sh [REV]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/bench-json-parse"
rm -rf "$work"
mkdir -p "$work/this"
cp "$root"/Sources/JSON/*.swift "$work/this/"
swiftc -O -parse-as-library "$work"/this/*.swift "$root/bench/json-parse.swift" -o "$work/this/bench" 2>/dev/null
builds=(this)
if [ -n "${1:-}" ]; then
  mkdir -p "$work/rev"
  for file in $(git -C "$root" ls-tree --name-only "$1" Sources/JSON/); do
    git -C "$root" show "$1:$file" > "$work/rev/$(basename "$file")"
  done
  swiftc -O -parse-as-library "$work"/rev/*.swift "$root/bench/json-parse.swift" -o "$work/rev/bench" 2>/dev/null
  builds=(rev this)
fi
for _ in 1 2 3; do
  for build in "${builds[@]}"; do
    label=$([ "$build" = rev ] && echo "$1" || echo "this tree")
    echo "$label: $("$work/$build/bench")"
  done
done
