"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium, for page tests."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_NAMES = ("chromedriver",)
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000", "--hide-scrollbars")


def _which(names: tuple[str, ...]) -> str | None:
    for n in names:
        p = shutil.which(n)
        if p:
            return p
    return None


def ensure_chromium() -> tuple[str, str]:
    """Paths of chromium and chromedriver, installing the Debian packages when missing.

    Skips the calling test, with the reason, when they are missing and cannot be installed.
    """
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    browser, driver = _which(CHROMIUM_NAMES), _which(DRIVER_NAMES)
    if browser and driver:
        return browser, driver
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("headless Chromium is missing; install it with "
                    "`apt-get install -y chromium chromium-driver` (needs root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "chromium-driver"]):
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if r.returncode != 0:
            pytest.skip(f"could not install chromium with apt-get: {r.stderr.strip()[-300:]}")
    browser, driver = _which(CHROMIUM_NAMES), _which(DRIVER_NAMES)
    if not (browser and driver):
        pytest.skip("apt-get installed chromium but no chromium/chromedriver is on PATH")
    return browser, driver


def inspect_page(page: Path, screenshot: Path | None = None, timeout: float = 60.0
                 ) -> dict[str, Any]:
    """Open ``page`` in headless Chromium; return console errors, requests and chart counts."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = ensure_chromium()
    profile = tempfile.mkdtemp(prefix="ecomgen-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for f in FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    try:
        url = page.resolve().as_uri()
        drv.get_log("performance")  # drop the start-up tab's internal requests
        drv.get(url)
        expected = int(drv.execute_script("return Number(document.body.dataset.charts || 0)"))
        js_rendered = ("return Array.from(document.querySelectorAll('div.chart'))"
                       ".filter(d => d.querySelector('.main-svg')).length")
        deadline = time.monotonic() + timeout
        rendered = 0
        while time.monotonic() < deadline:
            rendered = int(drv.execute_script(js_rendered))
            if rendered >= expected:
                break
            time.sleep(0.25)
        time.sleep(0.5)  # let late console messages arrive
        divs = int(drv.execute_script("return document.querySelectorAll('div.chart').length"))
        resources = drv.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        console = drv.get_log("browser")
        requests = []
        for entry in drv.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                requests.append(msg["params"]["request"]["url"])
        sections = drv.execute_script(
            "return Array.from(document.querySelectorAll('main > section')).map(s => s.id)")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            height = int(drv.execute_script("return document.documentElement.scrollHeight"))
            width = int(drv.execute_script("return document.documentElement.scrollWidth"))
            shot = drv.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        return {"url": url, "expected_charts": expected, "chart_divs": divs,
                "rendered_charts": rendered, "resources": resources, "console": console,
                "requests": requests, "sections": sections}
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)
