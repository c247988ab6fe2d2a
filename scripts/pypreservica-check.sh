#!/usr/bin/env bash
# Fidelity check: pyPreservica (the reference Python client) against the Preservica simulator.
# Logs in, reads an asset and a folder, walks every descendant from the root, lists an asset's
# bitstreams, subscribes / lists / unsubscribes a webhook against pyPreservica's own WebHookHandler,
# and sends it a signed chunked notification. Exits non-zero on any mismatch.
# SIMULATOR_VERSION (default 7.7) sets the Preservica version the simulator claims.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.build/pypreservica-venv"
work="$(mktemp -d)"
simulator_pid=""

cleanup() {
    if [[ -n "$simulator_pid" ]] && kill -0 "$simulator_pid" 2>/dev/null; then
        kill -TERM "$simulator_pid" 2>/dev/null || true
        wait "$simulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Exit 3 when pyPreservica cannot be installed (no python venv or no PyPI): nothing was checked.
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv"
    python3 -m venv "$venv" || { echo "pypreservica-check: cannot create a venv; skipped"; exit 3; }
fi
if ! "$venv/bin/python" -c "import pyPreservica" 2>/dev/null; then
    timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check pyPreservica \
        || { echo "pypreservica-check: cannot install pyPreservica from PyPI; skipped"; exit 3; }
fi

cd "$root"
timeout 900 swift build --product preservica-relay >/dev/null
binary="$(swift build --show-bin-path)/preservica-relay"

free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
password="check-$(date +%s)-$RANDOM"
version="${SIMULATOR_VERSION:-7.7}"

"$binary" simulate preservica --port "$port" --password "$password" --version "$version" >"$work/simulator.log" 2>&1 &
simulator_pid=$!

for _ in $(seq 1 100); do
    if "$venv/bin/python" -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; then break; fi
    if ! kill -0 "$simulator_pid" 2>/dev/null; then echo "simulator exited:"; cat "$work/simulator.log"; exit 1; fi
    sleep 0.1
done

# pyPreservica also reads credentials.properties from the working directory: run it in an empty one.
cd "$work"
PORT="$port" PASSWORD="$password" VERSION="$version" RELAY_BINARY="$binary" timeout 300 "$venv/bin/python" - <<'PYTHON'
import os, sys, json, threading, subprocess, logging
from http.server import ThreadingHTTPServer
from pyPreservica import EntityAPI, WebHooksAPI, WebHookHandler, TriggerType, EntityType

logging.disable(logging.CRITICAL)
port, password, binary = os.environ["PORT"], os.environ["PASSWORD"], os.environ["RELAY_BINARY"]
server = f"127.0.0.1:{port}"
failures = []

def check(condition, message):
    if not condition:
        failures.append(message)
        print("MISMATCH:", message)

LETTER = "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2"
ALBUM = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f04"
PAPERS = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b03"

client = EntityAPI(username="admin", password=password, tenant="DEMO", server=server, protocol="http")
version = os.environ["VERSION"]
check(f"{client.major_version}.{client.minor_version}" == version, f"version {client.major_version}.{client.minor_version}")
check(client.xip_ns == f"http://preservica.com/XIP/v{version}", f"xip namespace {client.xip_ns}")

asset = client.asset(LETTER)
check(asset.title == "Bjørnson: brev til Åse, 1884", f"asset title {asset.title!r}")
check(asset.security_tag == "open" and asset.parent == PAPERS, f"asset tag/parent {asset.security_tag} {asset.parent}")
check(len(asset.metadata) == 1, f"asset metadata fragments {asset.metadata}")
folder = client.folder(PAPERS)
check(folder.title == "Bjørnson family papers", f"folder title {folder.title!r}")
check(client.asset("9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f02").title == "Minutes of the Board, 1921 <draft> & notes", "escaped title")

everything = list(client.all_descendants())
folders = [e for e in everything if e.entity_type == EntityType.FOLDER]
assets = [e for e in everything if e.entity_type == EntityType.ASSET]
check(len(folders) == 5 and len(assets) == 6, f"descendants: {len(folders)} folders, {len(assets)} assets")
check("東京の地図" in {a.title for a in assets}, "Tokyo map among descendants")

letter_bitstreams = list(client.bitstreams_for_asset(asset))
# pyPreservica keeps representations in a set, so their order is not stable: compare sorted.
check(sorted(b.filename for b in letter_bitstreams) == ["brev-1884.jp2", "brev-1884.jpg"],
      f"letter bitstreams {[b.filename for b in letter_bitstreams]}")
check(sum(b.length for b in letter_bitstreams) == 18_874_368 + 1_048_576, "letter bitstream sizes")
check(all(len(b.fixity.get("SHA256", "")) == 64 for b in letter_bitstreams), "letter fixities")
album = list(client.bitstreams_for_asset(client.asset(ALBUM)))
expected_album = sum(20_000_000 + n * 131_072 for n in range(1, 29))
check(len(album) == 28 and sum(b.length for b in album) == expected_album, f"album: {len(album)} bitstreams")
identifiers = client.identifiers_for_entity(asset)
check(("code", "BJ-1884-017") in identifiers, f"identifiers {identifiers}")

secret = "fidelity-secret"
received = []

class Receiver(WebHookHandler):
    def do_WORK(self, event):
        received.append(event)
    def log_message(self, *args):
        pass

httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
httpd.secret_key = secret
threading.Thread(target=httpd.serve_forever, daemon=True).start()
hook = f"http://127.0.0.1:{httpd.server_address[1]}/hook"

webhooks = WebHooksAPI(username="admin", password=password, tenant="DEMO", server=server, protocol="http")
created = json.loads(webhooks.subscribe(hook, TriggerType.INDEXED, secret))
check(len(created["id"]) == 32 and created["includeIdentifiers"] is True and "secret" not in created, f"subscribe answer {created}")
listed = webhooks.subscriptions()
check([s["id"] for s in listed] == [created["id"]], f"subscriptions {listed}")

sent = subprocess.run([binary, "simulate", "send", "--url", hook, "--secret", secret, "--ref", LETTER],
                      capture_output=True, text=True, timeout=30)
check(sent.returncode == 0, f"simulate send exit {sent.returncode}: {sent.stdout} {sent.stderr}")
check(len(received) == 1 and received[0]["events"][0]["entityRef"] == LETTER, f"WebHookHandler received {received}")

webhooks.unsubscribe(created["id"])
check(webhooks.subscriptions() == [], "subscriptions after unsubscribe")
httpd.shutdown()

if failures:
    print(f"pyPreservica check FAILED: {len(failures)} mismatch(es)")
    sys.exit(1)
print(f"pyPreservica check OK (Preservica {version}): login, asset, folder, {len(everything)} descendants, "
      f"{len(letter_bitstreams)}+{len(album)} bitstreams, identifiers, subscribe/list/unsubscribe, signed chunked notification")
PYTHON
