"""Every answer under /api/ is the one JSON error shape, whatever goes wrong and whoever notices it;
pages outside /api/ keep Django's own."""
import pytest
from django.db import InterfaceError, OperationalError
from rest_framework.test import APIClient

from monitoring.apis import AlertListApi

pytestmark = [pytest.mark.django_db]


def assert_error_shape(response, status_code: int, code: str) -> dict:
    assert response.status_code == status_code, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture
def quiet_client(world):
    """A client that, like a real one, gets the 500 page instead of the exception re-raised into the test."""
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user=world.admin)
    return client


@pytest.mark.parametrize("url", ["/api/v1/no-such-thing/", "/api/nope", "/api/v1/applications/999999/history/x/"])
def test_unknown_api_route_is_a_json_404(api, world, url):
    error = assert_error_shape(api(world.admin).get(url), 404, "not_found")
    assert url in error["message"]


def test_unknown_api_route_is_a_json_404_for_anonymous_callers_too(api):
    assert_error_shape(api().post("/api/v1/no-such-thing/", {}), 404, "not_found")


def test_wrong_method_is_a_json_405_naming_the_allowed_ones(api, world):
    response = api(world.admin).delete("/api/v1/patents/")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_body_over_the_upload_limit_is_a_json_413(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = api(world.admin).post(
        "/api/v1/valuation/quote/", {"purpose": "x" * 5_000}, format="multipart"
    )
    error = assert_error_shape(response, 413, "request_too_large")
    assert error["details"] == {"max_bytes": 1_000}


def test_unhandled_exception_is_a_json_500_that_leaks_nothing(quiet_client, monkeypatch):
    def broken(self):
        raise RuntimeError("secret-internal-detail at /srv/pledgeflow/settings.py")

    monkeypatch.setattr(AlertListApi, "get_queryset", broken)
    response = quiet_client.get("/api/v1/alerts/")
    assert_error_shape(response, 500, "server_error")
    assert b"secret-internal-detail" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("error", [OperationalError("could not connect to server"), InterfaceError("closed")])
def test_database_unavailable_is_a_503_with_retry_after(quiet_client, monkeypatch, error):
    def unreachable(self):
        raise error

    monkeypatch.setattr(AlertListApi, "get_queryset", unreachable)
    response = quiet_client.get("/api/v1/alerts/")
    assert_error_shape(response, 503, "service_unavailable")
    assert int(response["Retry-After"]) > 0
    assert b"could not connect" not in response.content


def test_database_unavailable_outside_the_api_views_is_still_a_503(quiet_client, monkeypatch):
    """A failure Django itself meets (here in the URL resolver) is answered by handler500."""
    import django.urls.resolvers

    def unreachable(self, path):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(django.urls.resolvers.URLResolver, "resolve", unreachable)
    response = quiet_client.get("/api/v1/alerts/")
    assert_error_shape(response, 503, "service_unavailable")
    assert int(response["Retry-After"]) > 0


def test_debug_pages_never_reach_api_callers(quiet_client, monkeypatch, settings):
    settings.DEBUG = True

    def broken(self):
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(AlertListApi, "get_queryset", broken)
    response = quiet_client.get("/api/v1/alerts/")
    assert_error_shape(response, 500, "server_error")
    assert b"secret-internal-detail" not in response.content
    assert_error_shape(quiet_client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_pages_outside_the_api_keep_djangos_own_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
