"""Drives the dashboard in headless Chromium, as HQ, a 大区 manager, a salesperson and a store owner.

    python3 Tests/Browser/dashboard_pages.py BASE_URL TENANT PASSWORD

With FULLCHAIN_SCREENSHOTS set to a folder, each step also leaves a screenshot there.

Each person signs in on a desktop window (in Chinese, then in English) and on a phone-sized one,
opens the dashboard for the last seven days, reads the units sold, the rows below and the menu,
then opens the first row (one level down, or the store's page). Prints one JSON line per step.
"""
import json
import os
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main() -> None:
    base, tenant, password = sys.argv[1:4]
    shots = os.environ.get("FULLCHAIN_SCREENSHOTS")
    for window_name, window in (("desktop", chromium.DESKTOP), ("phone", chromium.PHONE)):
        driver = chromium.start(window)
        wait = WebDriverWait(driver, 30)
        try:
            for user in ("admin", "mgr-r1", "sp-s1", "store-st1"):
                driver.delete_all_cookies()
                driver.get(base + "/login")
                driver.find_element(By.ID, "tenant").clear()
                driver.find_element(By.ID, "tenant").send_keys(tenant)
                driver.find_element(By.ID, "username").send_keys(user)
                driver.find_element(By.ID, "password").send_keys(password)
                driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
                wait.until(lambda d: "/login" not in d.current_url and d.execute_script("return document.readyState") == "complete")
                for lang in ("zh", "en"):
                    driver.get(base + "/?preset=last7&lang=" + lang)
                    step = "%s-%s-%s" % (user, window_name, lang)
                    rows = driver.find_elements(By.CSS_SELECTOR, "#dashboard-children tbody tr")
                    facts = {
                        "step": step,
                        "title": driver.title,
                        "units": driver.find_element(By.CSS_SELECTOR, "#dashboard-kpis .kpi[data-metric=unitsSold] .value").text,
                        "rows": "|".join(r.find_element(By.TAG_NAME, "td").text for r in rows),
                        "menu": "|".join(a.get_attribute("href").replace(base, "") for a in driver.find_elements(By.CSS_SELECTOR, "nav.nav a[href^='/']")),
                        "trend": str(len(driver.find_elements(By.ID, "dashboard-trend"))),
                        "map": str(len(driver.find_elements(By.CSS_SELECTOR, "#dashboard-map .place"))),
                        "overflow": str(driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")),
                        "body": driver.find_element(By.TAG_NAME, "main").text,
                    }
                    if shots:
                        driver.save_screenshot(os.path.join(shots, "dashboard-" + step + ".png"))
                    links = driver.find_elements(By.CSS_SELECTOR, "#dashboard-children tbody tr td a")
                    if links:
                        links[0].click()
                        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
                        facts["opened"] = driver.current_url.replace(base, "")
                        trail = driver.find_elements(By.ID, "dashboard-trail")
                        facts["trail"] = trail[0].text if trail else ""
                    print(json.dumps(facts, ensure_ascii=False), flush=True)
        except Exception:
            print("at " + driver.current_url + ": " + driver.page_source[:300], file=sys.stderr)
            raise
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
