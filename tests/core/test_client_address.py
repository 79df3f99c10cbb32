"""One client address for lockouts and throttles: REMOTE_ADDR, and X-Forwarded-For only behind a
configured number of trusted proxies. Throttles count in the shared cache."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from rest_framework.test import APIClient

from core.clients import client_address
from documents.apis import VerifyThrottle

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def trusting(settings, proxies: int) -> None:
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}


def test_by_default_the_address_is_remote_addr_whatever_the_header_says():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "192.0.2.10"


def test_behind_one_trusted_proxy_the_address_is_the_one_it_appended(settings):
    trusting(settings, 1)
    # The client wrote the first entry itself; the proxy appended what it saw.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_address(request) == "198.51.100.4"


def test_behind_two_trusted_proxies(settings):
    trusting(settings, 2)
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.0.0.9"
    )
    assert client_address(request) == "198.51.100.4"


def _public_register(client, xff: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff else {}
    return client.get("/api/v1/register/?patent=ZL202110921116.9", REMOTE_ADDR="192.0.2.20", **extra)


def test_public_register_limit_is_not_reset_by_a_new_forwarded_for(settings):
    settings.PLEDGEFLOW_PUBLIC_REGISTER_RATE = "3/min"
    client = APIClient()
    statuses = [_public_register(client, f"203.0.113.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = _public_register(client, "203.0.113.99")
    assert refused.json()["error"]["code"] == "throttled"
    assert "Retry-After" in refused


def test_behind_a_trusted_proxy_distinct_clients_are_counted_apart(settings):
    settings.PLEDGEFLOW_PUBLIC_REGISTER_RATE = "2/min"
    trusting(settings, 1)
    client = APIClient()
    assert [_public_register(client, "203.0.113.1").status_code for _ in range(3)] == [200, 200, 429]
    assert _public_register(client, "203.0.113.2").status_code == 200
    # A client prefixing its own guess does not change what the proxy appended.
    assert _public_register(client, "1.2.3.4, 203.0.113.1").status_code == 429


def test_verify_limit_is_not_reset_by_a_new_forwarded_for(monkeypatch):
    monkeypatch.setattr(VerifyThrottle, "rate", "2/min")
    client = APIClient()
    statuses = [
        client.get(f"/api/v1/documents/verify/{'0' * 64}/", REMOTE_ADDR="192.0.2.30",
                   HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [404, 404, 429]


def test_tests_count_in_local_memory():
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'num_proxies': s.REST_FRAMEWORK['NUM_PROXIES'], 'cache': s.CACHES['default'],"
    " 'ttl': s.REST_KNOX['TOKEN_TTL'].total_seconds(), 'axes_limit': s.AXES_FAILURE_LIMIT}))"
)


def _settings_with(**env) -> dict:
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.local", **env}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, env=environment)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_settings_defaults_trust_no_proxy_and_count_in_memory():
    seen = _settings_with()
    assert seen["num_proxies"] == 0
    assert seen["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert seen["ttl"] == 10 * 3600 and seen["axes_limit"] == 5


def test_settings_from_the_environment():
    seen = _settings_with(PLEDGEFLOW_TRUSTED_PROXY_COUNT="1", REDIS_URL="redis://redis:6379/0",
                          PLEDGEFLOW_TOKEN_TTL_HOURS="2", PLEDGEFLOW_LOGIN_FAILURE_LIMIT="3")
    assert seen["num_proxies"] == 1
    assert seen["cache"]["BACKEND"] == "core.cache.FailOpenRedisCache"
    assert seen["cache"]["LOCATION"] == "redis://redis:6379/0"
    assert seen["ttl"] == 2 * 3600 and seen["axes_limit"] == 3
