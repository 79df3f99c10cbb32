"""Which settings a process gets when DJANGO_SETTINGS_MODULE is unset: serving processes (gunicorn's
config.wsgi, the Celery worker and beat) production; only manage.py the local, debugging settings."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run_without_settings_module(*args: str, **extra_environment: str) -> str:
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    environment.update(extra_environment)
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("module", ["config", "config.celery"])
def test_the_celery_app_defaults_to_production_settings(module):
    printed = run_without_settings_module("-c", f"import os, {module}; print(os.environ['DJANGO_SETTINGS_MODULE'])")
    assert printed == "config.settings.production"


def test_the_wsgi_entry_point_defaults_to_production_settings():
    # Production settings refuse to load without a real secret key; give them one.
    printed = run_without_settings_module(
        "-c", "import os, config.wsgi; print(os.environ['DJANGO_SETTINGS_MODULE'])", DJANGO_SECRET_KEY="k" * 50,
    )
    assert printed == "config.settings.production"


def test_manage_py_defaults_to_local_settings():
    printed = run_without_settings_module(
        "manage.py", "shell", "-c", "import os; print(os.environ['DJANGO_SETTINGS_MODULE'])"
    )
    assert printed == "config.settings.local"


def test_the_stack_worker_names_its_settings():
    """scripts/stack.sh starts a Celery worker for tests and local runs: it must not fall to production's default."""
    assert 'export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"' in (
        REPO / "scripts" / "stack.sh"
    ).read_text()
