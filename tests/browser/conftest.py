"""A live server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served on a free port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    require(shutil.which(CHROMIUM) is not None, "browser tests need chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "laptop"]
)
def page(browser, request):
    context = browser.new_context(viewport=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    # Let the last page finish loading (favicon, images) before the browser hangs up on the
    # live server mid-response.
    page.wait_for_load_state("networkidle")
    context.close()
