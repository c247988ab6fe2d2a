#!/usr/bin/env python3
"""Looks at what curators and operators see, in a real browser (headless Chromium).

Renders the gallery of default Teams cards (in a configured zone), the demo's cards, and the
status page of a running relay (also while Preservica's Retry-After holds every call back); saves a PNG of each under .build/browser/ for people to look at,
and checks the content each page shows in the browser (titles first, facts in order, no "0 bytes",
the zone named, the status page's words), never pixels.

Exit 0: every check held. Exit 1: a check failed (each one is printed). Exit 3: Chromium is not
here and could not be installed, so nothing was checked.
"""
import html.parser
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, ".build", "browser")
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium():
    browser = find_chromium()
    if browser:
        return browser
    print("Chromium is not installed; installing Debian's chromium package")
    if shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=900)
    return find_chromium()


class TextOf(html.parser.HTMLParser):
    """The visible text of a page, in document order, one string per text node."""

    def __init__(self):
        super().__init__()
        self.texts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def browse(browser, url, png, height=2400):
    """Screenshot of `url` into `png`, and the text the browser shows (after it has laid the page out)."""
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              "--disable-dev-shm-usage", "--user-data-dir=" + tempfile.mkdtemp(prefix="chromium-")]
    subprocess.run(common + ["--window-size=900,%d" % height, "--screenshot=" + png, url],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    parser = TextOf()
    parser.feed(dom)
    return dom, parser.texts


def binary():
    subprocess.run(["swift", "build", "--product", "preservica-relay"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(bin_path, "preservica-relay")


def gallery(browser, relay):
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "relay.json5")
        with open(config, "w") as f:
            f.write('{ webhook: { secrets: ["gallery"] }, display: { timeZone: "Europe/Oslo", identifiers: ["code"] } }\n')
        subprocess.run([relay, "preview", "--gallery", OUT, "--target", "teams", "--config", config], check=True, stdout=subprocess.DEVNULL)
    page = os.path.join(OUT, "teams-gallery.html")
    dom, texts = browse(browser, "file://" + page, os.path.join(OUT, "teams-gallery.png"), height=6000)
    joined = "\n".join(texts)
    check("Bjørnson: brev til Åse, 1884" in texts, "gallery: the asset's title is shown")
    first = texts.index("Bjørnson: brev til Åse, 1884") if "Bjørnson: brev til Åse, 1884" in texts else -1
    after = texts[first:first + 12]
    check(first >= 0 and any(t.startswith("Ingested") for t in after[:3]), "gallery: the title comes first, then what happened")
    check(any("Bjørnson family papers" in t for t in after[:6]), "gallery: then where it sits (the breadcrumb)")
    check("0 bytes" not in joined, "gallery: no card says \"0 bytes\"")
    check("no files" in joined, "gallery: an asset without files says \"no files\"")
    # Teams shows each reader's own time: the picture draws it for a reader in the configured zone
    # (Europe/Oslo), so the digest of 09:40-09:41 UTC reads 10:40-10:41.
    check("10:40" in joined and "10:41" in joined and "9:40" not in joined.replace("09:40", ""),
          "gallery: times are drawn in the configured zone (Europe/Oslo)")
    check("{{DATE(" not in joined, "gallery: Teams' DATE()/TIME() are drawn as a reader sees them")
    check(any(t.startswith("This channel does not show its title") for t in texts), "gallery: a redacted card says why it shows nothing")
    check("Personnel file, 1950–1975" not in joined, "gallery: the redacted card hides the title")
    reference = [i for i, t in enumerate(texts[first:first + 30]) if t.startswith("Preservica 9a0c4f3e")]
    files = [i for i, t in enumerate(texts[first:first + 30]) if re.match(r"^\d+ files? · ", t)]
    check(bool(reference) and bool(files) and files[0] < reference[0], "gallery: file totals before the files, the reference last")
    kinds = dom.count('class="ac-card')
    check(kinds >= 9, "gallery: every kind of card side by side (%d)" % kinds)


def demo_and_status(browser, relay):
    log_path = os.path.join(OUT, "demo.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen([relay, "demo", "--keep-running"], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                   start_new_session=True)
    try:
        status_url, cards_dir = None, None
        deadline = time.time() + 240
        while time.time() < deadline and process.poll() is None:
            text = open(log_path, encoding="utf-8", errors="replace").read()
            match = re.search(r"Cards are saved in (\S+)", text)
            cards_dir = match.group(1) if match else cards_dir
            match = re.search(r"Status page (http://\S+/)", text)
            if match:
                status_url = match.group(1)
                break
            time.sleep(0.5)
        check(status_url is not None, "demo: ran and kept running (status page URL printed)")
        if not status_url:
            print(open(log_path, encoding="utf-8", errors="replace").read()[-3000:])
            return
        cards = sorted(f for f in os.listdir(cards_dir) if f.endswith(".html")) if cards_dir else []
        check(len(cards) >= 7, "demo: a picture of every card saved (%d)" % len(cards))
        for name in cards:
            _, texts = browse(browser, "file://" + os.path.join(cards_dir, name), os.path.join(OUT, "demo-" + name.replace(".html", ".png")), 1400)
            joined = "\n".join(texts)
            check(bool(texts) and "0 bytes" not in joined, "demo %s: drawn, no \"0 bytes\" (%s)" % (name, texts[0] if texts else "empty"))
        _, texts = browse(browser, status_url, os.path.join(OUT, "status-page.png"), 1400)
        joined = "\n".join(texts)
        check("All 1 channel delivering." in texts, "status page: says every channel delivers")
        check("delivering" in texts and "curators" in texts, "status page: one row per channel with its health")
        check("Bjørnson: brev til Åse, 1884" in texts or "Personnel file, 1950–1975" in texts, "status page: recent cards by title")
        check("Dead letters" in texts, "status page: dead letters section")
        _, narrow = browse(browser, status_url, os.path.join(OUT, "status-page-phone.png"), 1400)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_text(path, pattern, seconds):
    """The first match of `pattern` in the file at `path` within `seconds`, else None."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        match = re.search(pattern, open(path, encoding="utf-8", errors="replace").read())
        if match:
            return match
        time.sleep(0.2)
    return None


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def throttled_status(browser, relay):
    """The status page while Preservica's Retry-After holds every call back: the simulator
    answers every call 429 with Retry-After: 600, and a notification's event is held."""
    import urllib.request
    with tempfile.TemporaryDirectory() as work:
        sim_log = os.path.join(work, "simulator.log")
        with open(sim_log, "w") as log:
            simulator = subprocess.Popen([relay, "simulate", "preservica", "--port", "0", "--password", "pw", "--outage", "429",
                                          "--retry-after", "600"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        processes = [simulator]
        try:
            base = wait_for_text(sim_log, r"listening on (http://\S+)", 60)
            check(base is not None, "throttled Preservica: the simulator started")
            if not base:
                return
            # The letter, among the assets (a folder's name starts the same way).
            ref = wait_for_text(sim_log, r"assets:[\s\S]*?\n\s+([0-9a-f-]{36})\s+Bj", 30)
            port = free_port()
            config = os.path.join(work, "relay.json5")
            with open(config, "w") as out:
                out.write('{ listen: "127.0.0.1:%d", dataDir: "%s", webhook: { secrets: ["browser-check"] },\n'
                          '  preservica: { server: "%s", username: "admin", password: "pw", tenant: "DEMO", retries: 0 },\n'
                          '  channels: { curators: { type: "slack", url: "http://127.0.0.1:9/services/T0/B0/x" } },\n'
                          '  routes: [ { triggers: ["ingest"], channels: ["curators"] } ] }\n'
                          % (port, os.path.join(work, "data"), base.group(1)))
            relay_log = os.path.join(work, "relay.log")
            with open(relay_log, "w") as log:
                serve = subprocess.Popen([relay, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
            processes.append(serve)
            url = "http://127.0.0.1:%d/" % port
            sent = None
            deadline = time.time() + 60
            while time.time() < deadline and sent is None:
                try:
                    urllib.request.urlopen(url + "healthz", timeout=2)
                    sent = subprocess.run([relay, "simulate", "send", "--url", url + "webhook", "--secret", "browser-check",
                                           "--ref", ref.group(1) if ref else "", "--trigger", "ingest"],
                                          capture_output=True, text=True, timeout=60)
                except OSError:
                    time.sleep(0.3)
            check(sent is not None and sent.returncode == 0, "throttled Preservica: the relay took a notification")
            notice = "Preservica asked the relay to wait"
            deadline = time.time() + 60
            page = ""
            while time.time() < deadline and notice not in page and serve.poll() is None:
                try:
                    page = urllib.request.urlopen(url, timeout=5).read().decode("utf-8", "replace")
                except OSError:
                    pass
                time.sleep(0.3)
            check(notice in page, "throttled Preservica: the relay met the Retry-After")
            if notice not in page:
                print(open(relay_log, encoding="utf-8", errors="replace").read()[-3000:])
                return
            _, texts = browse(browser, url, os.path.join(OUT, "status-page-preservica-wait.png"), 1400)
            joined = " ".join(texts)
            check(notice in joined and "no call is sent to it for about" in joined and "more minutes" in joined,
                  "status page: says Preservica asked for a wait, and for about how long")
            check(bool(ref) and ref.group(1) in joined, "status page: lists the held event by its reference")
        finally:
            for process in reversed(processes):
                stop(process)


def main():
    browser = ensure_chromium()
    if not browser:
        print("browser-check: Chromium is not installed and could not be installed (Debian package chromium); skipped")
        return 3
    os.makedirs(OUT, exist_ok=True)
    relay = binary()
    gallery(browser, relay)
    demo_and_status(browser, relay)
    throttled_status(browser, relay)
    print("pictures in %s" % OUT)
    if failures:
        print("browser-check: %d check(s) failed" % len(failures))
        return 1
    print("browser-check: every check held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
