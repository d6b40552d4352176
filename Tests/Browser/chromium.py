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
