"""Guessing passwords is cut short: after PLEDGEFLOW_LOGIN_FAILURE_LIMIT failures for one user name or
from one client address, the token endpoint and the admin login answer 429 until the cool-off ends."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def login(username="officer", password="pw", ip="10.0.0.1", **headers):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip, **headers
    )


def fail(times, **kwargs):
    return [login(password="wrong", **kwargs).status_code for _ in range(times)]


def test_limits_are_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)


def test_fifth_failure_locks_the_user_name_and_answers_429_in_the_error_shape(world):
    assert fail(4) == [400] * 4
    response = login(password="wrong")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "too_many_attempts"
    assert error["details"] == {"retry_after_seconds": 900}
    assert response["Retry-After"] == "900"


def test_locked_out_the_right_password_gets_no_token(world):
    fail(5)
    response = login()
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_attempts"
    assert AuthToken.objects.count() == 0


def test_the_user_name_is_locked_from_every_address(world):
    for n in range(5):
        login(password="wrong", ip=f"10.0.1.{n}")
    assert login(ip="10.9.9.9").status_code == 429  # a botnet spreading guesses still hits the name's limit
    assert login("approver", ip="10.9.9.9").status_code == 200  # others are not locked out by it


def test_one_address_guessing_many_names_is_locked(world):
    for name in ("a", "b", "c", "d", "e"):
        login(name, "wrong", ip="10.0.0.66")
    response = login("approver", ip="10.0.0.66")
    assert response.status_code == 429
    assert login("approver", ip="10.0.0.67").status_code == 200


def test_lockout_ends_after_the_cool_off(world):
    fail(5)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=False):
        assert login().status_code == 200


def test_a_success_before_the_limit_is_fine(world):
    assert fail(4) == [400] * 4
    assert login().status_code == 200


def test_x_forwarded_for_does_not_escape_the_address_lockout_by_default(world):
    for n, name in enumerate("abcde"):
        login(name, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = login("approver", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_admin_login_is_locked_out_too(world):
    client = Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post("/admin/login/", {"username": "admin", "password": "wrong"}).status_code == 429
    locked = client.post("/admin/login/", {"username": "admin", "password": "pw"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_and_api_failures_count_together(world):
    client = Client(REMOTE_ADDR="10.0.0.3")
    for _ in range(3):
        client.post("/admin/login/", {"username": "officer", "password": "wrong"})
    assert fail(1, ip="10.0.0.4") == [400]
    assert login(password="wrong", ip="10.0.0.4").status_code == 429
