"""List filters refuse numbers no database id can hold with a 400 naming the parameter, never a 500."""
import pytest

pytestmark = [pytest.mark.django_db]

TOO_BIG = "99999999999999999999999"  # beyond 2**63 - 1


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/patents/?owners=" + TOO_BIG, "owners"),
        ("/api/v1/applications/?bank=" + TOO_BIG, "bank"),
        ("/api/v1/applications/?bank=" + str(10**30), "bank"),
        ("/api/v1/applications/?bank=1e400", "bank"),
        ("/api/v1/applications/?enterprise=" + TOO_BIG, "enterprise"),
        ("/api/v1/alerts/?application=" + TOO_BIG, "application"),
        ("/api/v1/alerts/?application=1e400", "application"),
    ],
)
def test_ids_beyond_any_database_id_are_400_naming_the_parameter(api, world, url, parameter):
    response = api(world.admin).get(url)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert parameter in error["details"]
    assert parameter in error["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/?created_after=9999-12-31T23:59:59Z",
        "/api/v1/applications/?created_before=9999-12-31T23:59:59Z",
        "/api/v1/applications/?created_after=0001-01-01T00:00:00Z",
        "/api/v1/applications/?created_after=9999-12-31T23:59:59-05:00",
        "/api/v1/applications/?created_before=0001-01-01T00:00:00%2B05:00",
        "/api/v1/alerts/?seen_since=9999-12-31",
    ],
)
def test_dates_at_the_ends_of_the_calendar_answer_honestly(api, world, url):
    response = api(world.admin).get(url)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["error"]["code"] == "invalid"


def test_the_largest_id_a_database_holds_is_still_a_question_with_an_empty_answer(api, world):
    response = api(world.admin).get(f"/api/v1/alerts/?application={2**63 - 1}")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


def test_a_moment_with_no_utc_datetime_is_400_naming_the_parameter(api, world):
    response = api(world.admin).get("/api/v1/applications/", {"created_after": "9999-12-31T23:59:59-05:00"})
    assert response.status_code == 400, response.content
    assert "created_after" in response.json()["error"]["details"]


def test_a_list_without_filter_parameters_builds_no_filterset_and_one_with_them_does(api, world, monkeypatch):
    from financing.filters import ApplicationFilter
    from tests.factories import ApplicationFactory

    ApplicationFactory(bank=world.bank, enterprise=world.enterprise)
    ApplicationFactory(bank=world.bank, enterprise=world.enterprise, state="submitted")
    built = []
    original = ApplicationFilter.__init__

    def counting(self, *args, **kwargs):
        built.append(kwargs.get("data"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(ApplicationFilter, "__init__", counting)
    client = api(world.officer)
    assert client.get("/api/v1/applications/?page=1&page_size=5&ordering=state").json()["count"] == 2
    assert built == [], "no filter asked for: no form to build and validate"
    assert client.get("/api/v1/applications/?state=submitted").json()["count"] == 1
    assert len(built) == 1
    assert client.get("/api/v1/applications/?state=nonsense").status_code == 400
