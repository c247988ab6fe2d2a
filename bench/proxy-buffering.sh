#!/usr/bin/env bash
# Whether a proxy holds a request body until it is whole before passing it to the relay: Caddy
# (Debian's package) in front of a listener that notes when the request reaches it, with a
# 10-byte body sent one byte every 0.3 s, once with the reverse_proxy option deploy/Caddyfile uses
# (`buffer_requests`) and once without. Installs caddy when missing and apt-get can; says so and
# exits 3 when it cannot.
# Usage: bench/proxy-buffering.sh
set -euo pipefail
if ! command -v caddy >/dev/null 2>&1; then
  echo "caddy is missing; installing it..." >&2
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends caddy) >&2 2>&1 \
    || { echo "cannot install caddy (no apt-get, no root or no network): nothing measured" >&2; exit 3; }
  pkill -x caddy 2>/dev/null || true
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), Caddy $(caddy version | cut -d' ' -f1)"
for option in "" "buffer_requests"; do
  python3 - "$work" "$option" <<'PY'
import socket, subprocess, sys, threading, time
work, option = sys.argv[1], sys.argv[2]
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port
front, back = free_port(), free_port()
with open(f"{work}/Caddyfile", "w") as f:
    f.write("{\n admin off\n}\nhttp://127.0.0.1:%d {\n reverse_proxy 127.0.0.1:%d {\n  %s\n }\n}\n" % (front, back, option))
upstream = socket.socket(); upstream.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
upstream.bind(("127.0.0.1", back)); upstream.listen(5)
caddy = subprocess.Popen(["caddy", "run", "--config", f"{work}/Caddyfile", "--adapter", "caddyfile"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seen = {}
def accept():
    connection, _ = upstream.accept(); seen["at"] = time.monotonic()
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 10:
        chunk = connection.recv(65536)
        if not chunk: break
        data += chunk
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); connection.close()
threading.Thread(target=accept, daemon=True).start()
deadline = time.monotonic() + 10
while True:
    try:
        client = socket.create_connection(("127.0.0.1", front)); break
    except OSError:
        if time.monotonic() > deadline: raise
        time.sleep(0.1)
started = time.monotonic()
client.sendall(b"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n")
for _ in range(10):
    time.sleep(0.3); client.sendall(b"x")
client.recv(1024)
caddy.terminate(); caddy.wait()
print("%-16s body sent over %.1f s; the request reached the listener after %.1f s"
      % (option or "(no option)", 3.0, seen.get("at", started) - started))
PY
done
