"""Drives the phone pages of the chain's ends in headless Chromium: a distributor's deliveries and a store's desk.

    python3 Tests/Browser/store_desk.py BASE_URL TENANT PASSWORD STORE_ID DELIVER_CODE RECEIVE_CODE VOUCHER_CODE

With FULLCHAIN_SCREENSHOTS set to a folder, each step also leaves a screenshot there.

On a phone-sized window, the distributor `dist-d1` delivers a case to the store (then tries the
same case again); the store owner `store-st1` receives another case by its code, types a code
that is not the brand's, redeems a winning cap's voucher (then tries it again) and reads its wallet; the distributor reads its stores' received and
sold units and its latest deliveries. Codes are typed
(the camera button shows only where the browser has BarcodeDetector). Prints one JSON line per
step with what the page says.
"""
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def main() -> None:
    base, tenant, password, store, deliver_code, receive_code, voucher_code = sys.argv[1:8]
    with chromium.session(chromium.PHONE) as driver:
        walk(driver, WebDriverWait(driver, 30), chromium.reporter(driver, "desk"), base, tenant, password, store, deliver_code, receive_code,
             voucher_code)


def walk(driver, wait, say, base, tenant, password, store, deliver_code, receive_code, voucher_code) -> None:
    """The steps, each said by `say`."""

    def sign_in(username, path):
        chromium.sign_in(driver, wait, base, tenant, username, password, path)

    def submit(form_id, code):
        form = driver.find_element(By.ID, form_id)
        line = form.find_element(By.CSS_SELECTOR, ".outcome")
        driver.execute_script("arguments[0].textContent = ''", line)
        field = form.find_element(By.NAME, "code")
        field.clear()
        field.send_keys(code)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: line.text != "")
        return line.text

    sign_in("dist-d1", "/m/deliveries")
    Select(driver.find_element(By.NAME, "store")).select_by_value(store)
    say("delivered", outcome=submit("deliver", deliver_code))
    say("delivered-again", outcome=submit("deliver", deliver_code))
    driver.get(base + "/")
    menu = "|".join(a.get_attribute("href").replace(base, "") for a in driver.find_elements(By.CSS_SELECTOR, "nav.nav a"))
    say("distributor-menu", menu=menu)
    driver.get(base + "/supply")
    rows = "|".join(r.text for r in driver.find_elements(By.CSS_SELECTOR, "#deliveries tbody tr"))
    say("supply", body=driver.find_element(By.TAG_NAME, "main").text, deliveries=rows)

    sign_in("store-st1", "/m/store")
    camera = driver.find_element(By.CSS_SELECTOR, "#receive .camera")
    say("desk", title=driver.title, camera=str(camera.is_displayed()), body=driver.find_element(By.TAG_NAME, "main").text)
    say("received", outcome=submit("receive", receive_code))
    say("not-ours", outcome=submit("receive", "HTTPS://FC.EXAMPLE/C/NOT-A-CODE"))
    say("redeemed", outcome=submit("voucher", voucher_code))
    say("redeemed-again", outcome=submit("voucher", voucher_code))
    driver.refresh()
    say("wallet", wallet=driver.find_element(By.ID, "wallet").text)
    driver.get(base + "/m/store?lang=en")
    say("english", body=driver.find_element(By.TAG_NAME, "main").text)
    driver.get(base + "/?lang=zh")
    menu = "|".join(a.get_attribute("href").replace(base, "") for a in driver.find_elements(By.CSS_SELECTOR, "nav.nav a"))
    say("store-menu", menu=menu)


if __name__ == "__main__":
    main()
