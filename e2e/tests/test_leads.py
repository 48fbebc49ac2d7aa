"""Leads in a real browser: the list and search, the lead page, the board, and a CSV import
with its upload and live progress."""

import tempfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DEMO_OWNER_PASSWORD, login, path_of, screenshot, url, wait_for

# test_foundation turns on two-factor sign-in for the other agents; this one never gets it.
AGENT = "ben.carter@summit-demo.example"
MANAGER = "marcus.lee@summit-demo.example"


@pytest.mark.viewports("desktop", "phone")
def test_agent_searches_leads_and_works_one(driver, viewport):
    login(driver, AGENT, DEMO_OWNER_PASSWORD)
    driver.get(url("/app/leads"))
    rows = driver.find_elements(By.CSS_SELECTOR, "table[data-lead-table] tbody tr")
    assert rows, "the demo agent sees no leads"
    link = rows[0].find_element(By.CSS_SELECTOR, "th a")
    name = link.text
    last_name = name.split()[-1]

    search = driver.find_element(By.ID, "lead-q")
    search.clear()
    search.send_keys(last_name[:3])
    search.submit()
    wait_for(driver, lambda d: "q=" in d.current_url, "the search did not run")
    names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table[data-lead-table] tbody th a")]
    assert name in names, f"{name} not found searching {last_name[:3]!r}: {names[:5]}"
    screenshot(driver, "leads-search")

    driver.find_element(By.LINK_TEXT, name).click()
    wait_for(driver, lambda d: path_of(d).startswith("/app/leads/"), "the lead page did not open")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith(name)
    note = driver.find_element(By.ID, "note-body")
    note.send_keys(f"Browser note ({viewport})")
    note.find_element(By.XPATH, "./ancestor::form").submit()
    wait_for(
        driver,
        lambda d: f"Browser note ({viewport})" in d.find_element(By.CSS_SELECTOR, "ol.timeline").text,
        "the note is not in the timeline",
    )
    if viewport == "phone":
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 1, f"the lead page is {overflow}px wider than the phone screen"
    screenshot(driver, "lead-page")


def test_board_moves_a_card_with_the_keyboard_form(driver):
    login(driver, AGENT, DEMO_OWNER_PASSWORD)
    driver.get(url("/app/pipeline"))
    cards = driver.find_elements(By.CSS_SELECTOR, "section[data-column='new'] li.board-card")
    assert cards, "the New column has no cards for the demo agent"
    card = cards[0]
    lead_id = card.get_attribute("data-card")
    card.find_element(By.CSS_SELECTOR, "details.board-card-move summary").click()
    select = Select(card.find_element(By.CSS_SELECTOR, "select[name='status']"))
    select.select_by_value("contacted")
    card.find_element(By.CSS_SELECTOR, "form[data-move-form] button[type=submit]").click()
    wait_for(
        driver,
        lambda d: d.find_elements(
            By.CSS_SELECTOR, f"section[data-column='contacted'] li[data-card='{lead_id}']"
        ),
        "the card is not in the Contacted column after the move",
    )
    screenshot(driver, "board-after-move")


def test_manager_imports_a_csv_and_watches_it_finish(driver):
    login(driver, MANAGER, DEMO_OWNER_PASSWORD)
    driver.get(url("/app/imports"))
    rows = [
        "First Name,Last Name,Email,Phone,Address,City,State,Zip,Total Unsecured Debt,Monthly Income,Source,Notes",
        'Quinn,Avery,quinn.avery@example.com,(404) 555-0181,9 Peach St,Atlanta,GA,30303,"$14,200",3100,Browser test,',
        "Rae,Bond,rae.bond@example.com,404.555.0182,,Atlanta,GA,30303,8000,,Browser test,",
        "Bad,Phone,bad@example.com,555-12,,Atlanta,GA,30303,100,,Browser test,",
    ]
    folder = Path(tempfile.mkdtemp())
    path = folder / "browser-leads.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    driver.find_element(By.ID, "import-file").send_keys(str(path))
    driver.find_element(By.ID, "import-source").send_keys("Browser test")
    driver.find_element(By.CSS_SELECTOR, "form[data-import-upload] button[type=submit]").click()
    wait_for(driver, lambda d: "/app/imports/" in d.current_url, "the upload did not reach the mapping page")
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "Quinn Avery" in page and "Rejected" in page, page[:500]
    screenshot(driver, "import-mapping")
    driver.find_element(By.XPATH, "//button[normalize-space()='Start import']").click()
    wait_for(
        driver,
        lambda d: "Finished"
        in (d.execute_script("var h = document.querySelector('main h2'); return h ? h.textContent : ''") or ""),
        "the import did not finish on the page",
        timeout=60,
    )
    facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "Created\n2" in facts and "Rejected\n1" in facts, facts
    assert driver.find_elements(By.PARTIAL_LINK_TEXT, "Rejected rows")
    screenshot(driver, "import-finished")
