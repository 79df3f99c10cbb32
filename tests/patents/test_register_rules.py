"""Contradiction (4): the register's API and its CSV import judge a patent by the same rules, with the same words."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from patents.models import Patent
from tests.financing.states import database_fingerprint

pytestmark = pytest.mark.django_db

# A Chinese invention filed 2021-07-20: in force through 2041-07-19 before any term compensation.
NUMBER, FILED = "ZL202110921116.9", "2021-07-20"
HEADER = "number,title,filing_date,grant_date,same_day_twin,term_adjustment_days\n"


def api_post(api, user, **overrides):
    body = {"number": NUMBER, "title": "Lens", "filing_date": FILED, "grant_date": "2023-03-14", "owners": []}
    body.update(overrides)
    return api(user).post("/api/v1/patents/", body, format="json")


def import_row(tmp_path, row: str) -> str:
    path = tmp_path / "patents.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_patents", str(path), "--no-progress", stdout=out)
    return out.getvalue()


def test_a_cn_invention_with_a_same_day_twin_is_refused_by_both_alike(api, world, tmp_path):
    before = database_fingerprint()
    response = api_post(api, world.registrar, same_day_twin=True)
    assert response.status_code == 400, response.content
    (api_message,) = response.json()["error"]["details"]["same_day_twin"]
    assert database_fingerprint() == before

    output = import_row(tmp_path, f"{NUMBER},Lens,{FILED},2023-03-14,yes,0")
    assert "0 created" in output
    assert f"line 2: same_day_twin: {api_message}" in output
    assert not Patent.objects.exists()


def test_a_cn_inventions_term_compensation_is_accepted_by_both_and_counted(api, world, tmp_path):
    # Patent Law art. 42: 100 days of compensation run on from the day before the 20th anniversary.
    expected = (dt.date(2041, 7, 19) + dt.timedelta(days=100)).isoformat()
    response = api_post(api, world.registrar, term_adjustment_days=100)
    assert response.status_code == 201, response.content
    assert response.json()["expiry_date"] == expected
    Patent.objects.all().delete()

    output = import_row(tmp_path, f"{NUMBER},Lens,{FILED},2023-03-14,no,100")
    assert "1 created" in output, output
    assert Patent.objects.get().expiry_date.isoformat() == expected


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"filing_date": "0001-07-20"}, "filing_date"),
        ({"filing_date": "9999-07-20"}, "filing_date"),
        ({"grant_date": "9999-12-31"}, "grant_date"),
        ({"grant_date": "0001-01-01"}, "grant_date"),
        ({"term_adjustment_days": 10**9}, "term_adjustment_days"),
        ({"term_adjustment_days": 1827}, "term_adjustment_days"),  # more than art. 42's 5 years
        ({"number": "ZL202120921116.4", "term_adjustment_days": 10}, "term_adjustment_days"),  # a utility model
        ({"number": "USD912345S", "filing_date": "2020-01-01", "term_adjustment_days": 10}, "term_adjustment_days"),
        ({"number": "US10123456B2", "filing_date": "2016-05-02", "grant_date": "2018-11-13",
          "term_adjustment_days": 5001}, "term_adjustment_days"),
        ({"annual_fee_paid_until": "9999-12-31"}, "annual_fee_paid_until"),
        ({"kind": "design"}, "kind"),
        ({"jurisdiction": "US"}, "jurisdiction"),
    ],
)
def test_implausible_values_are_a_400_naming_the_field_and_write_nothing(api, world, overrides, field):
    before = database_fingerprint()
    response = api_post(api, world.registrar, **overrides)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["details"] and error["code"] == "invalid"
    assert database_fingerprint() == before


def test_every_broken_rule_is_named_at_once(api, world):
    response = api_post(api, world.registrar, filing_date="2020-07-20", grant_date="2019-01-01",
                        same_day_twin=True, term_adjustment_days=10**9)
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"filing_date", "grant_date", "same_day_twin",
                                                        "term_adjustment_days"}


def test_a_us_utility_patent_keeps_its_term_adjustment(api, world):
    response = api_post(api, world.registrar, number="US 10,123,456 B2", filing_date="2016-05-02",
                        grant_date="2018-11-13", term_adjustment_days=120)
    assert response.status_code == 201, response.content
    assert response.json()["expiry_date"] == "2036-08-30"  # 2036-05-02 + 120 days


def test_a_change_is_judged_with_the_values_it_keeps(api, world):
    assert api_post(api, world.registrar).status_code == 201
    url = f"/api/v1/patents/{NUMBER}/"
    response = api(world.registrar).patch(url, {"same_day_twin": True}, format="json")
    assert response.status_code == 400
    assert "same_day_twin" in response.json()["error"]["details"]
    response = api(world.registrar).patch(url, {"grant_date": "2021-01-01"}, format="json")
    assert response.status_code == 400 and "grant_date" in response.json()["error"]["details"]
    response = api(world.registrar).patch(url, {"term_adjustment_days": 30, "owners": [world.enterprise.pk]},
                                          format="json")
    assert response.status_code == 200, response.content
    assert response.json()["expiry_date"] == "2041-08-18"
    assert list(Patent.objects.get().owners.all()) == [world.enterprise]


@pytest.mark.parametrize("who", ["applicant", "officer", "appraiser"])
def test_only_registrars_and_admins_write_the_register(api, world, who):
    assert api_post(api, getattr(world, who)).status_code == 403
    assert api_post(api, world.admin).status_code == 201


def test_the_service_refuses_others_and_names_every_field(world):
    from core.errors import PermissionRefused, ValidationFailed
    from patents.services import patent_create, patent_update

    with pytest.raises(PermissionRefused):
        patent_create(by=world.applicant, number=NUMBER, title="Lens", filing_date=dt.date(2021, 7, 20))
    with pytest.raises(ValidationFailed) as refused:
        patent_create(by=world.registrar, number=NUMBER, title="", filing_date=dt.date(2022, 7, 20),
                      same_day_twin=True)
    assert set(refused.value.details) == {"title", "filing_date", "same_day_twin"}
    patent = patent_create(by=world.registrar, number="zl 2021 1 0921116.9", title="Lens",
                           filing_date=dt.date(2021, 7, 20), owners=[world.enterprise])
    assert (patent.number, patent.jurisdiction, patent.kind) == (NUMBER, "CN", "invention")
    with pytest.raises(ValidationFailed) as taken:
        patent_create(by=world.registrar, number=NUMBER, title="Lens", filing_date=dt.date(2021, 7, 20))
    assert "number" in taken.value.details
    patent = patent_update(patent=patent, by=world.registrar, title="Lens (granted)", grant_date=dt.date(2023, 3, 14))
    assert Patent.objects.get().title == "Lens (granted)"
