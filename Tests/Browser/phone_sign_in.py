"""A consumer's phone scans a code, signs in with a texted code, then receives the cash with WeChat, in headless Chromium.

    python3 Tests/Browser/phone_sign_in.py URL INBOX_URL PHONE

The unit's page records the scan and offers phone sign-in; the phone's number gets a code from
the stand-in SMS gateway (read from its inbox page in another tab), which signs the consumer in.
"我的" then shows the red packet waiting for WeChat; its button goes through the stand-in WeChat
and back. Then the consumer downloads their data and deletes the account. Prints one JSON line
with what each page showed.
"""
import json
import re
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHECKING = ("正在查验…", "Checking…")


def main() -> None:
    url, inbox, phone = sys.argv[1], sys.argv[2], sys.argv[3]
    chromium.run(chromium.PHONE, lambda driver: visit(driver, url, inbox, phone))


def visit(driver, url, inbox, phone) -> dict:
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").text not in CHECKING)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "account").is_displayed())
    link = driver.find_element(By.ID, "phone-sign-in")
    phone_link = link.text
    link.click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.NAME, "phone"))
    driver.find_element(By.NAME, "phone").send_keys(phone)
    driver.find_element(By.CSS_SELECTOR, "form#send button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "sent"))
    sent = driver.find_element(By.ID, "sent").text
    # The phone's messages, in another tab.
    form_tab = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(inbox + "?phone=" + phone)
    message = driver.find_element(By.ID, "inbox").text
    driver.close()
    driver.switch_to.window(form_tab)
    code = re.search(r"验证码为 (\d{6})", message).group(1)
    driver.find_element(By.NAME, "code").send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "form#verify button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "who"))
    me = driver.find_element(By.TAG_NAME, "body").text
    # The cash waits for WeChat: its button goes through the stand-in WeChat and back.
    driver.find_element(By.ID, "claim-wechat").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.NAME, "user"))
    field = driver.find_element(By.NAME, "user")
    field.clear()
    field.send_keys("phone-consumer")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "who") and "claimed" in d.current_url)
    claimed = driver.find_element(By.TAG_NAME, "body").text
    # The consumer's data: the download (read as the page's own request would), then deletion.
    exported = driver.execute_async_script(
        "var done=arguments[0];fetch(document.getElementById('export').href).then(function(r){return r.json();}).then(done,function(e){done(String(e));});")
    driver.find_element(By.NAME, "confirm").click()
    driver.find_element(By.CSS_SELECTOR, "form#delete button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "message"))
    deleted = driver.find_element(By.TAG_NAME, "body").text
    driver.get(url.split("/c/")[0] + "/me")
    after = driver.find_element(By.TAG_NAME, "body").text
    return {"phoneLink": phone_link, "sent": sent, "message": message, "me": me, "claimed": claimed, "exported": json.dumps(exported, ensure_ascii=False),
            "deleted": deleted, "after": after}


if __name__ == "__main__":
    main()
