"""A consumer's phone scans a code, signs in with WeChat and opens "我的", in headless Chromium.

    python3 Tests/Browser/consumer_sign_in.py URL

The unit's page records the scan and offers WeChat sign-in; the stand-in WeChat asks who the
consumer is (its page), agrees, and sends the phone back. Prints one JSON line with what the
unit's page showed (the prize, the sign-in button) and what "我的" shows afterwards.
"""
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHECKING = ("正在查验…", "Checking…")


def main() -> None:
    url = sys.argv[1]
    chromium.run(chromium.PHONE, lambda driver: visit(driver, url))


def visit(driver, url) -> dict:
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").text not in CHECKING)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "account").is_displayed())
    prize = driver.find_element(By.ID, "prize").text
    button = driver.find_element(By.ID, "sign-in")
    sign_in = button.text
    button.click()
    # The stand-in WeChat's page: who is signing in, then consent.
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.NAME, "user"))
    field = driver.find_element(By.NAME, "user")
    field.clear()
    field.send_keys("browser-consumer")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "who"))
    me = driver.find_element(By.TAG_NAME, "body").text
    me_url = driver.current_url
    # Back on the unit's page, signed in now.
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").text not in CHECKING)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "account").is_displayed())
    again = driver.find_element(By.ID, "account").text
    # Signing out on 我的 leaves the phone signed out.
    driver.get(me_url)
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "who"))
    driver.find_element(By.CSS_SELECTOR, "form[action='/me/sign-out'] button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "message"))
    signed_out = driver.find_element(By.ID, "message").text
    return {"prize": prize, "signIn": sign_in, "me": me, "meURL": me_url, "again": again, "signedOut": signed_out}


if __name__ == "__main__":
    main()
