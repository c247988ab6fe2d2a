#!/usr/bin/env bash
# Receiver benchmark: signed 1 KiB notifications, each different, over keep-alive connections.
#
# In one run, with the same load generator (bench/relay-load) and the same bodies, it measures:
# nginx answering a static 200 to every POST (the ceiling for HTTP on this machine), the relay
# (release build) with its data dir on the real disk and on tmpfs (/dev/shm, where fsync costs
# nothing), the relay on tmpfs logging a line per notification at info, the relay on tmpfs with
# one event loop (the default is one per core, at most 4), and pyPreservica's reference WebHookHandler. It prints requests/s, p50/p99 latency, ratios to nginx and to
# pyPreservica, RSS, the disk's fdatasync latency and the resulting ceilings, and for each
# full-speed run the CPU per request of the server (from /proc, nginx's workers included) and
# of the load generator (its own getrusage): the two share the machine's cores.
#
# Usage: bench/receiver.sh            (DURATION=10 CONNECTIONS=16 RATE=500 to change the defaults)
# Needs: the Swift toolchain; nginx (Debian's package, installed when missing and apt-get can);
# python3 with network access to PyPI (for pyPreservica).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-16}"
rate="${RATE:-500}"
secret="bench-$RANDOM$RANDOM"
work="$root/.build/bench-receiver"
shm="/dev/shm/preservica-relay-bench-$$"
rm -rf "$work" "$shm"
mkdir -p "$work" "$root/bench/results"
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$shm"' EXIT

echo "building (release)..." >&2
swift build -c release --product preservica-relay >&2
swift build -c release --product relay-load >&2
bin="$root/.build/release"

# nginx, the ceiling: Debian's package, installed when missing.
nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || [ ! -x /usr/sbin/nginx ] || nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ]; then
  echo "nginx is missing; installing Debian's nginx-light..." >&2
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light) >&2 2>&1; then
    nginx_bin=/usr/sbin/nginx
  else
    echo "cannot install nginx (no apt-get, no root or no network): the nginx ceiling is skipped" >&2
  fi
fi

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
log_kb() { du -k "$work/$1.log" | cut -f1; }
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

# The disk's fdatasync latency and kernel CPU for a 1.1 KB write, two ways: into zeros already
# written (as the journal writes once a segment holds 1 MiB) and growing the file (an append).
read -r fsync_ms fsync_sys_us append_ms append_sys_us < <(python3 - "$work" <<'PY'
import os, resource, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
n = 1000
def measure(reserved):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    if reserved:
        os.write(fd, b"\0" * (n * 1100 + 4096))
        os.fdatasync(fd)
        os.lseek(fd, 0, os.SEEK_SET)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    start = time.perf_counter()
    for _ in range(n):
        os.write(fd, b"x" * 1100)
        os.fdatasync(fd)
    elapsed = time.perf_counter() - start
    system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - before
    os.close(fd)
    os.unlink(path)
    return elapsed / n * 1000, system / n * 1e6
reserved_ms, reserved_us = measure(True)
append_ms, append_us = measure(False)
print("%.3f %.0f %.3f %.0f" % (reserved_ms, reserved_us, append_ms, append_us))
PY
)

# RSS floor: a program that only creates a URLSession.
swiftc -O "$root/bench/rss-baseline.swift" -o "$work/rss-baseline" 2>/dev/null
"$work/rss-baseline" & baseline_pid=$!
sleep 1
baseline_rss=$(rss_kb $baseline_pid)
kill $baseline_pid 2>/dev/null || true

# CPU ticks (user + system) of a process and its children (nginx's workers).
cpu_ticks() { local total=0 p; for p in "$1" $(pgrep -P "$1" || true); do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$total"; }
# µs of CPU per answered request: ticks over the run, requests from relay-load's line.
per_request() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$(field "$2" requests)" 'BEGIN {if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "–"}'; }
load_per_request() { awk -v c="$(field "$1" cpu_s)" -v n="$(field "$1" requests)" 'BEGIN {if (n > 0 && c != "") printf "%.1f", c * 1e6 / n; else print "–"}'; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run_nginx -> sets NGINX_LOAD, NGINX_PACED; empty when nginx is unavailable
run_nginx() {
  NGINX_LOAD=""; NGINX_PACED=""; NGINX_CPU="–"
  [ -n "$nginx_bin" ] || return 0
  local port prefix="$work/nginx"
  port=$(free_port)
  mkdir -p "$prefix/logs" "$prefix/temp"
  # One worker per core, as a tuned nginx runs; the body is read and discarded, 200 answered.
  cat > "$prefix/nginx.conf" <<CONF
worker_processes auto;
daemon off;
user root;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $prefix/temp;
  client_max_body_size 2m;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location / { return 200 '{"accepted":1}'; }
  }
}
CONF
  "$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
  local pid=$!
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
    sleep 0.1
  done
  local before; before=$(cpu_ticks $pid)
  NGINX_LOAD=$("$bin/relay-load" --port "$port" --secret "$secret" --connections "$connections" --duration "$duration")
  NGINX_CPU=$(per_request $(( $(cpu_ticks $pid) - before )) "$NGINX_LOAD")
  NGINX_PACED=$("$bin/relay-load" --port "$port" --secret "$secret" --connections "$connections" --duration "$duration" --rate "$rate")
  kill -QUIT $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
}

# run_relay LABEL DATADIR [LOGLEVEL] [EVENTLOOPS] -> sets LOAD (max rate), CAUGHT (seconds until the
# pipeline had taken everything), PACED (fixed rate), RSS_IDLE, RSS_AFTER
run_relay() {
  local label="$1" data="$2" level="${3:-warn}" loops="${4:-}"
  local port limits=""
  [ -z "$loops" ] || limits=", limits: { eventLoops: $loops }"
  port=$(free_port)
  cat > "$work/$label.json5" <<JSON
{ listen: "127.0.0.1:$port", dataDir: "$data", webhook: { secrets: ["$secret"] }$limits }
JSON
  # warn by default; the info run shows what a line per accepted notification costs.
  "$bin/preservica-relay" serve --config "$work/$label.json5" --log-level "$level" 2> "$work/$label.log" &
  local pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
    sleep 0.1
  done
  sleep 0.5
  RSS_IDLE=$(rss_kb $pid)
  local before; before=$(cpu_ticks $pid)
  LOAD=$("$bin/relay-load" --port "$port" --secret "$secret" --connections "$connections" --duration "$duration")
  CPU=$(per_request $(( $(cpu_ticks $pid) - before )) "$LOAD")
  RSS_AFTER=$(rss_kb $pid)
  # Notifications per group commit (one write and one fdatasync) at full load.
  PER_SYNC=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '
    /^preservica_relay_notifications_accepted_total / {a = $2} /^preservica_relay_journal_syncs_total / {s = $2}
    END {if (s > 0) printf "%.1f", a / s; else print "–"}')
  # The pipeline behind the receiver may still be working through what was accepted: wait (at
  # most 180 s) until it has taken every notification, and report how long that took, so a
  # receiver rate bought by a pipeline falling behind shows. The paced run then starts quiet.
  local started; started=$(date +%s%N)
  for _ in $(seq 900); do
    curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^preservica_relay_queue_depth{queue="incoming"} 0$' && break
    sleep 0.2
  done
  CAUGHT=$(awk -v ns="$(( $(date +%s%N) - started ))" 'BEGIN {printf "%.1f", ns / 1e9}')
  PACED=$("$bin/relay-load" --port "$port" --secret "$secret" --connections "$connections" --duration "$duration" --rate "$rate")
  # The HTTP path alone: the same bodies signed with another secret are read, parsed, verified and
  # refused 401 on the event loop, with no journal write and no pipeline behind them.
  REFUSED=""
  if [ "$label" = tmpfs ]; then
    before=$(cpu_ticks $pid)
    REFUSED=$("$bin/relay-load" --port "$port" --secret "other-$secret" --connections "$connections" --duration "$duration")
    REFUSED_CPU=$(per_request $(( $(cpu_ticks $pid) - before )) "$REFUSED")
  fi
  kill -TERM $pid
  wait $pid || true
}

echo "nginx, static 200..." >&2
run_nginx
echo "relay, data dir on disk..." >&2
run_relay disk "$work/data"
disk_per_sync=$PER_SYNC; disk_cpu=$CPU; disk_load=$LOAD; disk_caught=$CAUGHT; disk_paced=$PACED; disk_idle=$RSS_IDLE; disk_after=$RSS_AFTER
echo "relay, data dir on tmpfs..." >&2
run_relay tmpfs "$shm/data"
shm_per_sync=$PER_SYNC; shm_cpu=$CPU; shm_load=$LOAD; shm_caught=$CAUGHT; shm_paced=$PACED; shm_idle=$RSS_IDLE; shm_after=$RSS_AFTER; refused_load=$REFUSED; refused_cpu=$REFUSED_CPU
echo "relay, data dir on tmpfs, logging each notification at info..." >&2
rm -rf "$shm/data"
run_relay info "$shm/data" info
info_cpu=$CPU; info_load=$LOAD; info_caught=$CAUGHT; info_paced=$PACED
echo "relay, data dir on tmpfs, one event loop..." >&2
rm -rf "$shm/data"
run_relay loops "$shm/data" warn 1
loops_cpu=$CPU; loops_load=$LOAD; loops_caught=$CAUGHT; loops_paced=$PACED

echo "pyPreservica WebHookHandler..." >&2
venv="$root/.build/bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q pyPreservica >&2
"$venv/bin/python" "$root/bench/pypreservica_server.py" 0 "$secret" > "$work/pyp.port" &
pyp_pid=$!
for _ in $(seq 100); do [ -s "$work/pyp.port" ] && break; sleep 0.1; done
pyp_version=$("$venv/bin/pip" show pyPreservica | awk '/^Version/ {print $2}')
pyp_load=$("$bin/relay-load" --port "$(cat "$work/pyp.port")" --secret "$secret" --connections "$connections" --duration "$duration" --chunked)
kill $pyp_pid 2>/dev/null || true

disk_rps=$(field "$disk_load" rps); shm_rps=$(field "$shm_load" rps); pyp_rps=$(field "$pyp_load" rps)
info_rps=$(field "$info_load" rps); loops_rps=$(field "$loops_load" rps); nginx_rps=$(field "$NGINX_LOAD" rps)
# relay-load counts only 2xx in rps; the refused run is all 401s.
refused_rps=$(python3 -c "print('%.0f' % ($(field "$refused_load" requests) / $duration))")
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
of_nginx() { if [ -n "$nginx_rps" ]; then python3 -c "print('%.0f%%' % (100 * $1 / $nginx_rps))"; else echo "–"; fi; }
fsync_ceiling=$(python3 -c "print('%.0f' % ($connections / ($fsync_ms / 1000)))")
effective_ceiling=$(python3 -c "print('%.0f' % min($fsync_ceiling, $shm_rps))")

report="$root/bench/results/receiver-$(date -u +%Y-%m-%d).md"
{
  echo "### Receiver benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(swift --version 2>/dev/null | head -1)"
  echo "Load: $connections keep-alive connections, ${duration}s, signed ~1 KiB notifications, each different (bench/relay-load); paced run at $rate req/s. The relay rows use the default limits.eventLoops (one per core, at most 4: $(( $(nproc) < 4 ? $(nproc) : 4 )) here) unless they say otherwise."
  echo
  echo "| server | requests/s | of nginx | p50 ms | p99 ms | pipeline caught up after (s) | p99 ms at $rate/s | RSS idle → after (MB) | CPU µs per request: server / load generator |"
  echo "|---|---|---|---|---|---|---|---|---|"
  if [ -n "$nginx_rps" ]; then
    echo "| nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||'), static 200, $(nproc) workers | $nginx_rps | 100% | $(field "$NGINX_LOAD" p50_ms) | $(field "$NGINX_LOAD" p99_ms) | – | $(field "$NGINX_PACED" p99_ms) | – | $NGINX_CPU / $(load_per_request "$NGINX_LOAD") |"
  fi
  echo "| relay, dataDir on disk | $disk_rps | $(of_nginx "$disk_rps") | $(field "$disk_load" p50_ms) | $(field "$disk_load" p99_ms) | $disk_caught | $(field "$disk_paced" p99_ms) | $((disk_idle / 1024)) → $((disk_after / 1024)) | $disk_cpu / $(load_per_request "$disk_load") |"
  echo "| relay, dataDir on tmpfs | $shm_rps | $(of_nginx "$shm_rps") | $(field "$shm_load" p50_ms) | $(field "$shm_load" p99_ms) | $shm_caught | $(field "$shm_paced" p99_ms) | $((shm_idle / 1024)) → $((shm_after / 1024)) | $shm_cpu / $(load_per_request "$shm_load") |"
  echo "| relay, dataDir on tmpfs, a log line per notification (info) | $info_rps | $(of_nginx "$info_rps") | $(field "$info_load" p50_ms) | $(field "$info_load" p99_ms) | $info_caught | $(field "$info_paced" p99_ms) | – | $info_cpu / $(load_per_request "$info_load") |"
  echo "| relay, dataDir on tmpfs, one event loop (limits.eventLoops: 1) | $loops_rps | $(of_nginx "$loops_rps") | $(field "$loops_load" p50_ms) | $(field "$loops_load" p99_ms) | $loops_caught | $(field "$loops_paced" p99_ms) | – | $loops_cpu / $(load_per_request "$loops_load") |"
  echo "| relay, HTTP path alone: verified and refused 401, nothing written | $refused_rps | $(of_nginx "$refused_rps") | $(field "$refused_load" p50_ms) | $(field "$refused_load" p99_ms) | – | – | – | $refused_cpu / $(load_per_request "$refused_load") |"
  echo "| pyPreservica $pyp_version WebHookHandler (chunked, HTTP/1.0) | $pyp_rps | $(of_nginx "$pyp_rps") | $(field "$pyp_load" p50_ms) | $(field "$pyp_load" p99_ms) | – | – | – | – / $(load_per_request "$pyp_load") |"
  echo
  echo "- Ratios to pyPreservica: disk $(ratio "$disk_rps" "$pyp_rps")x, tmpfs $(ratio "$shm_rps" "$pyp_rps")x."
  [ -n "$nginx_rps" ] || echo "- nginx could not be run here: no ratio to it."
  echo "- Errors or non-2xx: disk $(field "$disk_load" errors)/$(field "$disk_load" non2xx), tmpfs $(field "$shm_load" errors)/$(field "$shm_load" non2xx), info $(field "$info_load" errors)/$(field "$info_load" non2xx), pyPreservica $(field "$pyp_load" errors)/$(field "$pyp_load" non2xx)${nginx_rps:+, nginx $(field "$NGINX_LOAD" errors)/$(field "$NGINX_LOAD" non2xx)}."
  echo "- fdatasync of a 1.1 KB write on this disk: $fsync_ms ms and $fsync_sys_us µs of kernel CPU into reserved zeros (as the journal writes past 1 MiB), $append_ms ms and $append_sys_us µs growing the file."
  echo "- fsync ceiling $connections / latency (into reserved zeros) = $fsync_ceiling/s."
  echo "- Notifications per group commit (accepted ÷ preservica_relay_journal_syncs_total) at full load: disk $disk_per_sync, tmpfs $shm_per_sync."
  echo "- Effective durable ceiling = min(fsync ceiling, CPU ceiling measured on tmpfs) = $effective_ceiling/s; on disk the relay reaches $(python3 -c "print('%.0f' % (100 * $disk_rps / $effective_ceiling))")% of it."
  echo "- RSS floor of a Swift program that only creates a URLSession: $((baseline_rss / 1024)) MB."
  echo "- The relay's log (stderr, at warn unless said) over each run, in KB: disk $(log_kb disk), tmpfs with the 401 run $(log_kb tmpfs), info $(log_kb info), one loop $(log_kb loops)."
} | tee "$report"
echo "(written to ${report#$root/})" >&2
