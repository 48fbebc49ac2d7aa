"""Foundation flows in a real browser: two-factor sign-in, the theme, the audit log, permissions
and keyboard access.

Every test signs in fresh in its own browser (the `driver` fixture, or `new_driver` for a second
person). Tests that change the demo data pick users nobody else here relies on: two-factor is
turned on for a demo agent (never the owner), and the owner's theme is put back to "system" when a
theme test ends. Screenshots (dashboard in light and dark at desktop and phone size, and the pages
these flows pass through) go to e2e/artifacts/.
"""

from __future__ import annotations

import csv
import io
import re
import time
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from conftest import (
    DEMO_OWNER_EMAIL,
    DEMO_OWNER_PASSWORD,
    login,
    new_driver,
    path_of,
    screenshot,
    submit_button,
    totp,
    totp_secret_from_uri,
    url,
    wait_for,
)

DEMO_PASSWORD = DEMO_OWNER_PASSWORD
# Agents that may get two-factor sign-in turned on here (the first one still without it is used,
# so the test also works against a server that an earlier run already changed).
TWO_FACTOR_AGENTS = [
    "alicia.gomez@summit-demo.example",
    "chloe.nguyen@summit-demo.example",
    "diego.ramirez@summit-demo.example",
    "emma.brooks@summit-demo.example",
    "farid.haddad@summit-demo.example",
]
# The agent whose permissions are checked (never gets two-factor here).
PERMISSIONS_AGENT = "ben.carter@summit-demo.example"

THEMES = ["system", "light", "dark"]
AUDIT_COLUMNS = ["sequence", "when", "who", "action", "record", "changes"]
TOTP_PERIOD = 30


# ---------------------------------------------------------------------------- helpers


def body_text(drv: WebDriver) -> str:
    return drv.find_element(By.TAG_NAME, "body").text


def fetch(drv: WebDriver, path: str) -> dict:
    """GET `path` from inside the page (same cookies as the user); status, content type, text."""
    result = drv.execute_async_script(
        """
        const path = arguments[0], done = arguments[arguments.length - 1];
        fetch(path, {credentials: "same-origin"})
          .then(r => r.text().then(text => done({
              status: r.status, type: r.headers.get("content-type") || "",
              disposition: r.headers.get("content-disposition") || "", url: r.url, text: text})))
          .catch(e => done({error: String(e)}));
        """,
        path,
    )
    assert "error" not in result, f"fetch {path} failed in the page: {result.get('error')}"
    return result


def page_theme(drv: WebDriver) -> str:
    return drv.execute_script("return document.documentElement.dataset.theme")


def server_theme(drv: WebDriver) -> str:
    """The data-theme the server renders into /app's <html> for this session (no JavaScript)."""
    html = fetch(drv, "/app")["text"]
    match = re.search(r"<html\b[^>]*\bdata-theme=\"([^\"]*)\"", html)
    assert match, "GET /app has no <html data-theme=...>"
    return match.group(1)


def click_theme_toggle(drv: WebDriver) -> str:
    """Click #theme-toggle once; wait until the server has saved the new theme; return it."""
    before = page_theme(drv)
    drv.find_element(By.ID, "theme-toggle").click()
    after = page_theme(drv)
    assert after != before, f"clicking #theme-toggle left data-theme at {before!r}"
    wait_for(
        drv,
        lambda d: server_theme(d) == after,
        f"the server did not save the theme {after!r} chosen with the toggle",
    )
    return after


def set_theme_with_toggle(drv: WebDriver, theme: str) -> None:
    """Click the theme toggle until `theme` is chosen (and saved on the server)."""
    for _ in range(len(THEMES)):
        if page_theme(drv) == theme and server_theme(drv) == theme:
            return
        click_theme_toggle(drv)
    assert page_theme(drv) == theme, f"the theme toggle never reached {theme!r}"


def sign_in_owner(drv: WebDriver) -> None:
    login(drv, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    wait_for(drv, lambda d: path_of(d) == "/app", "the owner did not land on /app")


def sign_out(drv: WebDriver) -> None:
    """Sign out the way a person does: open the user menu and press "Sign out"."""
    menu = drv.find_element(By.ID, "user-menu")
    menu.find_element(By.TAG_NAME, "summary").click()
    button = menu.find_element(By.CSS_SELECTOR, "form.user-menu-logout button[type=submit]")
    wait_for(drv, lambda d: button.is_displayed(), "the user menu did not open")
    button.click()
    wait_for(drv, lambda d: path_of(d) == "/login", "signing out did not lead to /login")
    assert "You are signed out." in body_text(drv)


def audit_rows(drv: WebDriver) -> list[dict[str, str]]:
    """The audit table on the current page as dicts (who, action, changes, ...)."""
    rows = []
    for tr in drv.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        cells = [td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
        assert len(cells) == 6, f"an audit row has {len(cells)} cells, not 6: {cells}"
        # The "who" cell holds the actor, then the IP address and request id on a second line.
        cells[2] = cells[2].split("\n")[0]
        rows.append(dict(zip(AUDIT_COLUMNS, cells)))
    return rows


def wait_for_next_totp_step(after: int) -> None:
    """Sleep until the TOTP time step is later than `after` (codes are single use)."""
    while int(time.time() // TOTP_PERIOD) <= after:
        time.sleep(min(1.0, max(0.05, (after + 1) * TOTP_PERIOD - time.time() + 0.05)))


def no_horizontal_scroll(drv: WebDriver) -> tuple[bool, int, int]:
    width, inner = drv.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    return width <= inner + 1, width, inner


def focused(drv: WebDriver) -> dict:
    """What has the keyboard focus, and how it shows."""
    return drv.execute_script(
        """
        const e = document.activeElement;
        if (!e || e === document.body) return {tag: e ? "BODY" : null};
        const s = getComputedStyle(e), r = e.getBoundingClientRect();
        return {tag: e.tagName, id: e.id, name: e.getAttribute("name") || "",
                type: e.getAttribute("type") || "", href: e.getAttribute("href") || "",
                cls: e.className || "", text: (e.innerText || "").trim().slice(0, 40),
                outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
                outlineColor: s.outlineColor, boxShadow: s.boxShadow,
                inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
                        r.top < innerHeight && r.left < innerWidth};
        """
    )


def describe(info: dict) -> str:
    if info.get("tag") in (None, "BODY"):
        return "<body>"
    extra = info.get("id") or info.get("name") or info.get("href") or info.get("text")
    return f"{info['tag'].lower()}[{extra}]"


# ---------------------------------------------------------------------------- 1. two-factor


def test_agent_turns_on_two_factor_and_signs_in_with_a_code(driver, request):
    # An agent without two-factor sign-in yet.
    email = None
    for candidate in TWO_FACTOR_AGENTS:
        login(driver, candidate, DEMO_PASSWORD)
        if path_of(driver) == "/app":
            email = candidate
            break
        assert path_of(driver) == "/login/2fa", f"{candidate} signed in to {driver.current_url}"
        driver.delete_all_cookies()
    assert email, f"every agent in {TWO_FACTOR_AGENTS} already has two-factor sign-in"

    # Set-up page: the setup key (monospace) and the otpauth:// link agree.
    driver.get(url("/app/account/2fa"))
    main = driver.find_element(By.ID, "main")
    assert "Off" in main.find_element(By.CSS_SELECTOR, ".page-lede").text
    key = main.find_element(By.CSS_SELECTOR, "code.secret")
    font = key.value_of_css_property("font-family")
    assert "monospace" in font.lower(), f"the setup key is not in a monospace font: {font}"
    secret = re.sub(r"\s+", "", key.text)
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), f"the setup key {secret!r} is not base32"
    uri = main.find_element(By.CSS_SELECTOR, "details.disclosure code").get_attribute("textContent")
    uri = uri.strip()
    assert uri.startswith("otpauth://totp/"), uri
    assert "secret=" in uri
    assert totp_secret_from_uri(uri) == secret, "the setup key and the otpauth URI differ"
    screenshot(driver, "two-factor-setup")

    # Confirm with the current code: the recovery codes page lists 10 codes.
    # One clock reading for both the code and its step, so the wait below is exact.
    now = time.time()
    enable_step = int(now // TOTP_PERIOD)
    code_input = driver.find_element(By.ID, "enable-code")
    code_input.send_keys(totp(secret, now))
    submit_button(code_input.find_element(By.XPATH, "./ancestor::form")).click()
    wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, "#recovery-codes li")
        or d.find_elements(By.ID, "two-factor-error"),
        "no recovery codes (nor an error) after submitting the code",
    )
    errors = driver.find_elements(By.ID, "two-factor-error")
    assert not errors, f"turning on two-factor failed: {errors[0].text}"
    codes = [li.text.strip() for li in driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")]
    assert len(codes) == 10, f"expected 10 recovery codes, got {codes}"
    assert len(set(codes)) == 10, f"recovery codes repeat: {codes}"
    for code in codes:
        assert re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", code), f"odd recovery code {code!r}"
    codes_page = body_text(driver)
    screenshot(driver, "recovery-codes")
    driver.find_element(By.LINK_TEXT, "I have saved my codes").click()
    wait_for(driver, lambda d: path_of(d) == "/app/account/2fa", "no way back from the codes")
    assert "On" in driver.find_element(By.CSS_SELECTOR, "main .page-lede").text
    # The success message shows with the codes or (as now) on the next page.
    assert "Two-factor sign-in is on." in codes_page + body_text(driver)

    # Sign out, sign in again: the password alone leads to the second factor page.
    sign_out(driver)
    login(driver, email, DEMO_PASSWORD)
    wait_for(driver, lambda d: path_of(d) == "/login/2fa", "signing in did not ask for a code")
    assert driver.find_elements(By.ID, "challenge-code")
    # Without the code the app stays closed.
    driver.get(url("/app"))
    assert path_of(driver) != "/app", "/app opened before the second factor was given"
    driver.get(url("/login/2fa"))
    screenshot(driver, "two-factor-challenge")

    # The code used to turn it on cannot be used again: wait for the next 30 s step.
    wait_for_next_totp_step(enable_step)
    code_input = driver.find_element(By.ID, "challenge-code")
    code_input.send_keys(totp(secret))
    submit_button(code_input.find_element(By.XPATH, "./ancestor::form")).click()
    wait_for(driver, lambda d: path_of(d) == "/app", "a fresh code did not open /app")
    assert email in driver.find_element(By.ID, "user-menu").get_attribute("textContent")

    # The owner sees it in the audit log.
    owner = new_driver()
    request.node._e2e_driver = owner  # a failure from here on screenshots the owner's page
    try:
        sign_in_owner(owner)
        owner.get(url("/app/admin/audit?" + urlencode({"actor": email, "action": "auth"})))
        rows = audit_rows(owner)
        enabled = [r for r in rows if r["action"] == "auth.2fa.enabled" and r["who"] == email]
        assert enabled, f"no auth.2fa.enabled row for {email}; rows: {rows[:10]}"
        logins = [r for r in rows if r["action"] == "auth.login.succeeded" and r["who"] == email]
        assert any("password+totp" in r["changes"] for r in logins), (
            f"no auth.login.succeeded with method password+totp for {email}: {logins}"
        )
        # Newest first: the sign-in with the code came after turning it on.
        assert int(logins[0]["sequence"]) > int(enabled[0]["sequence"])
    finally:
        request.node._e2e_driver = driver
        owner.quit()


# ---------------------------------------------------------------------------- 2. theme


def test_theme_toggle_cycles_and_the_server_remembers_it(driver):
    sign_in_owner(driver)
    try:
        set_theme_with_toggle(driver, "system")
        toggle = driver.find_element(By.ID, "theme-toggle")
        assert page_theme(driver) == "system"
        assert click_theme_toggle(driver) == "light"
        assert toggle.get_attribute("aria-label").startswith("Theme: light")
        assert click_theme_toggle(driver) == "dark"
        assert toggle.get_attribute("aria-label").startswith("Theme: dark")

        # After a reload the theme comes from the server: forget this browser's copy first.
        driver.execute_script("window.localStorage.clear()")
        driver.refresh()
        wait_for(driver, lambda d: d.find_elements(By.ID, "theme-toggle"), "/app did not reload")
        assert page_theme(driver) == "dark"
        assert server_theme(driver) == "dark"
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        rgb = [int(n) for n in re.findall(r"\d+", background)[:3]]
        assert sum(rgb) < 3 * 100, f"the dark theme's page background is {background}"

        # A different browser (no local copy at all) gets the same theme from the server.
        other = new_driver()
        try:
            sign_in_owner(other)
            assert page_theme(other) == "dark"
        finally:
            other.quit()

        assert click_theme_toggle(driver) == "system"
    finally:
        set_theme_with_toggle(driver, "system")


@pytest.mark.viewports("desktop", "phone")
def test_dashboard_screenshots_in_light_and_dark(driver, viewport):
    sign_in_owner(driver)
    try:
        for theme in ("light", "dark"):
            set_theme_with_toggle(driver, theme)
            driver.get(url("/app"))
            assert page_theme(driver) == theme
            ok, width, inner = no_horizontal_scroll(driver)
            assert ok, f"/app in {theme} scrolls sideways: scrollWidth {width} > innerWidth {inner}"
            screenshot(driver, f"dashboard-{theme}")
    finally:
        set_theme_with_toggle(driver, "system")


@pytest.mark.viewports("phone")
def test_phone_pages_fit_the_screen_and_the_menu_opens(driver):
    sign_in_owner(driver)
    assert driver.execute_script("return window.innerWidth") == 360
    too_wide = []
    for path in ("/app", "/app/admin/users", "/app/admin/audit"):
        driver.get(url(path))
        assert path_of(driver) == path
        ok, width, inner = no_horizontal_scroll(driver)
        if not ok:
            too_wide.append(f"{path}: scrollWidth {width} > innerWidth {inner}")
            screenshot(driver, "too-wide" + path.replace("/", "-"))
    assert not too_wide, "pages scroll sideways at 360px: " + "; ".join(too_wide)
    screenshot(driver, "audit")

    # The navigation is hidden behind the menu button and opens from it.
    driver.get(url("/app"))
    nav = driver.find_element(By.ID, "site-nav")
    toggle = driver.find_element(By.CSS_SELECTOR, "[data-menu-toggle]")
    assert toggle.is_displayed(), "no menu button at phone size"
    assert not nav.is_displayed(), "the navigation is open before the menu button is pressed"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    wait_for(
        driver,
        lambda d: nav.is_displayed()
        and d.execute_script("return arguments[0].getBoundingClientRect().left", nav) >= 0,
        "the navigation did not open from the menu button",
    )
    assert toggle.get_attribute("aria-expanded") == "true"
    users_link = nav.find_element(By.CSS_SELECTOR, "a[href='/app/admin/users']")
    assert users_link.is_displayed()
    screenshot(driver, "nav-open")
    ok, width, inner = no_horizontal_scroll(driver)
    assert ok, f"the open menu scrolls sideways: scrollWidth {width} > innerWidth {inner}"

    # A link in it works and closes the drawer.
    users_link.click()
    wait_for(driver, lambda d: path_of(d) == "/app/admin/users", "the Users link did not open")
    assert not driver.find_element(By.ID, "site-nav").is_displayed()


# ---------------------------------------------------------------------------- 3. audit page


def test_owner_filters_the_audit_log_and_exports_csv(driver):
    sign_in_owner(driver)
    driver.get(url("/app/admin/audit"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Audit log"
    rows = audit_rows(driver)
    assert rows, "the audit log has no rows"
    actions = {r["action"] for r in rows}
    assert "auth.login.succeeded" in actions, f"no auth.login.succeeded among {sorted(actions)}"
    assert any(not a.startswith("auth.login") for a in actions), (
        f"only auth.login entries before filtering: {sorted(actions)}"
    )
    sequences = [int(r["sequence"]) for r in rows]
    assert sequences == sorted(sequences, reverse=True), "the audit log is not newest first"
    screenshot(driver, "audit")

    # Filter: action = auth.login (covers auth.login.*).
    Select(driver.find_element(By.ID, "audit-action")).select_by_value("auth.login")
    form = driver.find_element(By.CSS_SELECTOR, "form.filter-bar")
    submit_button(form).click()
    wait_for(driver, lambda d: "action=auth.login" in d.current_url, "the filter did not apply")
    assert Select(driver.find_element(By.ID, "audit-action")).first_selected_option.get_attribute(
        "value"
    ) == "auth.login", "the action filter did not stay selected"
    filtered = audit_rows(driver)
    assert filtered, "no rows for action auth.login"
    others = {
        r["action"]
        for r in filtered
        if r["action"] != "auth.login" and not r["action"].startswith("auth.login.")
    }
    assert not others, f"the auth.login filter also shows {sorted(others)}"
    assert any(r["action"] == "auth.login.succeeded" for r in filtered)

    # Export CSV: the link keeps the filter and answers CSV with the user's cookies.
    link = driver.find_element(By.LINK_TEXT, "Export CSV")
    href = link.get_attribute("href")
    assert "/app/admin/audit/export.csv" in href and "action=auth.login" in href, href
    response = fetch(driver, href)
    assert response["status"] == 200, f"GET {href} answered {response['status']}"
    assert response["type"].startswith("text/csv"), response["type"]
    assert "attachment" in response["disposition"], response["disposition"]
    text = response["text"]
    assert text.splitlines()[0].startswith("sequence,occurred_at"), text[:200]
    records = list(csv.DictReader(io.StringIO(text)))
    assert records, "the CSV has a header but no rows"
    exported_actions = {r["action"] for r in records}
    assert all(a.startswith("auth.login") for a in exported_actions), exported_actions
    assert all(r["sequence"].isdigit() and r["hash"] for r in records)
    assert len(records) >= len(filtered)

    # The export itself is audited.
    driver.get(url("/app/admin/audit?action=audit.exported"))
    exported = [r for r in audit_rows(driver) if r["who"] == DEMO_OWNER_EMAIL]
    assert exported, "the CSV export left no audit.exported entry"


# ---------------------------------------------------------------------------- 4. permissions


def test_agent_gets_403_for_the_audit_log_and_no_link_to_it(driver):
    login(driver, PERMISSIONS_AGENT, DEMO_PASSWORD)
    wait_for(driver, lambda d: path_of(d) == "/app", "the agent did not land on /app")
    nav = driver.find_element(By.ID, "site-nav")
    labels = nav.get_attribute("textContent")
    assert "Audit log" not in labels, "the agent's sidebar offers the audit log"
    assert not nav.find_elements(By.CSS_SELECTOR, "a[href^='/app/admin/audit']")

    driver.get(url("/app/admin/audit"))
    assert path_of(driver) == "/app/admin/audit"
    # An HTML error page inside the normal layout, not a bare JSON error.
    assert driver.find_element(By.TAG_NAME, "h1").text == "Forbidden"
    assert driver.find_element(By.CSS_SELECTOR, ".error-page .error-status").text == "403"
    assert driver.find_elements(By.CSS_SELECTOR, "header.site-header")
    assert driver.find_elements(By.ID, "site-nav"), "the 403 page has no sidebar"
    assert driver.find_elements(By.CSS_SELECTOR, "footer.site-footer")
    assert driver.find_elements(By.LINK_TEXT, "Go to the dashboard")
    assert not driver.find_elements(By.CSS_SELECTOR, "main table"), "the 403 page shows audit rows"
    assert "Audit log" not in driver.find_element(By.ID, "site-nav").get_attribute("textContent")
    response = fetch(driver, "/app/admin/audit")
    assert response["status"] == 403, f"GET /app/admin/audit answered {response['status']}"
    assert response["type"].startswith("text/html"), response["type"]
    export = fetch(driver, "/app/admin/audit/export.csv")
    assert export["status"] == 403, f"the agent's CSV export answered {export['status']}"
    assert "sequence,occurred_at" not in export["text"]
    screenshot(driver, "forbidden")


# ---------------------------------------------------------------------------- 5. keyboard


def test_login_page_tab_order_and_visible_focus(driver):
    driver.get(url("/login"))
    # The email field has autofocus; a keyboard user who starts from the top of the document
    # (as after focusing the page itself) tabs through the page in this order.
    assert focused(driver).get("name") == "email", "the email field is not autofocused"
    driver.execute_script(
        "const b = document.body; b.setAttribute('tabindex', '-1'); b.focus();"
        " b.removeAttribute('tabindex');"
    )
    stops = []
    for _ in range(12):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        info = focused(driver)
        if info.get("tag") in (None, "BODY") or (stops and info == stops[0]):
            break
        stops.append(info)
        if info.get("type") == "submit":
            screenshot(driver, "login-focus-submit")
            break
    order = [describe(s) for s in stops]

    assert stops and "skip-link" in stops[0]["cls"], f"first Tab stop is not the skip link: {order}"
    assert stops[0]["href"] == "#main"
    assert stops[0]["inView"], "the focused skip link stays off screen"

    def index(match) -> int:
        for i, info in enumerate(stops):
            if match(info):
                return i
        raise AssertionError(f"not reached by Tab: {order}")

    email = index(lambda s: s.get("name") == "email")
    password = index(lambda s: s.get("name") == "password")
    submit = index(lambda s: s.get("tag") == "BUTTON" and s.get("type") == "submit")
    assert 0 < email < password < submit, f"Tab order: {order}"

    # Each stop shows where the focus is.
    invisible = [
        describe(s)
        for s in stops
        if (s["outlineStyle"] == "none" or s["outlineWidth"] in ("0px", ""))
        and s["boxShadow"] in ("none", "")
    ]
    assert not invisible, f"no visible focus indicator on {invisible} (Tab order {order})"

    # The skip link moves the focus to the main content.
    driver.get(url("/login"))
    driver.execute_script(
        "const b = document.body; b.setAttribute('tabindex', '-1'); b.focus();"
        " b.removeAttribute('tabindex');"
    )
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert "skip-link" in focused(driver)["cls"]
    screenshot(driver, "login-skip-link")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for(
        driver,
        lambda d: d.execute_script("return document.activeElement.id") == "main",
        "Enter on the skip link did not focus <main>",
    )


# ---------------------------------------------------------------------------- live updates


def test_live_activity_arrives_without_reload(driver):
    """The owner's dashboard shows a sign-in made elsewhere, over the live WebSocket."""
    login(driver, DEMO_OWNER_EMAIL, DEMO_PASSWORD)
    driver.get(url("/app"))
    status = driver.find_element(By.CSS_SELECTOR, "[data-live-status]")
    wait_for(driver, lambda d: status.text == "Live", "the live status to say Live")
    marker = "live-check-" + str(int(time.time()))
    driver.execute_script("window.__reliefMarker = arguments[0];", marker)

    other = new_driver("desktop")
    try:
        login(other, PERMISSIONS_AGENT, DEMO_PASSWORD)
    finally:
        other.quit()

    feed = driver.find_element(By.CSS_SELECTOR, '[data-live-feed="audit"]')
    wait_for(
        driver,
        lambda d: PERMISSIONS_AGENT in feed.find_element(By.CSS_SELECTOR, "li").text,
        "the agent's sign-in to appear at the top of the live feed",
    )
    # No reload happened: the marker set on this page is still there.
    assert driver.execute_script("return window.__reliefMarker;") == marker
    assert "auth.login.succeeded" in feed.find_element(By.CSS_SELECTOR, "li").text
