"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server."""

import os
import shutil

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from fixtures.loader import SeedLoader

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests are
# ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATime(WSGIServer):
    """The live server answering one request at a time. On the in-memory SQLite database every
    thread of Django's threaded live server shares the test's one connection, and two requests
    at once (a page and its admin catalogue, say) can read each other's rows: a session found
    twice, a row cut short, a 500 that is not the portal's. One at a time (each response closes
    its connection) that cannot happen. On PostgreSQL each thread has a connection of its own
    and the threaded server stays."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATime


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
