#!/usr/bin/env bash
# End-to-end test of the curators' console in a real browser: headless Chromium driven by
# Selenium against `preservica-relay demo --keep-running` (the Preservica simulator and a Teams
# stand-in on loopback). Screenshots of every step go to .build/console-screenshots/.
# Installs Debian's chromium and chromium-driver and PyPI's selenium when missing; exits 3 (with a
# message saying so) when it cannot, 1 when a step fails, 0 when every step went as expected.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.build/selenium-venv"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium and chromium-driver"
        { timeout 600 apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1 \
            || { timeout 300 apt-get update >/dev/null 2>&1 \
                 && timeout 600 apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1; }; } \
            || { echo "console-browser-test: cannot install chromium and chromium-driver with apt-get; skipped"; exit 3; }
    else
        echo "console-browser-test: chromium and chromium-driver are missing and cannot be installed here (needs root and apt-get); skipped"
        exit 3
    fi
fi

python="python3"
if ! python3 -c "import selenium" 2>/dev/null; then
    if [[ ! -x "$venv/bin/python" ]]; then
        python3 -m venv "$venv" || { echo "console-browser-test: cannot create a Python venv for selenium; skipped"; exit 3; }
    fi
    if ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
        timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check selenium \
            || { echo "console-browser-test: cannot install selenium from PyPI; skipped"; exit 3; }
    fi
    python="$venv/bin/python"
fi

cd "$root"
timeout 900 swift build --product preservica-relay >/dev/null
binary="$(swift build --show-bin-path)/preservica-relay"
mkdir -p .build/console-screenshots
RELAY_BINARY="$binary" SCREENSHOTS="$root/.build/console-screenshots" timeout 600 "$python" scripts/console_browser_test.py
