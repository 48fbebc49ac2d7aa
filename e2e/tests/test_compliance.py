"""Compliance in a real browser: the compliance officer of the demo organization reads the
dashboard, uploads a small DNC file with the progress bar, clears the pending bankruptcy flag
and opens that lead's evidence page.

The demo seeds a national and a Texas registry copy, an internal list, STOP replies, flags (one
bankruptcy mention awaiting review), a caller id pool and two weeks of recorded decisions. The
upload goes to the Vermont list, which the demo never uses, so no other test's data changes.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DEMO_OWNER_PASSWORD, login, path_of, screenshot, url, wait_for

OFFICER = "priya.raman@summit-demo.example"

# Records, across the navigation that follows a successful upload, that the progress bar was
# shown and how far it got (sessionStorage outlives the page).
WATCH_PROGRESS = """
const box = document.querySelector("[data-upload-progress]");
const bar = document.querySelector("[data-upload-bar]");
sessionStorage.removeItem("e2e-progress-shown");
sessionStorage.removeItem("e2e-progress-max");
new MutationObserver(() => {
  if (!box.hidden) { sessionStorage.setItem("e2e-progress-shown", "1"); }
  const seen = Number(sessionStorage.getItem("e2e-progress-max") || "0");
  if (bar.value > seen) { sessionStorage.setItem("e2e-progress-max", String(bar.value)); }
}).observe(box, {attributes: true, subtree: true, childList: true, characterData: true});
"""


def test_officer_works_the_compliance_area(driver):
    login(driver, OFFICER, DEMO_OWNER_PASSWORD)

    # The dashboard: the chart of decisions, registry freshness and the pool.
    driver.get(url("/app/compliance"))
    wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-decisions-chart] svg rect"),
        "the decisions chart has no bars",
    )
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "National registry" in main and "Caller id pool" in main, main[:600]
    registries = driver.find_element(By.CSS_SELECTOR, "[data-registries]").text
    assert "Fresh" in registries, registries
    nav = driver.find_element(By.ID, "site-nav").get_attribute("textContent")
    assert "Flags to review" in nav and "State rules" in nav, nav
    screenshot(driver, "compliance-dashboard")

    # A small state file through the upload form, with the progress bar.
    driver.get(url("/app/compliance/dnc"))
    form = driver.find_element(By.CSS_SELECTOR, "form[data-dnc-upload]")
    Select(form.find_element(By.ID, "dnc-list")).select_by_value("VT")
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.ID, "dnc-downloaded"), today)
    folder = Path(tempfile.mkdtemp())
    path = folder / "vermont-dnc.txt"
    path.write_text("8025550100\n802,5550101\nnot a number\n8025550102\n", encoding="utf-8")
    form.find_element(By.ID, "dnc-file").send_keys(str(path))
    driver.execute_script(WATCH_PROGRESS)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(
        driver,
        lambda d: "upload=" in d.current_url and d.find_elements(By.CSS_SELECTOR, "[data-upload-result]"),
        "the upload result did not appear",
        timeout=30,
    )
    result = driver.find_element(By.CSS_SELECTOR, "[data-upload-result]")
    assert result.find_element(By.CSS_SELECTOR, "[data-result='loaded']").text == "3"
    assert result.find_element(By.CSS_SELECTOR, "[data-result='rejected']").text == "1"
    assert "not a number" in result.text, result.text
    flash = driver.find_element(By.CSS_SELECTOR, "[data-flash]").text
    assert "Loaded 3 numbers into the Vermont (VT)" in flash, flash
    shown = driver.execute_script("return sessionStorage.getItem('e2e-progress-shown')")
    highest = driver.execute_script("return Number(sessionStorage.getItem('e2e-progress-max') || '0')")
    assert shown == "1", "the progress bar was never shown (the form posted without the script)"
    assert highest == 100, f"the progress bar stopped at {highest}%"
    history = driver.find_element(By.CSS_SELECTOR, "[data-upload-history]").text
    assert "vermont-dnc.txt" in history, history
    screenshot(driver, "compliance-dnc-upload")

    # Clear the bankruptcy flag that waits for review.
    driver.get(url("/app/compliance/flags"))
    items = driver.find_elements(By.CSS_SELECTOR, "[data-pending-flags] li[data-flag]")
    pending = [item for item in items if "Bankruptcy" in item.text]
    assert pending, "no bankruptcy flag awaits review in the demo data"
    item = pending[0]
    flag_id = item.get_attribute("data-flag")
    lead_name = item.find_element(By.CSS_SELECTOR, ".flag-title a").text
    lead_path = item.find_element(By.CSS_SELECTOR, ".flag-title a").get_attribute("href")
    note = item.find_element(By.CSS_SELECTOR, "textarea[name='note']")
    note.send_keys("PACER: the Chapter 13 plan was dismissed; browser test")
    item.find_element(By.CSS_SELECTOR, "button[value='clear']").click()
    wait_for(
        driver,
        lambda d: any("cleared" in f.text for f in d.find_elements(By.CSS_SELECTOR, "[data-flash]")),
        "no confirmation that the flag was cleared",
    )
    assert not driver.find_elements(By.CSS_SELECTOR, f"li[data-flag='{flag_id}']"), "the flag is still pending"
    reviewed = driver.find_element(By.CSS_SELECTOR, "[data-reviewed-flags]").text
    assert "browser test" in reviewed and lead_name in reviewed, reviewed

    # The lead's evidence: printable, with the review on its timeline.
    driver.get(lead_path.rstrip("/") + "/evidence")
    wait_for(
        driver,
        lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith("Compliance evidence"),
        "the evidence page did not open",
    )
    assert path_of(driver).endswith("/evidence")
    for heading in ("ev-consents", "ev-decisions", "ev-optouts", "ev-internal", "ev-flags", "ev-timeline"):
        assert driver.find_elements(By.ID, heading), f"the evidence page has no #{heading} section"
    timeline = driver.find_element(By.CSS_SELECTOR, "[data-evidence='timeline']").text
    assert "Bankruptcy flag cleared" in timeline, timeline[-800:]
    assert driver.find_elements(By.CSS_SELECTOR, "button[data-print]")
    screenshot(driver, "compliance-evidence")
