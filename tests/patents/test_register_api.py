"""Patent numbers are checked and normalised on every endpoint that takes one."""
from __future__ import annotations

import pytest

from patents.models import Patent
from tests.factories import PatentFactory
from tests.financing.states import database_fingerprint

pytestmark = pytest.mark.django_db


def new_patent(api, user, **overrides):
    body = {"number": "ZL 2021 1 0921116.9", "title": "Lens", "filing_date": "2021-07-20",
            "grant_date": "2023-03-14", "owners": []}
    body.update(overrides)
    return api(user).post("/api/v1/patents/", body, format="json")


def test_registrar_adds_a_patent_stored_normalised_with_kind_from_the_number(api, world):
    response = new_patent(api, world.registrar, owners=[world.enterprise.pk])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "ZL202110921116.9"
    assert (body["jurisdiction"], body["kind"]) == ("CN", "invention")
    assert body["expiry_date"] == "2041-07-19"
    # Any spelling finds it.
    assert api(world.applicant).get("/api/v1/patents/ZL%202021%201%200921116.9/").status_code == 200


@pytest.mark.parametrize(
    "number, code_word",
    [("ZL202110921116.8", "check digit"), ("ZL20211092111.9", ""), ("banana", "")],
)
def test_bad_numbers_are_400_naming_the_field_and_write_nothing(api, world, number, code_word):
    before = database_fingerprint()
    response = new_patent(api, world.registrar, number=number)
    assert response.status_code == 400
    error = response.json()["error"]
    assert "number" in error["details"] and error["message"].startswith("number:")
    assert code_word in error["message"]
    assert database_fingerprint() == before


def test_filing_year_must_match_the_number(api, world):
    response = new_patent(api, world.registrar, filing_date="2020-07-20")
    assert response.status_code == 400 and "filing_date" in response.json()["error"]["details"]


def test_applications_take_any_spelling_and_refuse_bad_check_digits(api, world):
    patent = PatentFactory(owners=[world.enterprise])
    spaced = f"{patent.number[:2]} {patent.number[2:6]} {patent.number[6]} {patent.number[7:]}"
    body = {"bank": world.bank.pk, "patents": [spaced], "amount_requested": "10.00", "term_months": 3}
    response = api(world.applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["patents"][0]["number"] == patent.number
    wrong = patent.number[:-1] + ("0" if patent.number[-1] != "0" else "1")
    before = database_fingerprint()
    response = api(world.applicant).post("/api/v1/applications/", {**body, "patents": [wrong]}, format="json")
    assert response.status_code == 400
    assert "patents" in response.json()["error"]["details"]
    assert database_fingerprint() == before


def test_malformed_number_in_the_url_is_400(api, world):
    response = api(world.applicant).get("/api/v1/patents/ZL123/")
    assert response.status_code == 400
    assert Patent.objects.count() == 0
