#!/usr/bin/env bash
# The CPU floor of URLSession at the burst's request rate: bench/urlsession-floor.swift makes
# REQUESTS GETs, IN_FLIGHT at a time (the relay's default preservica.maxConcurrentRequests), to a
# loopback server (Python asyncio, not counted) that answers each after LATENCY_MS, as the
# simulator does in bench/burst.sh. Compare its share of one core with the relay's in burst.sh:
# both make about IN_FLIGHT / latency requests per second.
# Usage: bench/urlsession-floor.sh        (REQUESTS=4000 IN_FLIGHT=8 LATENCY_MS=20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/bench-urlsession-floor"
mkdir -p "$work" "$root/bench/results"
trap 'pkill -P $$ 2>/dev/null || true' EXIT
swiftc -O "$root/bench/urlsession-floor.swift" -o "$work/urlsession-floor" 2>&1 | grep -v '^$' >&2 || true
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" "${LATENCY_MS:-20}" <<'PY' &
import asyncio, sys
port, latency = int(sys.argv[1]), int(sys.argv[2]) / 1000
body = b'<?xml version="1.0" encoding="UTF-8"?><EntityResponse/>'
reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/xml;charset=UTF-8\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
async def serve(reader, writer):
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(latency)
            writer.write(reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=64)
    async with server:
        await server.serve_forever()
asyncio.run(main())
PY
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
result=$("$work/urlsession-floor" "http://127.0.0.1:$port/api/entity/information-objects/x" "${REQUESTS:-4000}" "${IN_FLIGHT:-8}")
{
  echo "### URLSession floor, $(date -u '+%Y-%m-%d %H:%M UTC'), latency ${LATENCY_MS:-20} ms"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(swift --version 2>/dev/null | head -1)"
  echo
  echo "    $result"
} | tee "$root/bench/results/urlsession-floor-$(date -u +%Y-%m-%d).md"
