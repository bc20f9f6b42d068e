"""The browser tests share the web call tests' Playwright (module-scoped)."""

from tests.webcall.conftest import playwright

__all__ = ["playwright"]
