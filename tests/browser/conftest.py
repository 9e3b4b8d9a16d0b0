"""Playwright driving Debian's Chromium against the live test server; screenshots go to test-artifacts/."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import make_tree

CHROMIUM = os.environ.get("ZHIBU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without the background-networking flags Chromium tries to reach Google's hosts, which an intranet refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
PASSWORD = "pw-Secret-123"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_db(transactional_db):
    """A database the live server can see, holding what the migrations load (activity types, rules).

    Live-server tests empty every table when they end, the migrations' data too, so it is loaded again here.
    """
    from zhibu.compliance.models import Rule
    from zhibu.compliance.rules import add_missing_rules
    from zhibu.records.loading import load_catalogue
    from zhibu.records.models import ActivityType

    load_catalogue(ActivityType)
    add_missing_rules(Rule)


@pytest.fixture
def live_tree(live_db):
    return make_tree()


class Browser:
    """A page bound to the live server, with the steps every browser test repeats."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.outside_requests: list[str] = []
        self.policy_violations: list[str] = []
        self.dialogs: list[str] = []  # what the page asked (data-confirm); each is answered yes
        page.on("request", self._watch_request)
        page.on("dialog", self._answer_dialog)
        page.on("console", self._watch_console)

    def _answer_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _watch_console(self, message):
        # Chromium reports what the Content-Security-Policy blocked on the console.
        if "Content Security Policy" in message.text:
            self.policy_violations.append(message.text)

    def _watch_request(self, request):
        if not request.url.startswith(self.base_url) and not request.url.startswith(("data:", "blob:")):
            self.outside_requests.append(request.url)

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = PASSWORD):
        self.goto("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.click_and_wait("button.primary")

    def click_and_wait(self, selector: str):
        """Click something that loads a new page, and wait for that page (not just the current one) to load."""
        with self.page.expect_navigation():
            self.page.click(selector)

    def wait_for_fragments(self):
        """Wait until no part of the page is being reloaded: htmx marks an element `htmx-request` from the moment it
        asks until its answer is in place (a "networkidle" wait returns at once on a page that was idle before)."""
        expect(self.page.locator(".htmx-request")).to_have_count(0)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _browser_page(browser, live_server, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    wrapper = Browser(page, live_server.url)
    yield wrapper
    context.close()
    assert not wrapper.outside_requests, f"page requested outside the app: {wrapper.outside_requests}"
    assert not wrapper.policy_violations, f"the Content-Security-Policy blocked: {wrapper.policy_violations}"


@pytest.fixture
def web(browser, live_server):
    yield from _browser_page(browser, live_server, DESKTOP)


@pytest.fixture
def phone(browser, live_server):
    yield from _browser_page(browser, live_server, PHONE)
