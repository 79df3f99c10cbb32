"""The stack itself: the suite is on PostgreSQL, a worker answers through Redis, /healthz reports both."""
import pytest
from django.db import connection

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


def test_the_suite_runs_on_postgresql(stack_worker):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_healthz_reports_postgresql_and_redis(client, through_the_broker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["database"] == {**body["database"], "ok": True, "detail": "postgresql"}
    assert body["broker"] == {**body["broker"], "ok": True, "detail": "redis"}
