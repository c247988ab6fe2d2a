#!/usr/bin/env bash
# Fuzzes the HTTP request parser with libFuzzer (shipped with the Swift toolchain) and AddressSanitizer.
# Usage: scripts/fuzz-http.sh [seconds]   (default 60). Exits non-zero if the fuzzer finds a crash.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/fuzz-http"
mkdir -p "$work/corpus"

parser_sources=(HTTPRequestParser HTTPParserLimits HTTPParseError HTTPParserEvent HTTPRequest HTTPHeaders ASCII FormDecoding)
sources=("$root/scripts/fuzz/HTTPParserFuzz.swift")
for name in "${parser_sources[@]}"; do sources+=("$root/Sources/HTTPServer/$name.swift"); done

echo "building the fuzz target..."
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name HTTPServer \
  "${sources[@]}" -o "$work/fuzz-http-parser" 2> >(grep -v "Cannot export local symbol" >&2 || true)

# Seeds: well-formed requests of each framing.
printf 'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello' > "$work/corpus/seed-length"
printf 'POST /webhook HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n' > "$work/corpus/seed-chunked"
printf 'GET /readyz?challengeCode=a%%2Fb HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.0\r\n\r\n' > "$work/corpus/seed-pipelined"
printf 'POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok' > "$work/corpus/seed-continue"

echo "fuzzing for ${seconds}s..."
cd "$work"
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 ./fuzz-http-parser corpus \
  -dict="$root/scripts/fuzz/http.dict" -max_total_time="$seconds" -max_len=2048 -print_final_stats=1 2>&1 \
  | grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*deadly signal|.*crash-)" || true
if ls crash-* leak-* timeout-* >/dev/null 2>&1; then
  echo "fuzz-http: FOUND PROBLEMS: $(ls crash-* leak-* timeout-* 2>/dev/null | tr '\n' ' ')" >&2
  exit 1
fi
echo "fuzz-http: clean after ${seconds}s"
