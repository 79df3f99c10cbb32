"""What each kind of process loads as it starts: the web side no reportlab; a worker process the typeface, before its first document."""
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
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("reportlab", "zxingcpp"))
print(",".join(loaded))
"""

# What a Celery worker process does as it starts, short of connecting to a broker.
WORKER_START = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import django
django.setup()
from celery.signals import worker_process_init
from config.celery import app
app.loader.import_default_modules()
from reportlab.pdfbase import pdfmetrics
from documents.pdf.fonts import FONT_NAME
assert FONT_NAME not in pdfmetrics.getRegisteredFontNames()
worker_process_init.send(sender=None)
print(FONT_NAME in pdfmetrics.getRegisteredFontNames())
"""


def run_fresh(code: str) -> str:
    """Runs `code` in a new interpreter from the project root and returns what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_starting_the_web_side_does_not_import_reportlab():
    loaded = run_fresh(WEB_START)
    assert loaded == "", f"imported by the web side: {loaded}"


def test_a_worker_process_loads_the_typeface_as_it_starts():
    """So the first document a worker renders does not also parse the 5 MB font."""
    assert run_fresh(WORKER_START) == "True"


def test_building_a_document_still_loads_the_builders():
    """The other side of the lazy registry: a kind's builder is found by its name when a story is built."""
    from documents.pdf import KINDS

    assert all(callable(kind.builder) for kind in KINDS.values())
