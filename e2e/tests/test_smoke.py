"""Smoke test: the login page renders and the demo owner can sign in."""

import pytest
from selenium.webdriver.common.by import By

from conftest import (
    DEMO_OWNER_EMAIL,
    DEMO_OWNER_PASSWORD,
    login,
    login_form,
    path_of,
    screenshot,
    submit_button,
    totp,
    url,
    wait_for,
)


@pytest.mark.viewports("desktop", "phone")
def test_login_page_has_the_sign_in_form(driver, viewport):
    driver.get(url("/login"))

    form = login_form(driver)
    email = form.find_element(By.NAME, "email")
    password = form.find_element(By.NAME, "password")
    assert password.get_attribute("type") == "password"
    assert email.is_displayed() and password.is_displayed()
    assert submit_button(form).is_displayed()
    width = driver.execute_script("return window.innerWidth")
    assert width == {"desktop": 1280, "phone": 360}[viewport]
    screenshot(driver, "login")


def test_demo_owner_signs_in_and_lands_on_the_app(driver):
    login(driver, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)

    wait_for(driver, lambda d: path_of(d) == "/app", "after signing in the browser is not at /app")
    assert driver.find_elements(By.ID, "main"), "the /app page has no element with id 'main'"
    screenshot(driver, "app")


def test_totp_helper_matches_rfc_6238_vectors():
    # RFC 6238 appendix B: SHA-1 key "12345678901234567890", 8 digits. Needs no server.
    key = b"12345678901234567890"
    vectors = {59: "94287082", 1111111109: "07081804", 1234567890: "89005924", 2000000000: "69279037"}
    for at, code in vectors.items():
        assert totp(key, at, digits=8) == code
    # The same key as an authenticator app would show it (base32, lower case, no padding).
    assert totp("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", 59, digits=8) == "94287082"
