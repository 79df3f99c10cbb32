"""The web side never renders, so starting it must not pay for importing reportlab (about a quarter second)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: this test process has long since imported reportlab for the builder tests.
WEB_START = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import django
django.setup()
import config.urls
import documents.apis, documents.models, documents.selectors, documents.services, documents.tasks
from documents.pdf import KINDS
from documents.pdf.snapshot import content_from_json
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("reportlab", "segno"))
print(",".join(loaded))
"""


def test_starting_the_web_side_does_not_import_reportlab():
    result = subprocess.run(
        [sys.executable, "-c", WEB_START], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported by the web side: {result.stdout.strip()}"


def test_building_a_document_still_loads_the_builders():
    """The other side of the lazy registry: a kind's builder is found by its name when a story is built."""
    from documents.pdf import KINDS

    assert all(callable(kind.builder) for kind in KINDS.values())
