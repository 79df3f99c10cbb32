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


def test_lost_tasks_come_back_within_minutes_and_no_publish_waits_on_redis():
    """Issue 10: a task lost with its worker is redelivered in minutes, the requeue runs every few
    minutes, and a request's publish gives up on Redis after about a second."""
    from celery.schedules import crontab
    from django.conf import settings

    from documents import tasks

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    generate = tasks.document_generate
    # Redelivered within minutes, yet never while a document task still runs or waits for its retry.
    assert options["visibility_timeout"] <= 10 * 60
    assert options["visibility_timeout"] > generate.time_limit + generate.retry_backoff_max
    assert options["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    # The long daily sweep is acknowledged on receipt, so the short visibility timeout cannot double it.
    from monitoring.tasks import monitor_pledges_run
    assert monitor_pledges_run.acks_late is False
    # The requeue: every 2 minutes, for documents pending more than 2.
    schedule = settings.CELERY_BEAT_SCHEDULE["documents-requeue-pending"]["schedule"]
    assert isinstance(schedule, crontab) and schedule.minute == set(range(0, 60, 2))
    assert tasks.REQUEUE_AFTER_MINUTES <= 5
    # Connecting to and talking with Redis time out in a second.
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
    assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 1
