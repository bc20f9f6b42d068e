"""Debian's Chromium driven by Playwright, headless, with a WAV file as its microphone."""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.database import services_required

CHROMIUM = os.environ.get("RINGLINE_TEST_CHROMIUM", "/usr/bin/chromium")


def sync_playwright_or_skip() -> Any:
    """Playwright's entry point; skipped without it or Chromium, failed in CI (which has both)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        problem = f"the playwright package is not installed ({exc})"
    else:
        if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
            return sync_playwright
        problem = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if services_required():
        pytest.fail(problem + " and RINGLINE_REQUIRE_SERVICES=1")
    pytest.skip(problem)


def chromium_args(wav: Path) -> list[str]:
    """Headless, with ``wav`` (played once) as the microphone the page is allowed to use."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}%noloop",
    ]


def launch(playwright: Any, wav: Path) -> Any:
    """A Chromium whose microphone says what ``wav`` holds."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args(wav))
