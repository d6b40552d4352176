"""A consumer turns scan points into a coupon, and a store's staff redeem it, in headless Chromium.

    python3 Tests/Browser/points_mall.py UNIT_URL BASE TENANT PASSWORD OPENID

The consumer's phone scans a unit that wins points, signs in with the stand-in WeChat, opens the
points mall from "我的", takes a coupon and finds its code and QR on "我的". Then the store's
staff open what the QR holds on their phone: after sign-in the redemption page is ready with the
code, and one tap redeems it; a second tap is refused. Last, HQ finds the consumer by their
openid and opens their profile and its timeline, defines a rule tag and a manual one, puts the
manual one on the consumer and lists the consumers carrying it; then builds a segment of the rule tag
in the editor, watching its live count follow each change, and saves it. Prints one JSON line of what
was shown.
"""
import sys

import chromium

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

CHECKING = ("正在查验…", "Checking…")


def main() -> None:
    url, base, tenant, password, openid = sys.argv[1:6]
    chromium.run(chromium.DESKTOP, lambda driver: visit(driver, url, base, tenant, password, openid))


def sign_in(driver, wait, tenant, username, password, then):
    wait.until(lambda d: d.find_elements(By.ID, "username"))
    driver.find_element(By.ID, "tenant").clear()
    driver.find_element(By.ID, "tenant").send_keys(tenant)
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.ID, then))


def visit(driver, url, base, tenant, password, openid) -> dict:
    driver.set_window_size(412, 915)
    wait = WebDriverWait(driver, 30)
    # The consumer: scan, sign in with WeChat, "我的".
    driver.get(url)
    wait.until(lambda d: d.find_element(By.ID, "verdict").text not in CHECKING)
    wait.until(lambda d: d.find_element(By.ID, "account").is_displayed())
    driver.find_element(By.ID, "sign-in").click()
    wait.until(lambda d: d.find_elements(By.NAME, "user"))
    driver.find_element(By.NAME, "user").clear()
    driver.find_element(By.NAME, "user").send_keys("mall-consumer")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.ID, "who"))
    points = driver.find_element(By.ID, "points").text
    # The mall, from "我的".
    driver.find_element(By.ID, "mall-link").click()
    wait.until(lambda d: d.find_elements(By.ID, "mall-items"))
    mall = driver.find_element(By.ID, "mall-items").text
    driver.find_element(By.CSS_SELECTOR, "#mall-items li form button").click()
    wait.until(lambda d: d.find_elements(By.ID, "taken"))
    coupon = driver.find_element(By.CSS_SELECTOR, "#coupons .coupon")
    code = coupon.get_attribute("data-code")
    shown = {
        "taken": driver.find_element(By.ID, "taken").text,
        "pointsAfter": driver.find_element(By.ID, "points").text,
        "coupon": coupon.text,
        "qr": str(len(coupon.find_elements(By.CSS_SELECTOR, ".qr svg path"))),
    }
    # The store's staff open the QR's address on their phone and sign in.
    driver.delete_all_cookies()
    path = "/coupons/redeem?code=" + code
    driver.get(base + path)
    sign_in(driver, wait, tenant, "store-st1", password, "redeem")
    ready = driver.find_element(By.ID, "coupon").text
    prefilled = driver.find_element(By.NAME, "code").get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, "#redeem button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.ID, "outcome"))
    redeemed = driver.find_element(By.ID, "outcome").text
    first = driver.find_element(By.ID, "outcome")
    driver.find_element(By.CSS_SELECTOR, "#redeem button[type=submit]").click()
    wait.until(expected_conditions.staleness_of(first))
    wait.until(lambda d: d.find_elements(By.ID, "outcome"))
    again = driver.find_element(By.ID, "outcome")
    store = {"ready": ready, "prefilled": prefilled, "redeemed": redeemed, "again": again.text, "againError": again.get_attribute("data-error")}
    # HQ, on the desktop: finds the consumer by openid and opens the profile.
    driver.set_window_size(1280, 1000)
    driver.delete_all_cookies()
    driver.get(base + "/consumers?q=" + openid)
    sign_in(driver, wait, tenant, "admin", password, "consumers")
    found = driver.find_element(By.ID, "consumers").text
    driver.find_element(By.CSS_SELECTOR, "#consumers tbody a[href^='/consumers/']").click()
    wait.until(lambda d: d.find_elements(By.ID, "timeline"))
    profile = {
        "figures": driver.find_element(By.ID, "figures").text, "timeline": driver.find_element(By.ID, "timeline").text,
        "identities": driver.find_element(By.ID, "identities").text,
    }
    profile_url = driver.current_url
    return {"points": points, "mall": mall, "code": code, **shown, **store, "found": found, **profile,
            **tag(driver, wait, profile_url), **segment(driver, wait), **lifecycle(driver, wait)}


def tag(driver, wait, profile_url) -> dict:
    """HQ defines a rule tag (spent points in the mall) and a manual one, puts the manual one on the consumer
    from the profile page, and lists the consumers carrying it."""
    driver.find_element(By.CSS_SELECTOR, "a[href='/consumers']").click()
    wait.until(lambda d: d.find_elements(By.ID, "tags-link"))
    driver.find_element(By.ID, "tags-link").click()
    wait.until(lambda d: d.find_elements(By.ID, "new-tag"))
    for name, kind, at_least in (("兑换过", "points_spent", "100"), ("重点会员", "manual", "1")):
        form = driver.find_element(By.ID, "new-tag")
        form.find_element(By.NAME, "name").send_keys(name)
        Select(form.find_element(By.NAME, "kind")).select_by_value(kind)
        form.find_element(By.NAME, "atLeast").clear()
        form.find_element(By.NAME, "atLeast").send_keys(at_least)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: d.find_elements(By.ID, "notice"))
    tags = driver.find_element(By.ID, "tags").text
    driver.get(profile_url)
    wait.until(lambda d: d.find_elements(By.ID, "add-tag"))
    rule_tags = driver.find_element(By.ID, "tags").text
    Select(driver.find_element(By.CSS_SELECTOR, "#add-tag select")).select_by_visible_text("重点会员")
    driver.find_element(By.CSS_SELECTOR, "#add-tag button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tags li[data-manual=yes]"))
    tagged = driver.find_element(By.ID, "tags").text
    # The list, filtered by the tag from its select.
    driver.find_element(By.CSS_SELECTOR, "a[href='/consumers']").click()
    wait.until(lambda d: d.find_elements(By.NAME, "tagId"))
    Select(driver.find_element(By.NAME, "tagId")).select_by_visible_text("重点会员")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait.until(lambda d: "tagId=" in d.current_url)
    return {"tags": tags, "ruleTags": rule_tags, "tagged": tagged,
            "byTag": str(len(driver.find_elements(By.CSS_SELECTOR, "#consumers tbody tr[data-consumer]")))}


def segment(driver, wait) -> dict:
    """HQ builds a segment row by row: those carrying the points tag (the consumer), then not those who
    redeemed a coupon in 30 days (nobody left: the store redeemed theirs), then that row dropped again;
    the live count follows each change. Saved, its page lists the member."""
    driver.find_element(By.CSS_SELECTOR, "a[href='/consumers']").click()
    wait.until(lambda d: d.find_elements(By.ID, "segments-link"))
    driver.find_element(By.ID, "segments-link").click()
    wait.until(lambda d: d.find_elements(By.ID, "segment-editor"))
    form = driver.find_element(By.ID, "segment-editor")
    live = driver.find_element(By.ID, "live-count")
    form.find_element(By.NAME, "name").send_keys("兑换过的会员")
    Select(form.find_element(By.NAME, "kind0")).select_by_value("tag")
    Select(form.find_element(By.NAME, "tag0")).select_by_visible_text("兑换过")
    wait.until(lambda d: live.get_attribute("data-count") == "1")
    tagged = live.text
    Select(form.find_element(By.NAME, "kind1")).select_by_value("redeemed")
    Select(form.find_element(By.NAME, "negate1")).select_by_value("1")
    form.find_element(By.NAME, "days1").send_keys("30")
    wait.until(lambda d: live.get_attribute("data-count") == "0")
    narrowed = live.text
    hidden = str(form.find_element(By.NAME, "tag1").is_displayed())
    Select(form.find_element(By.NAME, "kind1")).select_by_value("")
    wait.until(lambda d: live.get_attribute("data-count") == "1")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.ID, "members"))
    return {"liveTagged": tagged, "liveNarrowed": narrowed, "tagFieldShownForCoupons": hidden,
            "segmentRule": driver.find_element(By.ID, "rule").text, "segmentCount": driver.find_element(By.ID, "count").text,
            "segmentMembers": str(len(driver.find_elements(By.CSS_SELECTOR, "#members tbody tr[data-consumer]")))}


def lifecycle(driver, wait) -> dict:
    """HQ opens the lifecycle from the consumer list: the consumer scanned, signed in and won, and the
    store redeemed their coupon, so the funnel has them at every stage up to revenue; then the KOC page."""
    driver.find_element(By.CSS_SELECTOR, "a[href='/consumers']").click()
    wait.until(lambda d: d.find_elements(By.ID, "lifecycle-link"))
    driver.find_element(By.ID, "lifecycle-link").click()
    wait.until(lambda d: d.find_elements(By.ID, "funnel"))
    reached = {row.get_attribute("data-stage"): row.get_attribute("data-reached")
               for row in driver.find_elements(By.CSS_SELECTOR, "#funnel tbody tr")}
    cohorts = str(len(driver.find_elements(By.CSS_SELECTOR, "#cohorts tbody tr[data-week]")))
    driver.find_element(By.CSS_SELECTOR, "a[href='/consumers']").click()
    wait.until(lambda d: d.find_elements(By.ID, "kocs-link"))
    driver.find_element(By.ID, "kocs-link").click()
    wait.until(lambda d: d.find_elements(By.ID, "kocs"))
    return {"funnel": ",".join(f"{stage}={reached.get(stage)}" for stage in ["acquired", "activated", "retained", "revenue", "referral"]),
            "cohortRows": cohorts,
            "kocsTitle": driver.find_element(By.TAG_NAME, "h1").text}


if __name__ == "__main__":
    main()
