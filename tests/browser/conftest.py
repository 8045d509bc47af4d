"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server."""

import os
import shutil

import pytest

from fixtures.loader import SeedLoader

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests are
# ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def portal(live_server, transactional_db):
    """A live portal with the seeds loaded (transactional tests start from an empty database)."""
    SeedLoader().load()
    return live_server


@pytest.fixture
def open_page(browser):
    """A page in a fresh browser context of the given size, with or without JavaScript."""
    contexts = []

    def opener(viewport, javascript=True):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()
