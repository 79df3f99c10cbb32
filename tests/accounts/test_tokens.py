"""API tokens: issued for a user name and password, expiring, stored hashed, revoked by logout and by
a password change."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def login(username="officer", password="pw", **extra):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def bearer(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_for_a_good_password_works_and_expires_at_the_ttl(world, settings):
    before = timezone.now()
    response = login()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expiry = dt.datetime.fromisoformat(body["expiry"])
    ttl = dt.timedelta(hours=settings.PLEDGEFLOW_TOKEN_TTL_HOURS)
    assert before + ttl - dt.timedelta(minutes=1) <= expiry <= timezone.now() + ttl
    assert bearer(body["token"]).get("/api/v1/applications/").status_code == 200


def test_token_is_stored_as_a_digest_never_as_sent(world):
    token = login().json()["token"]
    stored = AuthToken.objects.get(user=world.officer)
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[: len(stored.token_key)] and len(stored.digest) == 128


def test_default_ttl_is_ten_hours(settings):
    assert settings.PLEDGEFLOW_TOKEN_TTL_HOURS == 10
    assert settings.REST_KNOX["TOKEN_TTL"] == dt.timedelta(hours=10)


def test_an_expired_token_is_refused_401(world, settings):
    token = login().json()["token"]
    later = timezone.now() + dt.timedelta(hours=settings.PLEDGEFLOW_TOKEN_TTL_HOURS, minutes=1)
    with time_machine.travel(later, tick=False):
        response = bearer(token).get("/api/v1/applications/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(user=world.officer).exists()  # knox drops it on sight


@pytest.mark.parametrize("username,password", [("officer", "nope"), ("nobody", "pw"), ("officer", "")])
def test_wrong_credentials_are_400_and_issue_no_token(world, username, password):
    response = login(username, password)
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid_credentials", "invalid")
    assert AuthToken.objects.count() == 0


def test_an_inactive_user_gets_no_token(world):
    world.officer.is_active = False
    world.officer.save()
    assert login().status_code == 400
    assert AuthToken.objects.count() == 0


def test_a_made_up_token_is_401(world):
    response = bearer("0" * 64).get("/api/v1/applications/")
    assert response.status_code == 401
    assert "error" in response.json()


def test_logout_revokes_only_this_token(world):
    first, second = login().json()["token"], login().json()["token"]
    response = bearer(first).post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert bearer(first).get("/api/v1/applications/").status_code == 401
    assert bearer(second).get("/api/v1/applications/").status_code == 200


def test_logout_all_revokes_every_token_of_the_user_only(world):
    mine = [login().json()["token"] for _ in range(3)]
    theirs = login("approver").json()["token"]
    assert bearer(mine[0]).post("/api/v1/auth/logout-all/").status_code == 204
    for token in mine:
        assert bearer(token).get("/api/v1/applications/").status_code == 401
    assert bearer(theirs).get("/api/v1/applications/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/logout/", "/api/v1/auth/logout-all/"])
def test_logout_without_a_token_is_401_and_revokes_nothing(world, path):
    token = login().json()["token"]
    response = APIClient().post(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert bearer(token).get("/api/v1/applications/").status_code == 200


def test_logout_with_a_revoked_token_is_401(world):
    token = login().json()["token"]
    assert bearer(token).post("/api/v1/auth/logout/").status_code == 204
    assert bearer(token).post("/api/v1/auth/logout/").status_code == 401


def test_a_password_change_revokes_every_token_of_that_user(world):
    mine = [login().json()["token"] for _ in range(2)]
    theirs = login("approver").json()["token"]
    world.officer.set_password("a-new-long-passphrase")
    world.officer.save()
    for token in mine:
        assert bearer(token).get("/api/v1/applications/").status_code == 401
    assert not AuthToken.objects.filter(user=world.officer).exists()
    assert bearer(theirs).get("/api/v1/applications/").status_code == 200
    assert login(password="a-new-long-passphrase").status_code == 200


def test_a_password_change_with_update_fields_also_revokes(world):
    token = login().json()["token"]
    world.officer.set_password("another-passphrase")
    world.officer.save(update_fields=["password"])
    assert bearer(token).get("/api/v1/applications/").status_code == 401


def test_saving_a_user_without_changing_the_password_keeps_tokens(world):
    token = login().json()["token"]
    world.officer.first_name = "Renamed"
    world.officer.save()
    world.officer.refresh_from_db()
    world.officer.save(update_fields=["last_login"])
    assert bearer(token).get("/api/v1/applications/").status_code == 200


def test_drf_authtoken_is_gone(settings):
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    from knox.auth import TokenAuthentication as Knox

    from accounts.auth import TokenAuthentication

    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"][0] == "accounts.auth.TokenAuthentication"
    assert issubclass(TokenAuthentication, Knox)


def test_a_token_its_user_and_role_are_read_in_one_query(world, django_assert_num_queries):
    from rest_framework.test import APIRequestFactory

    from accounts.auth import TokenAuthentication
    from accounts.roles import role_of

    token = login().json()["token"]
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")
    with django_assert_num_queries(1):
        user, _ = TokenAuthentication().authenticate(request)
        assert role_of(user) == "bank_officer"


def test_a_user_given_two_roles_by_mistake_has_none_over_a_token(world):
    from django.contrib.auth.models import Group

    token = login("registrar").json()["token"]
    assert bearer(token).get("/api/v1/registration/filings/").status_code == 200
    world.registrar.groups.add(Group.objects.get_or_create(name="bank_officer")[0])
    assert bearer(token).get("/api/v1/registration/filings/").status_code == 403


def test_an_expired_token_is_refused_and_deleted_and_the_daily_task_clears_the_rest(world):
    import datetime as dt

    from django.utils import timezone
    from knox.models import AuthToken

    from accounts.tasks import tokens_clear_expired

    used = login().json()["token"]
    unused = login().json()["token"]
    live = login().json()["token"]
    past = timezone.now() - dt.timedelta(minutes=1)
    AuthToken.objects.filter(token_key__in=[used[:15], unused[:15]]).update(expiry=past)
    assert bearer(used).get("/api/v1/applications/").status_code == 401
    assert not AuthToken.objects.filter(token_key=used[:15]).exists()
    assert AuthToken.objects.filter(token_key=unused[:15]).exists()  # not read on every request any more
    assert tokens_clear_expired() == 1
    assert not AuthToken.objects.filter(token_key=unused[:15]).exists()
    assert bearer(live).get("/api/v1/applications/").status_code == 200
