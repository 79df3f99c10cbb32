"""Browser tests: pytest-playwright driving Debian's Chromium (no browser download, no network)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

# Playwright's sync API runs an event loop in the test's thread; the test's own ORM calls are still
# synchronous and sequential, so Django's async-safety guard would only get in the way here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if os.environ.get("PLEDGEFLOW_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and PLEDGEFLOW_REQUIRE_BROWSER=1 (Debian: apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    # `make test-shifted` runs under libfaketime (LD_PRELOAD); Chromium hangs with a faked clock, and
    # the clock that matters is the server's, so the browser gets the real one.
    real_clock = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True,
            "env": real_clock}
