"""Shared fixtures and helpers for ReliefCRM's browser tests.

Run through `e2e/run`, which starts the server and sets E2E_BASE_URL. Against a server you
started yourself: `E2E_BASE_URL=http://127.0.0.1:8080 e2e/run`.

Fixtures:
  base_url  the server's root URL (no trailing slash); fails the test clearly when
            GET /readyz does not answer 200.
  driver    a headless Chromium WebDriver sized for one viewport. A test runs at desktop size
            (1280x900) unless it asks for more with
            `@pytest.mark.viewports("desktop", "phone")` (phone is 360x740), which runs it once
            per viewport; the `viewport` fixture then says which one this run is.
Helpers:
  url(path), login(driver, email, password), screenshot(driver, name), totp(secret).
On a failure the test's last page is saved as a screenshot in e2e/artifacts/.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import struct
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

BASE_URL = os.environ.get("E2E_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", Path(__file__).resolve().parent.parent / "artifacts"))

# The demo organization created by `relief serve --demo`.
DEMO_OWNER_EMAIL = os.environ.get("E2E_DEMO_OWNER_EMAIL", "owner@summit-demo.example")
DEMO_OWNER_PASSWORD = os.environ.get("E2E_DEMO_OWNER_PASSWORD", "ReliefDemo!2026")

# name -> (width, height) of the page's viewport in CSS pixels, and whether to emulate a phone.
VIEWPORTS: dict[str, tuple[int, int, bool]] = {
    "desktop": (1280, 900, False),
    "phone": (360, 740, True),
}

# Seconds to wait for a page to settle after an action.
WAIT = float(os.environ.get("E2E_WAIT", "10"))


# ---------------------------------------------------------------------------- pytest wiring


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "viewports(*names): run the test once per named viewport (desktop, phone)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "viewport" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("viewports")
    names = list(marker.args) if marker else ["desktop"]
    unknown = [n for n in names if n not in VIEWPORTS]
    if unknown:
        raise pytest.UsageError(f"unknown viewport(s) {unknown}; known: {sorted(VIEWPORTS)}")
    metafunc.parametrize("viewport", names, ids=names)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call" and report.failed:
        drv = getattr(item, "_e2e_driver", None)
        if drv is not None:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", getattr(item, "originalname", item.name))
            try:
                path = screenshot(drv, f"FAILED-{name}")
                report.sections.append(("e2e", f"screenshot: {path}\nurl: {drv.current_url}"))
            except Exception as error:  # the browser may be gone; the report matters more
                report.sections.append(("e2e", f"no screenshot: {error}"))
    return report


# ---------------------------------------------------------------------------- fixtures

_server_problem: str | None = None
_server_checked = False


@pytest.fixture(scope="session")
def base_url() -> str:
    """The server's root URL; fails with a clear message when the server is not up."""
    global _server_checked, _server_problem
    if not _server_checked:
        _server_checked = True
        probe = f"{BASE_URL}/readyz"
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status != 200:
                    _server_problem = f"GET {probe} answered {response.status}, not 200"
        except urllib.error.HTTPError as error:
            _server_problem = f"GET {probe} answered {error.code}, not 200"
        except (urllib.error.URLError, OSError) as error:
            _server_problem = f"GET {probe} failed: {getattr(error, 'reason', error)}"
    if _server_problem:
        pytest.fail(
            f"ReliefCRM server is not up: {_server_problem}. Run the browser tests with e2e/run "
            f"(it starts the server), or set E2E_BASE_URL to a running server.",
            pytrace=False,
        )
    return BASE_URL


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> str:
    # Parametrised by pytest_generate_tests; "desktop" when used outside that.
    return getattr(request, "param", "desktop")


@pytest.fixture
def driver(request: pytest.FixtureRequest, base_url: str, viewport: str):
    drv = new_driver(viewport)
    request.node._e2e_driver = drv
    try:
        yield drv
    finally:
        request.node._e2e_driver = None
        drv.quit()


def new_driver(viewport: str = "desktop") -> WebDriver:
    """A headless Chromium from Debian's packages; Selenium never downloads a browser or driver."""
    width, height, mobile = VIEWPORTS[viewport]
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        f"--window-size={max(width, 500)},{height + 100}",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # Exact viewport in CSS pixels; `mobile` also makes Chromium honour <meta name="viewport">.
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    if mobile:
        drv.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    drv.implicitly_wait(0)
    drv.set_page_load_timeout(30)
    drv.e2e_viewport = viewport  # type: ignore[attr-defined]
    return drv


# ---------------------------------------------------------------------------- helpers


def url(path: str = "/") -> str:
    """An absolute URL on the server under test."""
    return f"{BASE_URL}/{path.lstrip('/')}"


def path_of(drv: WebDriver) -> str:
    """The current page's path, without a trailing slash (except for "/")."""
    path = urlparse(drv.current_url).path
    return path.rstrip("/") or "/"


def wait_for(drv: WebDriver, condition, message: str, timeout: float = WAIT):
    """WebDriverWait(...).until(condition) with a readable failure."""
    try:
        return WebDriverWait(drv, timeout).until(condition)
    except TimeoutException:
        raise AssertionError(f"{message} (after {timeout:.0f}s; now at {drv.current_url})") from None


def login(drv: WebDriver, email: str, password: str, *, expect_success: bool = True) -> None:
    """Sign in through the /login form.

    With expect_success (the default) waits until the browser has left /login and fails with the
    page's text otherwise. A second factor page (if the account has 2FA) counts as leaving /login:
    the caller then types `totp(secret)`.
    """
    drv.get(url("/login"))
    form = login_form(drv)
    email_input = form.find_element(By.NAME, "email")
    email_input.clear()
    email_input.send_keys(email)
    password_input = form.find_element(By.NAME, "password")
    password_input.clear()
    password_input.send_keys(password)
    submit_button(form).click()
    if not expect_success:
        wait_for(
            drv,
            lambda d: d.execute_script("return document.readyState") == "complete",
            "the page did not finish loading after submitting the login form",
        )
        return
    try:
        WebDriverWait(drv, WAIT).until(lambda d: path_of(d) != "/login")
    except TimeoutException:
        text = drv.find_element(By.TAG_NAME, "body").text.strip().replace("\n", " | ")
        raise AssertionError(
            f"login as {email} stayed on {drv.current_url}; the page says: {text[:400]}"
        ) from None


def login_form(drv: WebDriver):
    """The form that holds the email input on the current page."""
    forms = [
        f for f in drv.find_elements(By.TAG_NAME, "form") if f.find_elements(By.NAME, "email")
    ]
    assert forms, f"no <form> with an input named 'email' on {drv.current_url}"
    return forms[0]


def submit_button(form):
    """The form's submit control: <button type=submit>, a <button> without type, or <input type=submit>."""
    candidates = form.find_elements(
        By.CSS_SELECTOR,
        "button[type=submit], button:not([type]), input[type=submit]",
    )
    assert candidates, "the form has no submit button"
    return candidates[0]


def screenshot(drv: WebDriver, name: str) -> Path:
    """Save a PNG of the current page as e2e/artifacts/NAME-VIEWPORT.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    viewport = getattr(drv, "e2e_viewport", "desktop")
    path = ARTIFACTS / f"{name}-{viewport}.png"
    assert drv.save_screenshot(str(path)), f"could not save screenshot {path}"
    return path


def totp(
    secret: str | bytes,
    at: float | None = None,
    *,
    digits: int = 6,
    period: int = 30,
    algorithm: str = "sha1",
) -> str:
    """RFC 6238 time-based one-time password.

    secret is the base32 text shown by an authenticator setup page (case, spaces and missing
    padding are fine), or the raw key as bytes. at defaults to now (Unix seconds).
    """
    if isinstance(secret, str):
        cleaned = re.sub(r"[\s-]", "", secret).upper()
        cleaned += "=" * (-len(cleaned) % 8)
        key = base64.b32decode(cleaned)
    else:
        key = secret
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, algorithm)).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def totp_secret_from_uri(uri: str) -> str:
    """The base32 secret of an otpauth:// URI (as encoded in a 2FA QR code)."""
    from urllib.parse import parse_qs

    secret = parse_qs(urlparse(uri).query).get("secret", [""])[0]
    assert secret, f"no secret in {uri!r}"
    return secret
