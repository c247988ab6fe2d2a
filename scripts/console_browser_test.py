"""Drives the curators' console in headless Chromium against `preservica-relay demo --keep-running`.

Signs in as the simulator's curator, adds a Teams channel for ingest failures in a folder picked in
the folder browser, sends a test card and sees it arrive at the Teams stand-in, makes the simulator
send a real ingest failure in that folder and sees the card arrive and appear in the console's
deliveries, pauses the channel and sees the next failure not delivered to it, and signs out.
Every wait is for a condition, with a deadline. Prints one line per step; exits 1 on the first failure.
"""
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BINARY = os.environ["RELAY_BINARY"]
SHOTS = os.environ["SCREENSHOTS"]
LETTERS = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b02"
COLLECTIONS = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b01"
MINUTES = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f02"   # in Letters & Correspondence
LETTER = "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2"    # in Bjørnson family papers, below Letters
CHANNEL = "letters-failures"


class Demo:
    """The demo process; its output lines are collected by a thread as they come."""

    def __init__(self):
        self.process = subprocess.Popen([BINARY, "demo", "--keep-running"], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def text(self):
        with self.lock:
            return "\n".join(self.lines)

    def cards(self):
        with self.lock:
            return [line for line in self.lines if re.match(r"\s+card \d+:", line)]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wait_for(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


step_number = 0


def step(driver, name):
    global step_number
    step_number += 1
    path = os.path.join(SHOTS, f"{step_number:02d}-{name}.png")
    driver.save_screenshot(path)
    print(f"ok   {step_number:02d} {name}  ({path})")


def audit_lines(audit):
    try:
        with open(audit, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        return []


def main():
    demo = Demo()
    driver = None
    try:
        wait_for(lambda: "Press Ctrl-C to stop." in demo.text() or demo.process.poll() is not None, "the demo to start", 180)
        text = demo.text()
        if "Press Ctrl-C to stop." not in text:
            raise AssertionError("the demo did not keep running:\n" + text)
        console = re.search(r"Curators' console (http://\S+/console/)", text).group(1)
        login = re.search(r"sign in as (\S+) / (\S+) \(tenant", text)
        teams_url = re.search(r"a Teams Workflows URL to paste for a new channel: (\S+)", text).group(1)
        send = re.search(r"simulate send --url (\S+) --secret (\S+)", text)
        cards_dir = re.search(r"Cards are saved in (\S+)", text).group(1)
        audit = os.path.join(os.path.dirname(cards_dir), "data", "audit.log")

        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        # The page's own errors (a script that throws) are read at the end.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        wait = WebDriverWait(driver, 60)

        # Without its script (switched off, or console.js blocked by a proxy) the page cannot sign
        # in, and pressing Enter or the button must not submit the form natively: a GET would put
        # the password in the address, the browser's history and the proxy's access log.
        scriptless_options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
            scriptless_options.add_argument(argument)
        scriptless_options.binary_location = "/usr/bin/chromium"
        scriptless_options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        scriptless = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=scriptless_options)
        try:
            scriptless.get(console)
            WebDriverWait(scriptless, 60).until(EC.visibility_of_element_located((By.ID, "username")))
            scriptless.find_element(By.ID, "username").send_keys(login.group(1))
            scriptless.find_element(By.ID, "password").send_keys("scriptless-secret" + Keys.ENTER)
            scriptless.find_element(By.ID, "signin-button").click()
            # ChromeDriver returns from a key press or click only after a navigation it started has
            # loaded, so a native submission would show in the address by now.
            assert "scriptless-secret" not in scriptless.current_url, "the password went into the address: " + scriptless.current_url
            assert "password=" not in scriptless.current_url, scriptless.current_url
            assert "needs JavaScript" in scriptless.find_element(By.TAG_NAME, "body").text, "the page says why nothing happens"
            scriptless.save_screenshot(os.path.join(SHOTS, "00-without-script.png"))
            print("ok      without its script the sign-in form sends nothing and says why")
        finally:
            scriptless.quit()

        # JavaScript on, but the script blocked (a proxy that refuses it): the page says so and
        # cannot be submitted either.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*console.js"]})
        driver.get(console)
        wait.until(EC.visibility_of_element_located((By.ID, "needs-script")))
        assert not driver.find_element(By.ID, "signin-button").is_enabled(), "the button waits for the script"
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        print("ok      with its script blocked the page says it needs it, and cannot be sent")

        driver.get(console)
        wait.until(EC.visibility_of_element_located((By.ID, "username")))
        wait.until(EC.invisibility_of_element_located((By.ID, "needs-script")))
        step(driver, "sign-in-page")

        driver.find_element(By.ID, "username").send_keys(login.group(1))
        driver.find_element(By.ID, "password").send_keys("not-the-password")
        driver.find_element(By.ID, "signin-button").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "signin-error"), "sign-in failed"))
        step(driver, "wrong-password-refused")

        driver.find_element(By.ID, "password").clear()
        driver.find_element(By.ID, "password").send_keys(login.group(2))
        driver.find_element(By.ID, "signin-button").click()
        wait.until(EC.visibility_of_element_located((By.ID, "add-channel")))
        wait.until(EC.text_to_be_present_in_element((By.ID, "who-name"), "Cora Curator"))
        step(driver, "signed-in")

        driver.find_element(By.ID, "add-channel").click()
        wait.until(EC.visibility_of_element_located((By.ID, "ch-name"))).send_keys(CHANNEL)
        assert driver.find_element(By.ID, "ch-type").get_attribute("value") == "teams", "Teams comes first"
        assert driver.find_element(By.ID, "teams-help").is_displayed(), "the Teams steps are shown"
        assert "any of open" in driver.find_element(By.ID, "ch-tags-hint").text, driver.find_element(By.ID, "ch-tags-hint").text
        driver.find_element(By.ID, "ch-url").send_keys(teams_url)
        driver.find_element(By.ID, "trig-failed").click()
        driver.find_element(By.ID, "choose-folder").click()
        wait.until(EC.element_to_be_clickable((By.ID, "open-" + COLLECTIONS))).click()
        wait.until(EC.element_to_be_clickable((By.ID, "choose-" + LETTERS)))
        step(driver, "folder-browser")
        driver.find_element(By.ID, "choose-" + LETTERS).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "ch-folder-title"), "Letters & Correspondence"))
        step(driver, "channel-form")
        driver.find_element(By.ID, "save-channel").click()
        item = wait.until(EC.visibility_of_element_located((By.ID, "channel:" + CHANNEL)))
        assert "An ingest failed".lower() in item.text.lower(), item.text
        assert "Security tags: any of open" in item.text, "the channel says which tags it receives: " + item.text
        assert "sig=" not in driver.page_source, "the saved URL is never shown"
        step(driver, "channel-saved")

        before = len(demo.cards())
        driver.find_element(By.ID, "test:" + CHANNEL).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "test-result:" + CHANNEL), "Teams accepted it"))
        wait_for(lambda: len(demo.cards()) > before, "the test card at the Teams stand-in")
        step(driver, "test-card-sent")
        health = driver.find_element(By.ID, "health:" + CHANNEL).text
        assert "No card delivered" in health or "Last card delivered" in health, health

        def delivered_to(channel):
            return [line for line in audit_lines(audit) if line.get("step") == "delivered" and line.get("channel") == channel]

        before = len(demo.cards())
        result = subprocess.run([BINARY, "simulate", "send", "--url", send.group(1), "--secret", send.group(2),
                                 "--ref", MINUTES, "--trigger", "INGEST_FAILED"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        wait_for(lambda: delivered_to(CHANNEL), "the ingest failure card delivered to the console's channel")
        def new_card_mentions(text):
            # The demo saves each card the sink receives as cards/card-N.json, numbered from 1.
            for number in range(before + 1, len(demo.cards()) + 1):
                try:
                    with open(os.path.join(cards_dir, f"card-{number}.json"), encoding="utf-8") as handle:
                        if text in handle.read():
                            return True
                except FileNotFoundError:
                    pass
            return False
        wait_for(lambda: new_card_mentions("Minutes of the Board"), "the failure card at the sink")
        driver.refresh()
        wait.until(EC.text_to_be_present_in_element((By.ID, "health:" + CHANNEL), "Last card delivered"))
        driver.find_element(By.ID, "deliveries:" + CHANNEL).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "recent-list"), "delivered"))
        step(driver, "failure-card-delivered")
        driver.find_element(By.ID, "close-deliveries").click()

        def sign_in_form(user):
            """Signs `user` in through the page's form, with the demo's password."""
            driver.find_element(By.ID, "username").clear()
            driver.find_element(By.ID, "username").send_keys(user)
            driver.find_element(By.ID, "password").send_keys(login.group(2))
            driver.find_element(By.ID, "signin-button").click()

        def browser_session():
            """The browser's session as the API sees it: the request headers and the CSRF token."""
            cookie = driver.get_cookie("relay_console")
            headers = {"Cookie": "relay_console=" + cookie["value"], "Accept": "application/json"}
            with urllib.request.urlopen(urllib.request.Request(console + "api/session", headers=headers), timeout=10) as answer:
                return headers, json.loads(answer.read())["csrfToken"]

        def end_browser_session():
            """Ends the browser's session from outside, as an idle timeout or a sign-out in another tab does."""
            headers, token = browser_session()
            urllib.request.urlopen(urllib.request.Request(console + "api/session", method="DELETE",
                                                          headers=dict(headers, **{"X-CSRF-Token": token})), timeout=10).close()

        # The session ends while a change is being made (idle, or signed out in another tab):
        # saving asks to sign in again, says why, and the change is still there afterwards.
        driver.find_element(By.ID, "edit:" + CHANNEL).click()
        wait.until(EC.element_to_be_clickable((By.ID, "trig-moved"))).click()
        end_browser_session()
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "signin-error"), "session has ended"))
        assert "changes are kept" in driver.find_element(By.ID, "signin-error").text
        step(driver, "session-ended-while-editing")
        sign_in_form(login.group(1))
        wait.until(EC.visibility_of_element_located((By.ID, "save-channel")))
        assert driver.find_element(By.ID, "trig-moved").is_selected(), "the change is kept"
        assert "Signed in again" in driver.find_element(By.ID, "form-error").text, driver.find_element(By.ID, "form-error").text
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "channel:" + CHANNEL), "something was moved"))
        step(driver, "saved-after-signing-in-again")

        # Another tab of the same browser signs in (the cookie is replaced under this page): as the
        # same person, the page takes the new session's token and the save goes through; as
        # someone else, it stops and says so rather than act as them.
        def sign_in_elsewhere(user):
            body = json.dumps({"username": user, "password": login.group(2), "tenant": ""}).encode()
            request = urllib.request.Request(console + "api/session", data=body, method="POST",
                                             headers={"Content-Type": "application/json", "Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                cookie_header = answer.headers.get("Set-Cookie")
            value = re.search(r"relay_console=([^;]+)", cookie_header).group(1)
            driver.delete_cookie("relay_console")
            driver.add_cookie({"name": "relay_console", "value": value, "path": "/console", "httpOnly": True, "sameSite": "Strict"})
            return value
        own = sign_in_elsewhere(login.group(1))
        driver.find_element(By.ID, "edit:" + CHANNEL).click()
        wait.until(EC.element_to_be_clickable((By.ID, "trig-security"))).click()
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "channel:" + CHANNEL), "a security tag changed"))
        step(driver, "saved-after-another-tab-signed-in")
        sign_in_elsewhere("archivist")
        driver.find_element(By.ID, "edit:" + CHANNEL).click()
        wait.until(EC.element_to_be_clickable((By.ID, "trig-security"))).click()
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "form-error"), "Someone else has signed in"))
        step(driver, "someone-else-signed-in-elsewhere")
        driver.delete_cookie("relay_console")
        driver.add_cookie({"name": "relay_console", "value": own, "path": "/console", "httpOnly": True, "sameSite": "Strict"})
        driver.find_element(By.ID, "cancel-edit").click()

        # The session ends while one person edits and another signs in at the same browser: the
        # first person's unsaved changes are not shown to the second, and are discarded.
        driver.find_element(By.ID, "edit:" + CHANNEL).click()
        wait.until(EC.element_to_be_clickable((By.ID, "trig-visibility"))).click()
        driver.find_element(By.ID, "ch-url").send_keys("https://draft.example/unsaved")
        end_browser_session()
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "signin-error"), "session has ended"))
        sign_in_form("archivist")
        wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "were discarded"))
        assert not driver.find_element(By.ID, "editor").is_displayed(), "the other person's form is not shown"
        assert driver.find_element(By.ID, "ch-url").get_attribute("value") == "", "the unsaved URL is gone"
        assert "visibility" not in driver.find_element(By.ID, "channel:" + CHANNEL).text.lower()
        assert "Owner: " + login.group(1) in driver.find_element(By.ID, "channel:" + CHANNEL).text, "an administrator sees whose it is"
        step(driver, "another-person-signed-in-draft-discarded")
        driver.find_element(By.ID, "signout").click()
        wait.until(EC.visibility_of_element_located((By.ID, "signin-button")))
        sign_in_form(login.group(1))
        wait.until(EC.visibility_of_element_located((By.ID, "pause:" + CHANNEL)))

        # Someone saves the channel while the form is open: saving says so, the form shows their
        # version with this person's change on top, and saving again applies only that change.
        driver.find_element(By.ID, "edit:" + CHANNEL).click()
        wait.until(EC.element_to_be_clickable((By.ID, "trig-visibility"))).click()
        headers, token = browser_session()
        with urllib.request.urlopen(urllib.request.Request(console + "api/channels", headers=headers), timeout=10) as answer:
            version = [c for c in json.loads(answer.read())["channels"] if c["name"] == CHANNEL][0]["version"]
        change = json.dumps({"version": version, "securityTags": ["open"]}).encode()
        urllib.request.urlopen(urllib.request.Request(console + "api/channels/" + CHANNEL, data=change, method="PUT", headers=dict(
            headers, **{"X-CSRF-Token": token, "Content-Type": "application/json"})), timeout=10).close()
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "form-error"), "save again"))
        assert driver.find_element(By.ID, "trig-visibility").is_selected(), "the change is kept"
        wait.until(lambda d: d.find_element(By.ID, "ch-tags").get_attribute("value") == "open")
        step(driver, "changed-meanwhile-form-kept")
        driver.find_element(By.ID, "save-channel").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "channel:" + CHANNEL), "visibility"))
        assert "Security tags: open" in driver.find_element(By.ID, "channel:" + CHANNEL).text, "the other person's change stays"
        step(driver, "saved-with-the-other-change")

        driver.find_element(By.ID, "pause:" + CHANNEL).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "channel:" + CHANNEL), "paused"))
        step(driver, "channel-paused")
        delivered_before = len(delivered_to(CHANNEL))
        result = subprocess.run([BINARY, "simulate", "send", "--url", send.group(1), "--secret", send.group(2),
                                 "--ref", LETTER, "--trigger", "INGEST_FAILED"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        routed = wait_for(lambda: [line for line in audit_lines(audit)
                                   if line.get("step") == "routed" and line.get("entity") == LETTER], "the next failure to be routed")
        assert CHANNEL not in routed[-1]["channels"], routed[-1]
        # The demo's own channel still takes it: once that card is delivered the event is done with.
        wait_for(lambda: [line for line in audit_lines(audit) if line.get("step") == "delivered" and line.get("channel") == "curators"
                          and line.get("event", "").endswith(LETTER)], "the event's other card")
        assert len(delivered_to(CHANNEL)) == delivered_before, "a paused channel got a card"
        print("ok      the next failure was not delivered to the paused channel")

        driver.set_window_size(390, 844)
        driver.execute_script("window.scrollTo(0, 0)")
        step(driver, "phone-width")
        driver.set_window_size(1280, 1000)

        cookie = driver.get_cookie("relay_console")
        assert cookie and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie
        driver.find_element(By.ID, "signout").click()
        wait.until(EC.visibility_of_element_located((By.ID, "signin-button")))
        request = urllib.request.Request(console + "api/channels", headers={"Cookie": "relay_console=" + cookie["value"]})
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("the session still works after signing out")
        except urllib.error.HTTPError as error:
            assert error.code == 401, error.code
        step(driver, "signed-out")
        # Refused requests (401, 409…) are logged by the browser as failed loads; anything else severe
        # is the page's script failing.
        errors = [entry["message"] for entry in driver.get_log("browser")
                  if entry.get("level") == "SEVERE" and "Failed to load resource" not in entry.get("message", "")]
        assert not errors, "the page's script failed: " + "; ".join(errors)
        print("ok      no script errors in the browser's console")
        print("Console browser test: every step went as expected.")
        return 0
    except Exception as error:  # report any failure with a last screenshot
        print(f"FAIL after step {step_number}: {type(error).__name__} {error}")
        print("".join(traceback.format_exception(error)[-3:]))
        if demo.process.poll() is not None:
            print(f"the demo exited with {demo.process.returncode}; its last lines:")
        print("\n".join(demo.text().splitlines()[-15:]))
        if driver is not None:
            driver.save_screenshot(os.path.join(SHOTS, "failure.png"))
        return 1
    finally:
        if driver is not None:
            driver.quit()
        demo.stop()


if __name__ == "__main__":
    sys.exit(main())
