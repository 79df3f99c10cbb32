"""pytest plugin for .ci/run: write pytest's own exit status to $PLEDGEFLOW_PYTEST_STATUS_FILE.

make reports any failing command as status 2, which hides whether pytest found no tests (5, not a
failure) or failed. .ci/run loads this with `-p pytest_exit_status` (scripts/ on PYTHONPATH).
"""
from __future__ import annotations

import os
from pathlib import Path


def pytest_sessionfinish(session, exitstatus) -> None:
    path = os.environ.get("PLEDGEFLOW_PYTEST_STATUS_FILE")
    if path:
        Path(path).write_text(f"{int(exitstatus)}\n")
