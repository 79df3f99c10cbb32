"""/healthz: 200 with both checks when the database and broker answer, 503 naming the one that does not."""
import pytest
from django.db import OperationalError

from config.celery import app

pytestmark = pytest.mark.django_db


def test_healthy_on_the_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert "no-cache" in response["Cache-Control"]


def test_no_login_needed_and_only_safe_methods(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_an_unreachable_broker_is_503_without_leaking_its_address(client, settings, monkeypatch):
    # Load Celery's configuration first: it is read lazily, once, and must not keep this override.
    app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery reads CELERY_BROKER_URL from the environment before its own setting (a real-stack run sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"]["ok"] and not body["broker"]["ok"]
    assert "127.0.0.1" not in response.content.decode()


def test_an_unreachable_database_is_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal:5432")

    monkeypatch.setattr("core.health.connection.cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "unreachable (OperationalError)",
                                           "ms": response.json()["database"]["ms"]}
    assert "db.internal" not in response.content.decode()
