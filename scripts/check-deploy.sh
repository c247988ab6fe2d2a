#!/usr/bin/env bash
# Static checks of the files in deploy/, with whatever tools this machine has:
#   - the systemd unit:        systemd-analyze verify (and the offline security score)
#   - deploy/nginx.conf:       nginx -t, with a throwaway self-signed certificate
#   - deploy/Caddyfile:        caddy validate, with Caddy's internal CA
#   - deploy/relay.example.json5: preservica-relay check-config, with dummy secret files
#   - deploy/Dockerfile:       the COPY list covers every path Package.swift names; hadolint if present
# A check whose tool is missing is reported as skipped. No Docker engine is needed.
#
#   scripts/check-deploy.sh [--binary PATH]   PATH defaults to .build/release or .build/debug
#   scripts/check-deploy.sh --build           also builds as the Dockerfile does (release,
#                                             --static-swift-stdlib, from a copy of only the
#                                             COPY'd paths) and lists the binary's system libraries
# Exit status: 0 when every check that ran passed, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."

binary=""
build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --build) build=1; shift ;;
    *) echo "usage: $0 [--binary PATH] [--build]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "ok    $1"; }
fail() { echo "FAIL  $1"; failures=$((failures + 1)); }
skip() { echo "skip  $1"; }

# --- Dockerfile build, as the image does it -------------------------------------------------
if [ "$build" = 1 ]; then
  mkdir -p "$work/src"
  for path in $(awk '/^COPY [^-]/ { print $2 }' deploy/Dockerfile); do cp -R "$path" "$work/src/"; done
  if (cd "$work/src" && swift build -c release --static-swift-stdlib --product preservica-relay >"$work/build.log" 2>&1); then
    binary="$work/src/.build/release/preservica-relay"
    pass "Dockerfile build: swift build -c release --static-swift-stdlib from the COPY'd paths only"
    if ldd "$binary" | grep -q "not found"; then fail "binary has unresolved libraries: $(ldd "$binary" | grep 'not found')"; fi
    if ldd "$binary" | grep -q "libswift"; then fail "binary links a Swift runtime .so (static stdlib expected)"; fi
    echo "      system libraries: $(ldd "$binary" | awk '/=>/ { print $1 }' | tr '\n' ' ')"
  else
    fail "Dockerfile build (log: $(tail -5 "$work/build.log"))"
  fi
fi
if [ -z "$binary" ]; then
  for candidate in .build/release/preservica-relay .build/debug/preservica-relay; do
    [ -x "$candidate" ] && { binary="$candidate"; break; }
  done
fi

# --- systemd unit ----------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify insists that ExecStart= exists; point it at a binary that does.
  exec_path=${binary:-/bin/true}
  sed "s#/usr/local/bin/preservica-relay#$(realpath "$exec_path")#" deploy/preservica-relay.service \
    > "$work/preservica-relay.service"
  if out=$(systemd-analyze verify "$work/preservica-relay.service" 2>&1) && [ -z "$out" ]; then
    pass "systemd unit: systemd-analyze verify"
  else
    fail "systemd unit: $out"
  fi
  score=$(systemd-analyze security --offline=true "$work/preservica-relay.service" 2>/dev/null | awk '/Overall exposure/ { print $(NF-2), $(NF-1) }')
  [ -n "$score" ] && echo "      exposure (systemd-analyze security --offline): $score"
else
  skip "systemd unit: systemd-analyze not installed"
fi
for key in DynamicUser=yes StateDirectory=preservica-relay ConfigurationDirectory=preservica-relay \
           ProtectSystem=strict NoNewPrivileges=yes MemoryDenyWriteExecute=yes 'CapabilityBoundingSet=$' \
           KillSignal=SIGTERM RestartPreventExitStatus=2; do
  grep -q "^$key" deploy/preservica-relay.service || fail "systemd unit lacks $key"
done
# Every credential the example configuration reads must be loaded by the unit.
for name in $(grep -o 'CREDENTIALS_DIRECTORY}/[A-Za-z0-9._-]*' deploy/relay.example.json5 | cut -d/ -f2 | sort -u); do
  grep -q "^LoadCredential=$name:" deploy/preservica-relay.service \
    || fail "relay.example.json5 reads credential $name, which the unit does not load"
done

# --- nginx -----------------------------------------------------------------------------------
if command -v nginx >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
  mkdir -p "$work/nginx/logs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=relay.example.org \
    -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
  sed -e "s#/etc/letsencrypt/live/relay.example.org/fullchain.pem#$work/cert.pem#" \
      -e "s#/etc/letsencrypt/live/relay.example.org/privkey.pem#$work/key.pem#" \
      -e "s#/var/log/nginx/#$work/nginx/logs/#" deploy/nginx.conf > "$work/site.conf"
  cat > "$work/nginx.conf" <<CONF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events {}
http {
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/f; uwsgi_temp_path $work/nginx/u; scgi_temp_path $work/nginx/s;
  include $work/site.conf;
}
CONF
  if out=$(nginx -t -q -c "$work/nginx.conf" -p "$work/nginx" 2>&1); then pass "nginx.conf: nginx -t ($(nginx -v 2>&1 | cut -d/ -f2))"; else fail "nginx.conf: $out"; fi
else
  skip "nginx.conf: nginx or openssl not installed"
fi
grep -q 'client_max_body_size *2m;' deploy/nginx.conf || fail "nginx.conf: client_max_body_size 2m expected"
grep -q 'location = /webhook' deploy/nginx.conf || fail "nginx.conf: no location for /webhook"

# --- Caddy -----------------------------------------------------------------------------------
if command -v caddy >/dev/null 2>&1; then
  # Internal CA and no admin endpoint, so validation needs no network and no ports.
  sed -e "s#^\temail .*#&\n\tlocal_certs\n\tadmin off\n\tstorage file_system $work/caddy#" \
      -e "s#/var/log/caddy/#$work/#" deploy/Caddyfile > "$work/Caddyfile"
  if out=$(caddy validate --config "$work/Caddyfile" --adapter caddyfile 2>&1); then
    pass "Caddyfile: caddy validate ($(caddy version | cut -d' ' -f1))"
  else
    fail "Caddyfile: $(echo "$out" | tail -2)"
  fi
  if [ "$(caddy fmt deploy/Caddyfile)" != "$(cat deploy/Caddyfile)" ]; then fail "Caddyfile: not formatted (caddy fmt)"; fi
else
  skip "Caddyfile: caddy not installed"
fi

# --- example configuration ----------------------------------------------------------------------
if [ -n "$binary" ]; then
  mkdir -p "$work/credentials" "$work/data"
  for name in $(grep -o 'CREDENTIALS_DIRECTORY}/[A-Za-z0-9._-]*' deploy/relay.example.json5 | cut -d/ -f2 | sort -u); do
    echo "https://example.invalid/dummy-$name" > "$work/credentials/$name"  # also a valid channel URL
  done
  sed "s#/var/lib/preservica-relay#$work/data#" deploy/relay.example.json5 > "$work/relay.json5"
  if out=$(CREDENTIALS_DIRECTORY="$work/credentials" "$binary" check-config --config "$work/relay.json5" 2>&1); then
    pass "relay.example.json5: check-config"
  else
    fail "relay.example.json5: $out"
  fi
else
  skip "relay.example.json5: no preservica-relay binary (swift build first, or --binary PATH)"
fi

# --- Dockerfile ------------------------------------------------------------------------------
copied=$(awk '/^COPY [^-]/ { print $2 }' deploy/Dockerfile | tr '\n' ' ')
for path in $(grep -o 'path: "[^"]*"' Package.swift | cut -d'"' -f2 | cut -d/ -f1 | sort -u) Sources Tests; do
  case " $copied " in *" $path "*) ;; *) fail "Dockerfile does not COPY $path, which Package.swift needs" ;; esac
done
grep -q '^ENTRYPOINT \["/usr/local/bin/preservica-relay"\]' deploy/Dockerfile || fail "Dockerfile: ENTRYPOINT"
grep -q '^USER ' deploy/Dockerfile || fail "Dockerfile: no USER (runs as root)"
if command -v hadolint >/dev/null 2>&1; then
  if out=$(hadolint deploy/Dockerfile 2>&1); then pass "Dockerfile: hadolint"; else fail "Dockerfile: $out"; fi
else
  skip "Dockerfile: hadolint not installed (static checks above only; no Docker engine used)"
fi

if [ "$failures" -eq 0 ]; then echo "deploy checks passed"; else echo "$failures deploy check(s) failed"; exit 1; fi
