"""Headless Chromium through Debian's chromedriver, as the browser scripts drive it (offline)."""
import json
import os
import sys
from contextlib import contextmanager

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


def sign_in(driver, wait, base: str, tenant: str, username: str, password: str, path: str) -> None:
    """Signs in through the form (cookies cleared first) and waits for `path` to load."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(base + "/login?next=" + path)
    driver.find_element(By.ID, "tenant").clear()
    driver.find_element(By.ID, "tenant").send_keys(tenant)
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(lambda d: d.current_url.endswith(path) and d.execute_script("return document.readyState") == "complete")


@contextmanager
def session(window: str):
    """A fresh browser for the `with` block; on a failure, says where the browser was and what it
    showed; always quits."""
    driver = start(window)
    try:
        yield driver
    except Exception:
        print("at " + driver.current_url + ": " + driver.page_source[:300], file=sys.stderr)
        raise
    finally:
        driver.quit()


def reporter(driver, prefix: str):
    """`say(step, **facts)`: prints one JSON line for a step and, with FULLCHAIN_SCREENSHOTS set to a
    folder, leaves the screenshot `PREFIX-STEP.png` there."""
    shots = os.environ.get("FULLCHAIN_SCREENSHOTS")

    def say(step, **facts):
        print(json.dumps({"step": step, **facts}, ensure_ascii=False), flush=True)
        if shots:
            driver.save_screenshot(os.path.join(shots, prefix + "-" + step + ".png"))

    return say


def run(window: str, body) -> None:
    """Runs `body(driver)` in a fresh browser and prints what it returns as one JSON line."""
    with session(window) as driver:
        print(json.dumps(body(driver), ensure_ascii=False), flush=True)
