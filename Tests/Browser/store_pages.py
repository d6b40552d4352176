"""Drives the store intelligence pages in headless Chromium: a salesperson's phone, then the manager's desk.

    python3 Tests/Browser/store_pages.py BASE_URL TENANT PASSWORD STORE_ID LATITUDE LONGITUDE PHOTO_PATH

With FULLCHAIN_SCREENSHOTS set to a folder, each step also leaves a screenshot there.

The salesperson `sp-s1` opens "my tasks" on a phone-sized window, tries to check in 5 km from
the store (refused), checks in at the store with a stock count, a note and a shelf photo, and
resolves the task. The manager `mgr-r1` then finds the resolved alert in the abnormal-store
feed, opens the store's page (the visit with its count and photo) and the salesperson ranking.
Prints one JSON line per step with what the page shows.
"""
import json
import os
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def main() -> None:
    base, tenant, password, store, latitude, longitude, photo = sys.argv[1:8]
    latitude, longitude = float(latitude), float(longitude)
    shots = os.environ.get("FULLCHAIN_SCREENSHOTS")
    driver = chromium.start(chromium.PHONE)
    wait = WebDriverWait(driver, 30)

    def say(step, **facts):
        print(json.dumps({"step": step, **facts}, ensure_ascii=False), flush=True)
        if shots:
            driver.save_screenshot(os.path.join(shots, "store-" + step + ".png"))

    def sign_in(username, path):
        chromium.sign_in(driver, wait, base, tenant, username, password, path)

    def stand_at(lat, lon):
        driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 15})

    def outcome_after(task, button):
        line = task.find_element(By.CSS_SELECTOR, ".outcome")
        driver.execute_script("arguments[0].textContent = ''", line)
        button.click()
        wait.until(lambda d: line.text != "")
        return line.text

    try:
        driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": base, "permissions": ["geolocation"]})
        sign_in("sp-s1", "/m/tasks")
        tasks = driver.find_elements(By.CSS_SELECTOR, "#tasks li.task")
        say("tasks", count=str(len(tasks)), body=driver.find_element(By.TAG_NAME, "main").text)
        task = driver.find_element(By.CSS_SELECTOR, "#tasks li.task[data-store='%s']" % store)
        visit = task.find_element(By.CSS_SELECTOR, "form.visit")
        visit.find_elements(By.NAME, "units")[0].send_keys("40")
        visit.find_elements(By.NAME, "facings")[0].send_keys("6")
        visit.find_element(By.NAME, "notes").send_keys("货架空了一半，已补货")
        visit.find_element(By.NAME, "photo").send_keys(photo)

        stand_at(latitude + 0.045, longitude)  # about 5 km north of the store
        say("far", outcome=outcome_after(task, visit.find_element(By.CSS_SELECTOR, "button[type=submit]")))
        stand_at(latitude + 0.0001, longitude + 0.0001)
        say("checked-in", outcome=outcome_after(task, visit.find_element(By.CSS_SELECTOR, "button[type=submit]")))

        resolve = task.find_element(By.CSS_SELECTOR, "form.resolve")
        Select(resolve.find_element(By.NAME, "reason")).select_by_value("restocked")
        resolve.find_element(By.NAME, "note").send_keys("补货 40 瓶")
        say("resolved", outcome=outcome_after(task, resolve.find_element(By.CSS_SELECTOR, "button[type=submit]")))
        driver.refresh()
        say("tasks-after", count=str(len(driver.find_elements(By.CSS_SELECTOR, "#tasks li.task"))))

        driver.set_window_size(1280, 1000)
        sign_in("mgr-r1", "/store-alerts?status=resolved")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#store-alerts tbody tr"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#store-alerts tbody tr")
        say("feed", rows=str(len(rows)), body=driver.find_element(By.ID, "store-alerts").text)
        driver.find_element(By.CSS_SELECTOR, "#store-alerts a[href='/stores/%s']" % store).click()
        wait.until(lambda d: d.find_elements(By.ID, "store-visits"))
        photos = driver.find_elements(By.CSS_SELECTOR, "#store-visits a[href*='/photos/']")
        say("store", visits=driver.find_element(By.ID, "store-visits").text, alerts=driver.find_element(By.ID, "store-alert-list").text,
            photos=str(len(photos)), photo=photos[0].get_attribute("href") if photos else "")
        driver.get(base + "/rankings")
        say("ranking", body=driver.find_element(By.ID, "ranking").text)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
