"""Headless Chromium for the browser tests and the map benchmark, with no network.

Debian's `chromium` and `chromium-driver` packages (installed by .ci/run). The
driver path is always given, so Selenium Manager never tries to download one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Installed before any page script runs: counts dialogs instead of showing them,
# so a test can assert that nothing from the data called alert/confirm/prompt.
COUNT_DIALOGS = """
window.__dialogs = [];
['alert', 'confirm', 'prompt', 'print'].forEach(function (name) {
  window[name] = function (msg) { window.__dialogs.push(name + ':' + msg); return null; };
});
"""


def browser_missing() -> str | None:
    """Why no browser test can run here, or None when Chromium and its driver are present."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if not shutil.which("chromedriver"):
        return "chromedriver not found (Debian: apt-get install chromium chromium-driver)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
        return "chromium not found (Debian: apt-get install chromium chromium-driver)"
    return None


@contextmanager
def chromium(width: int = 1400, height: int = 1000, page_load: float = 30.0) -> Iterator[Any]:
    """A headless Chromium WebDriver that cannot reach any network (`page_load`: seconds a page may take)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if binary:
        opts.binary_location = binary
    with tempfile.TemporaryDirectory(prefix="cg-chromium-") as profile:
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            # Belt and braces: any request that is not file:// goes nowhere.
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
        ):
            opts.add_argument(flag)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=opts)
        try:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd(
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
            )
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_DIALOGS})
            driver.set_page_load_timeout(page_load)
            yield driver
        finally:
            driver.quit()


def wait_ready(driver: Any, timeout: float = 20.0, frame_js: str = "window") -> None:
    """Wait until the map on the page has drawn once."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.02).until(
        lambda d: d.execute_script(f"return !!({frame_js}.cg && {frame_js}.cg.ready);")
    )
