"""/healthz: can the service reach its database and its broker?"""
from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # any failure means unreachable; report it, do not raise
        return False, str(exc)


def _broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "in-process (eager)"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, settings.CELERY_BROKER_URL.split("@")[-1]
    except Exception as exc:
        return False, str(exc)


def healthz(request):
    db_ok, db_detail = _database()
    broker_ok, broker_detail = _broker()
    body = {
        "status": "ok" if db_ok and broker_ok else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if db_ok and broker_ok else 503)
