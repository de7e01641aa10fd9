"""Debian's Chromium, headless, driven by Playwright: the HTML pages as a person sees them. Playwright
never downloads a browser here (`make browser` installs Debian's); every page is opened from a file,
and the URLs it asks for are kept so a test can prove it asked for nothing but itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium() -> Iterator:
    """A browser for as many pages as the caller opens; closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_of(path: Path, width: int, height: int) -> Iterator[tuple]:
    """`path` opened in a page of that viewport, and the list of every URL the page asks for."""
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        yield page, requests
