"""Headless Chromium through Debian's chromedriver, as the browser scripts drive it (offline)."""
import os

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# A phone held upright, and HQ's desktop.
PHONE = "412,915"
DESKTOP = "1280,1000"


def start(window: str) -> webdriver.Chrome:
    """A Chinese-language headless Chromium with a window of `window` (width,height) pixels."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", "--window-size=" + window):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def run(window: str, body) -> None:
    """Runs `body(driver)` in a fresh browser and prints what it returns as one JSON line; on a
    failure, says where the browser was and what it showed."""
    import json
    import sys

    driver = start(window)
    try:
        print(json.dumps(body(driver), ensure_ascii=False), flush=True)
    except Exception:
        print("at " + driver.current_url + ": " + driver.page_source[:300], file=sys.stderr)
        raise
    finally:
        driver.quit()
