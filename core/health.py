"""/healthz: can the service reach its database and its broker? 200 when both answer, 503 otherwise."""
from __future__ import annotations

import logging
import time
from typing import Callable

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Load balancers and container health checks call this every few seconds: answer fast.
BROKER_TIMEOUT_SECONDS = 2


def database_check() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def broker_check() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process (tasks run eagerly, no broker)"
    from config.celery import app

    with app.connection_for_write() as conn:
        # One attempt, no retries: a health check reports, it does not wait for recovery.
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
        return conn.transport.driver_name


def run_check(name: str, check: Callable[[], str]) -> dict:
    started = time.monotonic()
    try:
        detail, ok = check(), True
    except Exception as exc:  # any failure means unreachable: report it, never raise
        # The body is public, so it names the kind of failure; hosts and credentials go to the log.
        logger.warning("healthz: %s unreachable: %s", name, exc)
        detail, ok = f"unreachable ({type(exc).__name__})", False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


@never_cache
@require_safe
def healthz(request):
    checks = {"database": run_check("database", database_check), "broker": run_check("broker", broker_check)}
    healthy = all(result["ok"] for result in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
