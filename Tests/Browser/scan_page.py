"""Opens a code's H5 page in headless Chromium the way a consumer's phone does, twice.

    python3 Tests/Browser/scan_page.py URL LATITUDE LONGITUDE

The phone allows its position (WGS-84). Prints one JSON line per visit with what the page
shows once its script has recorded the scan: the verdict, the prize, the selling store and nearby stores.
"""
import json
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHECKING = ("正在查验…", "Checking…")


def main() -> None:
    url, latitude, longitude = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    driver = chromium.start(chromium.PHONE)
    try:
        driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["geolocation"]})
        driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": latitude, "longitude": longitude, "accuracy": 20})
        for _ in range(2):
            driver.get(url)
            WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").text not in CHECKING)
            # Nearby stores arrive after the verdict.
            WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "nearby").is_displayed())
            print(json.dumps({
                "verdict": driver.find_element(By.ID, "verdict").text,
                "store": driver.find_element(By.ID, "store").text,
                "nearby": driver.find_element(By.ID, "nearby").text,
                "prize": driver.find_element(By.ID, "prize").text,
            }, ensure_ascii=False), flush=True)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
