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
