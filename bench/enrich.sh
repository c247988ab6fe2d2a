#!/usr/bin/env bash
# Enrichment benchmark: 200 assets from the Preservica simulator at 20 ms latency per call.
#
# Times `preservica-relay enrich` (maxConcurrentRequests 8: at most 8 requests in flight) against
# pyPreservica's documented loop, `asset()` + `bitstreams_for_asset()` per asset, on the same
# simulator in the same run, and prints the ratio.
#
# Usage: bench/enrich.sh         (ASSETS=200 LATENCY=20ms to change the defaults)
# Needs: the Swift toolchain and python3 with access to PyPI (for pyPreservica).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
assets="${ASSETS:-200}"
latency="${LATENCY:-20ms}"
work="$root/.build/bench-enrich"
rm -rf "$work"
mkdir -p "$work" "$root/bench/results"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

echo "building (release)..." >&2
swift build -c release --product preservica-relay >&2
bin="$root/.build/release/preservica-relay"

# A seed of $assets assets in 4 folders, each asset with one preservation representation, one
# content object, one active generation and one bitstream: the common shape of an ingest.
python3 - "$assets" "$work" <<'PY'
import json, sys, uuid
count, work = int(sys.argv[1]), sys.argv[2]
root = str(uuid.UUID(int=1))
folders = [{"ref": root, "title": "Bench"}] + [
    {"ref": str(uuid.UUID(int=10 + i)), "title": f"Series {i}", "parent": root} for i in range(4)]
assets, refs = [], []
for i in range(count):
    ref = str(uuid.UUID(int=1000 + i))
    refs.append(ref)
    assets.append({"ref": ref, "title": f"Asset {i}", "parent": folders[1 + i % 4]["ref"],
                   "representations": [{"type": "Preservation", "contentObjects": [{
                       "ref": str(uuid.UUID(int=100000 + i)), "title": f"co-{i}",
                       "generations": [{"bitstreams": [{"filename": f"file-{i}.tif", "size": 1000000 + i,
                                                        "sha256": "%064x" % i}]}]}]}]})
json.dump({"folders": folders, "assets": assets}, open(f"{work}/seed.json", "w"))
open(f"{work}/refs.txt", "w").write("\n".join(refs) + "\n")
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" simulate preservica --port "$port" --seed "$work/seed.json" --latency "$latency" --password bench-pw \
  > "$work/simulator.log" 2>&1 &
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.1
done

cat > "$work/relay.json5" <<JSON
{ webhook: { secrets: ["unused"] },
  preservica: { server: "http://127.0.0.1:$port", username: "admin", password: "bench-pw", tenant: "DEMO",
                maxConcurrentRequests: 8, timeout: "30s" } }
JSON
echo "relay enrich..." >&2
ours=$("$bin" enrich --refs-file "$work/refs.txt" --summary --config "$work/relay.json5" | tail -1)

echo "pyPreservica..." >&2
venv="$root/.build/bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q pyPreservica >&2
theirs=$("$venv/bin/python" - "$port" "$work/refs.txt" <<'PY'
import sys, time, logging
logging.disable(logging.CRITICAL)
from pyPreservica import EntityAPI
port, refs = sys.argv[1], open(sys.argv[2]).read().split()
client = EntityAPI(username="admin", password="bench-pw", tenant="DEMO", server=f"127.0.0.1:{port}", protocol="http")
start = time.perf_counter()
bitstreams = 0
for ref in refs:
    asset = client.asset(ref)
    bitstreams += len(list(client.bitstreams_for_asset(asset)))
print("assets=%d bitstreams=%d seconds=%.3f" % (len(refs), bitstreams, time.perf_counter() - start))
PY
)

field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }
ratio=$(python3 -c "print('%.1f' % ($(field "$theirs" seconds) / $(field "$ours" seconds)))")
report="$root/bench/results/enrich-$(date -u +%Y-%m-%d).md"
{
  echo "### Enrichment benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(swift --version 2>/dev/null | head -1)"
  echo "Simulator: $assets assets (1 representation, 1 content object, 1 generation, 1 bitstream each), $latency per call."
  echo
  echo "| client | seconds | requests | notes |"
  echo "|---|---|---|---|"
  echo "| preservica-relay enrich (≤ 8 in flight) | $(field "$ours" seconds) | $(field "$ours" requests) | also folder path and identifiers; $(field "$ours" enriched) enriched, $(field "$ours" failed) failed |"
  echo "| pyPreservica $("$venv/bin/pip" show pyPreservica | awk '/^Version/ {print $2}') asset() + bitstreams_for_asset() | $(field "$theirs" seconds) | – | $(field "$theirs" bitstreams) bitstreams |"
  echo
  echo "Speed-up: ${ratio}x."
} | tee "$report"
echo "(written to ${report#$root/})" >&2
