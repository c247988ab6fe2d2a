#!/usr/bin/env bash
# Hostile-client benchmark: how long a signed notification and /healthz take to answer while one
# other address holds many connections open without sending (silent) or sends a request head one
# byte a second (slowloris). The relay runs with maxConnections 64, once with a per-peer cap of 16
# and once with none (as behind a reverse proxy); without the first-byte timeout, the per-peer cap
# and shedding, 64 such sockets would lock Preservica out for the idle or header timeout.
#
# Usage: bench/hostile.sh            (SOCKETS=300 ROUNDS=20 BUILD=release to change the defaults)
# Needs: the Swift toolchain and python3. The attacker binds 127.0.0.2 (any Linux loopback).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
sockets="${SOCKETS:-300}"
rounds="${ROUNDS:-20}"
build="${BUILD:-release}"
secret="bench-$RANDOM$RANDOM"
work="$root/.build/bench-hostile"
rm -rf "$work"
mkdir -p "$work" "$root/bench/results"

echo "building ($build)..." >&2
swift build -c "$build" --product preservica-relay >&2
bin="$root/.build/$build"

# start_relay LIMITS -> sets port and relay (pid)
start_relay() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  rm -rf "$work/data"
  cat > "$work/relay.json5" <<JSON
{ listen: "127.0.0.1:$port", dataDir: "$work/data", webhook: { secrets: ["$secret"] }, limits: $1 }
JSON
  "$bin/preservica-relay" serve --config "$work/relay.json5" --log-level error 2> "$work/relay.log" &
  relay=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
}
relay=""
trap '[ -n "$relay" ] && kill "$relay" 2>/dev/null || true' EXIT
out="$root/bench/results/hostile-$(date -u +%Y%m%dT%H%M%SZ).txt"

for limits in "{ maxConnections: 64, maxConnectionsPerPeer: 16 }" "{ maxConnections: 64, maxConnectionsPerPeer: 0 }"; do
start_relay "$limits"
echo "## relay limits: $limits ($build build)" | tee -a "$out"
python3 - "$port" "$secret" "$sockets" "$rounds" <<'PY' | tee -a "$out"
import hashlib, hmac, json, socket, statistics, sys, threading, time, uuid

port, secret, count, rounds = int(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3]), int(sys.argv[4])

def attacker_socket():
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s

def read_status(s):
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("closed before a status line")
        data += chunk
    return int(data.split(b" ")[1])

def signed_post():
    body = json.dumps({"subscriptionId": uuid.uuid4().hex, "timestamp": "2025-03-04T09:15:02.118", "tenant": "DEMO",
                       "version": "7.7", "trigger": "FULL_TEXT_INDEXED",
                       "events": [{"event": "FullTextIndexed", "entityType": "IO", "entityRef": str(uuid.uuid4()),
                                   "identifiers": []}]}).encode()
    signature = hmac.new(secret, b"preservica-webhook-auth" + body, hashlib.sha256).hexdigest()
    return (b"POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + b"Preservica-Signature: " + signature.encode() + b"\r\nContent-Length: " + str(len(body)).encode()
            + b"\r\n\r\n" + body)

def timed(request):
    start = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(request)
    status = read_status(s)
    s.close()
    return status, (time.perf_counter() - start) * 1000

def measure(label):
    posts, health = [], []
    for _ in range(rounds):
        status, ms = timed(signed_post())
        assert status == 200, status
        posts.append(ms)
        status, ms = timed(b"GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
        assert status == 200, status
        health.append(ms)
    print(f"| {label} | {statistics.median(posts):.1f} | {max(posts):.1f} | {statistics.median(health):.1f} | {max(health):.1f} |")

def still_open(sockets):
    """Sockets neither closed nor answered (a 408 counts as answered): held by the relay or in its backlog."""
    alive = 0
    for s in sockets:
        s.setblocking(False)
        try:
            s.recv(1)
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    return alive

print(f"{count} attacker sockets from 127.0.0.2, {rounds} rounds; other limits at their defaults")
print()
print("| while | POST p50 ms | POST max ms | /healthz p50 ms | /healthz max ms |")
print("|---|---|---|---|---|")
measure("nothing else")

silent = [attacker_socket() for _ in range(count)]
measure(f"{count} silent sockets open")
time.sleep(4)
print(f"\nsilent sockets still open (held, or waiting in the backlog) after 4 s: {still_open(silent)} of {count}\n")
for s in silent:
    s.close()

slow = [attacker_socket() for _ in range(count)]
stop = threading.Event()
def trickle():
    head = b"POST /webhook HTTP/1.1\r\nHost: relay\r\nX-Slow: "
    for i in range(len(head) + 100):
        if stop.is_set():
            return
        for s in slow:
            try:
                s.send(head[i:i + 1] if i < len(head) else b"a")
            except OSError:
                pass
        time.sleep(1)
worker = threading.Thread(target=trickle, daemon=True)
worker.start()
time.sleep(1.5)
measure(f"{count} slowloris sockets (1 byte/s)")
time.sleep(12)
print(f"\nslowloris sockets still open (held, or waiting in the backlog) after 13.5 s (headerTimeout 10 s from accept): {still_open(slow)} of {count}")
stop.set()
PY
kill $relay; wait $relay 2>/dev/null || true
echo | tee -a "$out"
done
