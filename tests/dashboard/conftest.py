import pytest

from tests.webcall.chromium import sync_playwright_or_skip


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright_or_skip()() as playwright:
        yield playwright
