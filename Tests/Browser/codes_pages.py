"""Drives HQ's code pages in headless Chromium: a batch made, activated, refused and shipped.

    python3 Tests/Browser/codes_pages.py BASE_URL TENANT PASSWORD DISTRIBUTOR_ID

With FULLCHAIN_SCREENSHOTS set to a folder, each step also leaves a screenshot there.

On HQ's desktop, in Chinese, `admin` opens the code batches (none yet), creates one of 48 units
(two cases of the product's 24), activates case 0, asks to void a case past the batch's end
(refused, in Chinese), activates the rest and ships both cases to the distributor, then tries
the same shipment again (refused). Then the batch's page in English, and in Chinese on a phone.
Prints one JSON line per step with what the page says.
"""
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def main() -> None:
    base, tenant, password, distributor = sys.argv[1:5]
    with chromium.session(chromium.DESKTOP) as driver:
        walk(driver, WebDriverWait(driver, 30), chromium.reporter(driver, "codes"), base, tenant, password, distributor)


def walk(driver, wait, say, base, tenant, password, distributor) -> None:
    """The steps, each said by `say`."""

    def main_text():
        return driver.find_element(By.TAG_NAME, "main").text

    def fill(form_id, values):
        form = driver.find_element(By.ID, form_id)
        for name, value in values.items():
            field = form.find_element(By.NAME, name)
            if field.tag_name == "select":
                Select(field).select_by_value(value)
            else:
                field.clear()
                field.send_keys(value)
        return form

    def refused(form_id, values):
        """Submits a form the API refuses; returns what the form says."""
        form = fill(form_id, values)
        line = form.find_element(By.CSS_SELECTOR, ".outcome")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: "bad" in line.get_attribute("class"))
        return line.text

    def done(form_id, values):
        """Submits a form the API takes; waits for the page to load afresh."""
        form = fill(form_id, values)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: len(d.find_elements(By.ID, form_id)) == 0 or d.find_element(By.ID, form_id) != form)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete" and d.find_elements(By.ID, "case-runs"))

    def rows(table_id):
        return "|".join(row.text for row in driver.find_elements(By.CSS_SELECTOR, "#" + table_id + " tbody tr"))

    chromium.sign_in(driver, wait, base, tenant, "admin", password, "/codes")
    menu = "|".join(a.get_attribute("href").replace(base, "") for a in driver.find_elements(By.CSS_SELECTOR, "nav.nav a"))
    say("empty", body=main_text(), menu=menu)

    form = fill("new-batch", {"lot": "WEB1", "quantity": "48"})
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "/codes/" in d.current_url and d.find_elements(By.ID, "case-runs"))
    say("created", url=driver.current_url.replace(base, ""), title=driver.title, body=main_text(), runs=rows("case-runs"))

    done("range-action", {"action": "activate", "firstCase": "0", "lastCase": "0"})
    say("activated", history=rows("range-actions"), runs=rows("case-runs"))

    say("refused", outcome=refused("range-action", {"action": "void", "firstCase": "0", "lastCase": "9"}))

    done("range-action", {"action": "activate", "firstCase": "1", "lastCase": "1"})
    done("ship", {"distributorID": distributor, "ranges.0.firstCase": "0", "ranges.0.lastCase": "1"})
    say("shipped", runs=rows("case-runs"))
    say("ship-again", outcome=refused("ship", {"distributorID": distributor, "ranges.0.firstCase": "0", "ranges.0.lastCase": "1"}))

    page = driver.current_url.split("?")[0]
    driver.get(page + "?lang=en")
    say("english", body=main_text())

    driver.get(page + "?lang=zh")
    driver.set_window_size(412, 915)
    wide = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
    say("phone", body=main_text(), overflows=str(wide))


if __name__ == "__main__":
    main()
