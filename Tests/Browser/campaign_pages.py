"""Drives HQ's campaign pages in headless Chromium the way a brand's marketer clicks through them.

    python3 Tests/Browser/campaign_pages.py BASE_URL TENANT USERNAME PASSWORD PRODUCT_ID

With FULLCHAIN_SCREENSHOTS set to a folder, each step also leaves a screenshot there.

Signs in, creates a campaign in the editor (first with a probability over 100 %, which the API
refuses with field errors, then corrected), reads the new campaign's page, approves the first
held red packet in the review queue, and opens the settlement statements, in Chinese and in
English. Prints one JSON line per step with what the page shows.
"""
import json
import os
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def main() -> None:
    base, tenant, username, password, product = sys.argv[1:6]
    shots = os.environ.get("FULLCHAIN_SCREENSHOTS")
    driver = chromium.start(chromium.DESKTOP)
    wait = WebDriverWait(driver, 30)

    def say(step, **facts):
        print(json.dumps({"step": step, **facts}, ensure_ascii=False), flush=True)
        if shots:
            driver.save_screenshot(os.path.join(shots, step + ".png"))

    try:
        driver.get(base + "/login?next=/campaigns")
        driver.find_element(By.ID, "tenant").clear()
        driver.find_element(By.ID, "tenant").send_keys(tenant)
        driver.find_element(By.ID, "username").send_keys(username)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(lambda d: d.current_url.endswith("/campaigns"))
        say("list", heading=driver.find_element(By.TAG_NAME, "h1").text, body=driver.find_element(By.TAG_NAME, "main").text)

        driver.find_element(By.CSS_SELECTOR, "a[href='/campaigns/new']").click()
        wait.until(lambda d: d.find_elements(By.ID, "campaign-form"))
        form = driver.find_element(By.ID, "campaign-form")
        form.find_element(By.NAME, "name").send_keys("夏日畅饮节")
        # datetime-local inputs take their value from script: typing depends on the locale's format.
        driver.execute_script(
            "var f=document.getElementById('campaign-form');"
            "var now=new Date(Date.now()-60000), end=new Date(Date.now()+7*86400000);"
            "function local(d){return new Date(d.getTime()-d.getTimezoneOffset()*60000).toISOString().slice(0,16);}"
            "f.elements.startsAt.value=local(now); f.elements.endsAt.value=local(end);")
        form.find_element(By.CSS_SELECTOR, "input[name=product][value='%s']" % product).click()
        # A region picked by name, and a fourth prize tier added (left empty, so left out).
        picker = driver.find_element(By.ID, "region-picker")
        picker.send_keys("北京市")
        picker.send_keys(Keys.ENTER)
        form.find_element(By.ID, "add-tier").click()
        chips = driver.find_element(By.ID, "region-chips").text
        say("picked", chips=chips, tiers=str(len(form.find_elements(By.CSS_SELECTOR, "tr.tier"))))
        probability = form.find_elements(By.NAME, "tierProbability")[0]
        probability.clear()
        probability.send_keys("120")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: "alert bad" in (d.find_element(By.ID, "campaign-status").get_attribute("class") or ""))
        say("refused", status=driver.find_element(By.ID, "campaign-status").text)

        probability.clear()
        probability.send_keys("100")
        # The second tier would push the sum over 1: clear its name so the editor leaves it out.
        form.find_elements(By.NAME, "tierName")[1].clear()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: "/campaigns/new" not in d.current_url and d.find_elements(By.CSS_SELECTOR, ".kpis"))
        say("created", url=driver.current_url, heading=driver.find_element(By.TAG_NAME, "h1").text,
            body=driver.find_element(By.TAG_NAME, "main").text)

        # Paused from its page: the badge says so and the button resumes it.
        driver.find_element(By.CSS_SELECTOR, "#pause button[type=submit]").click()
        wait.until(lambda d: "已暂停" in d.find_element(By.CSS_SELECTOR, ".page-head").text)
        say("paused", head=driver.find_element(By.CSS_SELECTOR, ".page-head").text,
            backlog=driver.find_element(By.ID, "payout-backlog").text)

        # Renamed from its page: the end date keeps the value the form showed.
        change = driver.find_element(By.ID, "change")
        name = change.find_element(By.NAME, "name")
        name.clear()
        name.send_keys("夏日畅饮节（加长）")
        change.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "夏日畅饮节（加长）")
        say("changed", heading=driver.find_element(By.TAG_NAME, "h1").text)

        driver.get(base + "/campaigns/review")
        rows = driver.find_elements(By.CSS_SELECTOR, "#review-queue tr[data-payout]")
        before = len(rows)
        reasons = rows[0].text if rows else ""
        if rows:
            rows[0].find_element(By.CSS_SELECTOR, "button[data-decision=approve]").click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#review-queue td.outcome"))
        outcome = driver.find_element(By.CSS_SELECTOR, "#review-queue td.outcome").text if rows else ""
        driver.get(base + "/campaigns/review")
        after = len(driver.find_elements(By.CSS_SELECTOR, "#review-queue tr[data-payout]"))
        say("review", before=str(before), after=str(after), reasons=reasons, outcome=outcome)

        driver.get(base + "/settlements?lang=en")
        say("settlements", heading=driver.find_element(By.TAG_NAME, "h1").text, body=driver.find_element(By.TAG_NAME, "main").text)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
