"""The public register and the registrar's desk over HTTP."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from financing.models import State
from tests.financing.states import fire as fire_transition
from registration.models import Filing
from tests.factories import PatentFactory
from tests.registration.states import (
    clean_patent,
    filed_application,
    registered_application,
)

pytestmark = [pytest.mark.django_db]

REGISTER = "/api/v1/register/"
DESK = "/api/v1/registration/filings/"


def fire(application, name, user, payload=None):
    return fire_transition(application=application, name=name, by=user, payload=payload or {})


def spaced(number: str) -> str:
    """ZL202110921116.9 → "zl 2021 1 0921116.9", as a member of the public might type it."""
    return f"zl {number[2:6]} {number[6]} {number[7:]}"


# --- the public register --------------------------------------------------------------------


def test_public_register_answers_without_login_and_shows_the_gazette(api, world):
    patent = clean_patent([world.enterprise])
    application = registered_application(world, [patent, clean_patent([world.enterprise])])
    filing = application.filings.get()

    response = api().get(REGISTER, {"patent": spaced(patent.number)})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["patent"]["number"] == patent.number
    assert body["on_register"] is True and body["pledged"] is True
    [entry] = body["registrations"]
    assert entry["registration_number"] == filing.registration_number
    assert entry["status"] == "registered"
    assert entry["registered_on"] == timezone.localdate().isoformat()
    assert entry["pledgor"]["name"] == world.enterprise.name
    assert entry["pledgee"]["name"] == world.bank.name
    assert entry["patents"] == [fp.patent.number for fp in filing.filed_patents.order_by("id")]


def test_public_register_leaks_no_loan_terms(api, world):
    patent = clean_patent([world.enterprise])
    application = registered_application(world, [patent], amount="3210987.65", annual_rate="0.0435", term_months=18)
    fire(application, "record_change", world.registrar, {"changes": {"amount": "2109876.54", "pledgee_name": "New Bank"}})

    response = api().get(REGISTER, {"patent": patent.number})

    assert response.status_code == 200
    text = json.dumps(response.json())
    for secret in ("3210987", "2109876", "0.0435", "4.35", "annual_rate", "amount", "debt", "term", "rate",
                   application.terms.maturity_date.isoformat()):
        assert secret not in text, secret
    [entry] = response.json()["registrations"]
    # A renamed party is public; a new amount is published only as the date of a change.
    assert entry["pledgee"]["name"] == "New Bank"
    assert entry["changes"][0]["parties"] == {"pledgee_name": "New Bank"}


def test_a_stale_token_does_not_block_the_public_register(api, world):
    patent = clean_patent([world.enterprise])
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(REGISTER, {"patent": patent.number}).status_code == 200


def test_pending_and_refused_filings_are_not_on_the_public_register(api, world):
    patent = clean_patent([world.enterprise])
    filed_application(world, [patent])
    refused = filed_application(world, [clean_patent([world.enterprise])])
    fire(refused, "refuse_registration", world.registrar, {"grounds": ["CONTRACT_INCOMPLETE"]})
    for number in (patent.number, refused.pledged_patents.get().patent.number):
        body = api().get(REGISTER, {"patent": number}).json()
        assert body["on_register"] is True
        assert body["pledged"] is False and body["registrations"] == []


def test_cancelled_pledge_stays_on_the_register_as_cancelled(api, world):
    patent = clean_patent([world.enterprise])
    application = registered_application(world, [patent])
    today = timezone.localdate().isoformat()
    fire(application, "disburse", world.officer, {"disbursed_on": today})
    fire(application, "apply_cancellation", world.officer, {"ground": "debt_discharged", "repaid_on": today})
    fire(application, "release", world.registrar, {"effective_on": today})
    body = api().get(REGISTER, {"patent": patent.number}).json()
    assert body["pledged"] is False
    [entry] = body["registrations"]
    assert (entry["status"], entry["cancelled_on"]) == ("cancelled", today)


@pytest.mark.parametrize(
    "query,code",
    [
        ({"patent": "ZL202110921116.8"}, "check_digit_mismatch"),
        ({"patent": "ZL2021109211"}, "malformed_number"),
        ({"patent": "hello"}, "malformed_number"),
        ({}, "invalid"),
        ({"patent": "  "}, "invalid"),
    ],
)
def test_public_register_refuses_a_bad_number_with_400(api, query, code):
    response = api().get(REGISTER, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_check_digit_error_names_the_expected_digit(api):
    response = api().get(REGISTER, {"patent": "ZL202110921116.8"})
    assert "give 9" in response.json()["error"]["message"]


def test_a_valid_number_not_on_the_register(api):
    body = api().get(REGISTER, {"patent": "ZL 2021 1 0921116.9"}).json()
    assert body == {
        "patent": {"number": "ZL202110921116.9"}, "on_register": False, "pledged": False, "registrations": []
    }


def test_us_patent_found_with_or_without_its_kind_code(api, world):
    PatentFactory(
        owners=[world.enterprise], jurisdiction="US", number="US10123456B2", filing_date=dt.date(2016, 5, 2)
    )
    for typed in ("US10123456B2", "US 10,123,456", "us10123456"):
        body = api().get(REGISTER, {"patent": typed}).json()
        assert body["on_register"] is True, typed
        assert body["patent"]["number"] == "US10123456B2"


def test_public_register_query_count_does_not_grow(api, world, django_assert_max_num_queries):
    patent = clean_patent([world.enterprise])
    for _ in range(3):
        application = registered_application(world, [patent])
        today = timezone.localdate().isoformat()
        fire(application, "record_change", world.registrar, {"changes": {"pledgor_name": "X"}})
        fire(application, "disburse", world.officer, {"disbursed_on": today})
        fire(application, "apply_cancellation", world.officer, {"ground": "debt_discharged", "repaid_on": today})
        fire(application, "release", world.registrar, {"effective_on": today})
    with django_assert_max_num_queries(4):
        body = api().get(REGISTER, {"patent": patent.number}).json()
    assert len(body["registrations"]) == 3


# --- the transition endpoint: register refused over HTTP ----------------------------------------


def test_register_over_http_is_409_with_the_grounds(api, world):
    application = filed_application(world, [clean_patent([world.enterprise], ownership_frozen=True)])
    response = api(world.registrar).post(f"/api/v1/applications/{application.pk}/transitions/register/", {})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "registration_refused"
    assert [g["code"] for g in error["details"]["grounds"]] == ["OWNERSHIP_FROZEN"]


# --- the desk ------------------------------------------------------------------------------------


def test_desk_lists_filings_with_deadline_and_overdue_flag(api, world, django_assert_max_num_queries):
    late = filed_application(world).filings.get()
    Filing.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    on_time = filed_application(world).filings.get()
    registered_application(world)
    with django_assert_max_num_queries(10):
        response = api(world.registrar).get(DESK)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 3
    by_id = {row["id"]: row for row in rows}
    assert by_id[late.pk]["overdue"] is True
    assert by_id[on_time.pk]["overdue"] is False
    assert by_id[on_time.pk]["deadline"] == on_time.deadline.isoformat()
    assert rows[0]["id"] == late.pk  # soonest deadline first

    overdue = api(world.registrar).get(DESK, {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in overdue] == [late.pk]
    pending = api(world.registrar).get(DESK, {"status": "pending"}).json()["results"]
    assert {row["id"] for row in pending} == {late.pk, on_time.pk}


def test_desk_list_query_count_does_not_grow_with_filings(api, world, django_assert_max_num_queries):
    for _ in range(6):
        filed_application(world, [clean_patent([world.enterprise]), clean_patent([world.enterprise])])
    with django_assert_max_num_queries(10):
        assert len(api(world.registrar).get(DESK).json()["results"]) == 6


@pytest.mark.parametrize("query", [{"overdue": "maybe"}, {"status": "lost"}])
def test_desk_bad_filters_are_400(api, world, query):
    assert api(world.registrar).get(DESK, query).status_code == 400


@pytest.mark.parametrize("who", ["applicant", "officer", "approver", "appraiser"])
def test_desk_is_for_registrars(api, world, who):
    filing = filed_application(world).filings.get()
    client = api(getattr(world, who))
    assert client.get(DESK).status_code == 403
    assert client.get(f"{DESK}{filing.pk}/precheck/").status_code == 403


def test_desk_needs_a_login(api):
    assert api().get(DESK).status_code in (401, 403)


def test_precheck_shows_every_ground_before_deciding(api, world):
    patent = clean_patent([world.enterprise], ownership_frozen=True, annual_fee_paid_until=dt.date(2020, 1, 1))
    filing = filed_application(world, [patent]).filings.get()
    body = api(world.registrar).get(f"{DESK}{filing.pk}/precheck/").json()
    assert body["registrable"] is False
    # Unpaid since 2020, long past the grace period: the patent lapsed as from the due date as well.
    assert [(g["code"], g["patent"]) for g in body["grounds"]] == [
        ("PATENT_NOT_IN_FORCE", patent.number),
        ("ANNUAL_FEE_UNPAID", patent.number),
        ("OWNERSHIP_FROZEN", patent.number),
    ]
    assert body["grounds"][0]["evidence"]["lapsed_on"] == "2020-01-01"
    assert body["grounds"][1]["evidence"]["annual_fee_paid_until"] == "2020-01-01"
    assert body["at_decision"] is None


def test_precheck_of_a_clean_filing(api, world):
    filing = filed_application(world).filings.get()
    body = api(world.registrar).get(f"{DESK}{filing.pk}/precheck/").json()
    assert (body["registrable"], body["grounds"]) == (True, [])


def test_desk_detail_and_unknown_filing(api, world):
    application = registered_application(world)
    filing = application.filings.get()
    body = api(world.registrar).get(f"{DESK}{filing.pk}/").json()
    assert body["registration_number"] == filing.registration_number
    assert body["application_reference"] == application.reference
    assert body["patents"][0]["number"] == application.pledged_patents.get().patent.number
    assert api(world.registrar).get(f"{DESK}999999/").status_code == 404


# --- UCC-1 over HTTP ------------------------------------------------------------------------------


def test_ucc1_endpoint(api, world):
    us = PatentFactory(
        owners=[world.enterprise], jurisdiction="US", number="US9876543B1", filing_date=dt.date(2015, 3, 3)
    )
    filing = filed_application(world, [us]).filings.get()
    url = f"{DESK}{filing.pk}/ucc1/"
    payload = {"state": "DE", "file_number": "2026 0104567", "filed_on": "2026-01-04"}
    assert api(world.registrar).post(url, payload).status_code == 403
    assert api(world.other_officer).post(url, payload).status_code == 404
    bad = api(world.officer).post(url, {**payload, "state": "XX"})
    assert bad.status_code == 400 and bad.json()["error"]["message"].startswith("state")
    created = api(world.officer).post(url, payload)
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "DE"
    detail = api(world.registrar).get(f"{DESK}{filing.pk}/").json()
    assert detail["ucc_filings"][0]["file_number"] == "2026 0104567"
    assert detail["jurisdictions"] == ["US"]


def test_application_state_is_untouched_by_desk_reads(api, world):
    application = filed_application(world)
    api(world.registrar).get(f"{DESK}{application.filings.get().pk}/precheck/")
    application.refresh_from_db()
    assert application.state == State.REGISTRATION_FILED


@pytest.mark.parametrize("payload_change, field", [
    ({"filed_on": "0001-01-01"}, "filed_on"),
    ({"filed_on": "2999-01-01"}, "filed_on"),
    ({"filed_on": "1984-12-31"}, "filed_on"),
    ({"filing_date": "2026-01-04"}, "filing_date"),
])
def test_ucc1_implausible_input_is_refused_naming_the_field(api, world, payload_change, field):
    from tests.financing.states import database_fingerprint
    us = PatentFactory(
        owners=[world.enterprise], jurisdiction="US", number="US9876543B1", filing_date=dt.date(2015, 3, 3)
    )
    filing = filed_application(world, [us]).filings.get()
    before = database_fingerprint()
    payload = {"state": "DE", "file_number": "2026 0104567", **payload_change}
    response = api(world.officer).post(f"{DESK}{filing.pk}/ucc1/", payload, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["message"].startswith(f"{field}:")
    assert database_fingerprint() == before
