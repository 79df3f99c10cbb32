"""The US path over the API: the cover sheet's pre-check, recordation with reel and frame, non-recordation."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from documents.models import Document
from registration.models import Filing
from tests.documents.reading import pdf_text
from tests.factories import PatentFactory
from tests.financing.states import database_fingerprint
from tests.registration.states import clean_patent, filed_application, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DESK = "/api/v1/registration/filings/"


def us_patent(world, number="US10123456B2", **fields):
    """A granted US utility patent in force, owned by the world's enterprise."""
    defaults = {"jurisdiction": "US", "kind": "invention", "filing_date": dt.date(2016, 5, 2),
                "grant_date": dt.date(2018, 11, 13), "annual_fee_paid_until": None}
    return PatentFactory(owners=[world.enterprise], number=number, **{**defaults, **fields})


def recordation(days_ago: int = 0) -> dict:
    return {"reel": 68123, "frame": 456, "recorded_on": (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()}


def test_the_precheck_of_a_us_filing_checks_the_cover_sheet_not_the_chinese_grounds(api, world):
    # Frozen and with an invalidation pending: Chinese grounds, which the USPTO does not examine.
    patent = us_patent(world, ownership_frozen=True, invalidation_pending=True)
    filing = filed_application(world, [patent]).filings.get()
    body = api(world.registrar).get(f"{DESK}{filing.pk}/precheck/").json()
    assert body["grounds"] == []


def test_a_cover_sheet_without_the_receiving_partys_address_is_not_recorded(api, world):
    world.bank.address = ""
    world.bank.save()
    application = filed_application(world, [us_patent(world)])
    filing = application.filings.get()
    body = api(world.registrar).get(f"{DESK}{filing.pk}/precheck/").json()
    assert [g["code"] for g in body["grounds"]] == ["COVER_SHEET_INCOMPLETE"]
    assert body["grounds"][0]["evidence"]["missing"] == ["receiving_party_address", "correspondence_address"]
    before = database_fingerprint()
    response = post(api, world.registrar, application, "register", recordation())
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "registration_refused" and "37 CFR 3.31" in error["message"]
    assert [g["code"] for g in error["details"]["grounds"]] == ["COVER_SHEET_INCOMPLETE"]
    assert database_fingerprint() == before


def test_an_application_is_not_a_property_the_office_can_identify(api, world):
    pending = us_patent(world, number="US11234567B2", grant_date=None)
    filing = filed_application(world, [pending]).filings.get()
    body = api(world.registrar).get(f"{DESK}{filing.pk}/precheck/").json()
    assert [(g["code"], g["patent"]) for g in body["grounds"]] == [("PROPERTY_NOT_IDENTIFIED", "US11234567B2")]


@pytest.mark.parametrize("missing", ["reel", "frame", "recorded_on"])
def test_registering_a_us_filing_needs_reel_frame_and_date(api, world, missing):
    application = filed_application(world, [us_patent(world)])
    before = database_fingerprint()
    payload = {k: v for k, v in recordation().items() if k != missing}
    response = post(api, world.registrar, application, "register", payload)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "recordation_required" and missing in error["details"]
    assert Filing.objects.get(application=application).status == "pending"
    assert database_fingerprint() == before


def test_a_chinese_filing_refuses_reel_and_frame(api, world):
    application = filed_application(world, [clean_patent([world.enterprise])])
    response = post(api, world.registrar, application, "register", recordation())
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "not_a_us_filing"
    assert set(response.json()["error"]["details"]) == {"reel", "frame", "recorded_on"}
    assert post(api, world.registrar, application, "register").status_code == 200


def test_a_recordation_date_before_execution_or_in_the_future_is_400(api, world):
    application = filed_application(world, [us_patent(world)], signed_on=timezone.localdate() - dt.timedelta(days=3))
    early = post(api, world.registrar, application, "register", recordation(days_ago=10))
    assert early.status_code == 400 and "executed" in early.json()["error"]["message"]
    late = post(api, world.registrar, application, "register", recordation(days_ago=-1))
    assert late.status_code == 400 and late.json()["error"]["message"].startswith("recorded_on")


def test_a_us_filing_is_recorded_with_reel_and_frame_on_the_register_and_the_notice(
    api, world, django_capture_on_commit_callbacks
):
    patent = us_patent(world)
    application = filed_application(world, [patent])
    recorded_on = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "register", recordation())
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "registered"
    filing = Filing.objects.get(application=application)
    assert (filing.reel, filing.frame, filing.recorded_on) == (68123, 456, recorded_on)

    entry = api().get("/api/v1/register/", {"patent": "US 10,123,456"}).json()["registrations"][0]
    assert (entry["office"], entry["reel"], entry["frame"], entry["recorded_on"]) == (
        "US", 68123, 456, recorded_on.isoformat()
    )
    desk = api(world.registrar).get(f"{DESK}{filing.pk}/").json()
    assert (desk["reel"], desk["frame"], desk["office"]) == (68123, 456, "US")

    kinds = set(Document.objects.filter(application=application, stage="registered").values_list("kind", flat=True))
    assert kinds == {"us_notice_of_recordation"}
    notice = Document.objects.get(application=application, kind="us_notice_of_recordation")
    assert notice.status == "ready" and notice.title_en == "Notice of Recordation"
    text = pdf_text(notice)
    for expected in ("Notice of Recordation", "068123/0456", patent.number, "Security Agreement",
                     recorded_on.isoformat()):
        assert expected in text, expected


def test_a_us_filing_is_refused_by_a_notice_of_non_recordation_with_its_own_codes(
    api, world, django_capture_on_commit_callbacks
):
    application = filed_application(world, [us_patent(world)])
    chinese = post(api, world.registrar, application, "refuse_registration", {"grounds": ["OWNERSHIP_FROZEN"]})
    assert chinese.status_code == 400 and chinese.json()["error"]["code"] == "ground_of_other_office"
    other = post(api, world.registrar, application, "refuse_registration", {"grounds": ["OTHER"]})
    assert other.status_code == 400 and other.json()["error"]["code"] == "reason_required"
    assert Filing.objects.get(application=application).status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "refuse_registration",
                        {"grounds": ["FEE_NOT_PAID", "OTHER"], "reason": "The agreement copy is illegible"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "registration_refused"
    filing = Filing.objects.get(application=application)
    assert [g["code"] for g in filing.grounds] == ["FEE_NOT_PAID", "OTHER"]
    assert filing.grounds[0]["title"] == "The recording fee has not been paid"
    kinds = set(Document.objects.filter(application=application, stage="registration_refused")
                .values_list("kind", flat=True))
    assert kinds == {"us_notice_of_non_recordation"}
    notice = Document.objects.get(application=application, kind="us_notice_of_non_recordation")
    text = pdf_text(notice)
    for expected in ("Notice of Non-Recordation", "FEE_NOT_PAID", "The recording fee has not been paid",
                     "illegible"):
        assert expected in text, expected


def test_a_chinese_filing_refuses_a_non_recordation_code(api, world):
    application = filed_application(world, [clean_patent([world.enterprise])])
    response = post(api, world.registrar, application, "refuse_registration", {"grounds": ["COVER_SHEET_INCOMPLETE"]})
    assert response.status_code == 400 and response.json()["error"]["code"] == "ground_of_other_office"


# --- one office per application, and a US application walked over the API --------------------------


def test_an_application_spanning_both_offices_is_refused_at_creation(api, world):
    cn, us = clean_patent([world.enterprise]), us_patent(world)
    body = {"bank": world.bank.pk, "patents": [cn.number, us.number], "amount_requested": "1000000.00",
            "currency": "CNY", "term_months": 12}
    before = database_fingerprint()
    response = api(world.applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "patents_span_offices" and "apply once per office" in error["message"]
    assert error["details"]["patents"] == {"CN": [cn.number], "US": [us.number]}
    assert database_fingerprint() == before

    draft = api(world.applicant).post("/api/v1/applications/", {**body, "patents": [us.number]}, format="json")
    assert draft.status_code == 201, draft.content
    edit = api(world.applicant).patch(f"/api/v1/applications/{draft.json()['id']}/",
                                      {"patents": [us.number, cn.number]}, format="json")
    assert edit.status_code == 400 and edit.json()["error"]["code"] == "patents_span_offices"


def test_a_us_application_walked_over_the_api_to_recorded(api, world, django_capture_on_commit_callbacks):
    from financing.lifecycle import TO_CONTRACT
    from tests.financing.payloads import transition_payloads

    patent = us_patent(world)
    body = {"bank": world.bank.pk, "patents": [patent.number], "amount_requested": "1000000.00",
            "currency": "USD", "term_months": 12, "purpose": "Working capital"}
    created = api(world.applicant).post("/api/v1/applications/", body, format="json")
    assert created.status_code == 201, created.content
    from financing.models import PledgeApplication

    application = PledgeApplication.objects.get(pk=created.json()["id"])
    payloads = transition_payloads([patent.number])
    steps = [*TO_CONTRACT, ("sign_filing", "officer"), ("file_registration", "applicant")]
    for name, who in steps:
        payload = payloads[name]
        if name == "recommend":  # one patent's value carries less than the demo portfolio's
            payload = {**payload, "amount": "1000000.00"}
        if name == "file_registration":
            payload = {**payload, "ucc1_state": "DE", "ucc1_file_number": "2026 0104567"}
        with django_capture_on_commit_callbacks(execute=True):
            response = post(api, getattr(world, who), application, name, payload)
        assert response.status_code == 200, (name, response.content)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "register", recordation())
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "registered"

    kinds = set(Document.objects.filter(application=application).values_list("kind", flat=True))
    assert {"us_recordation_cover_sheet", "us_notice_of_recordation"} <= kinds
    assert not {"registration_application", "registration_notice"} & kinds
    sheet = pdf_text(Document.objects.get(application=application, kind="us_recordation_cover_sheet"))
    assert "Security Agreement" in sheet and patent.number in sheet and "2026 0104567" in sheet
    entry = api().get("/api/v1/register/", {"patent": patent.number}).json()
    assert entry["pledged"] is True and entry["registrations"][0]["reel"] == 68123


def test_the_demo_register_holds_us_patents_pledged_apart_from_the_chinese_ones(api):
    from django.core.management import call_command

    from accounts.models import Bank
    from patents.models import Patent
    from patents.terms import us_maintenance_fee_dates

    call_command("seed_demo", verbosity=0)
    us = list(Patent.objects.filter(jurisdiction="US").order_by("number"))
    assert [p.number for p in us] == ["US11234567B2", "US11876543B2"]
    for patent in us:
        assert patent.annual_fee_paid_until in us_maintenance_fee_dates(patent.grant_date)
    from django.contrib.auth import get_user_model

    applicant = get_user_model().objects.get(username="applicant")
    bank = Bank.objects.order_by("id").first()
    body = {"bank": bank.pk, "patents": [p.number for p in us], "amount_requested": "800000.00",
            "currency": "USD", "term_months": 12}
    assert api(applicant).post("/api/v1/applications/", body, format="json").status_code == 201
    mixed = {**body, "patents": [us[0].number, "ZL202110921116.9"]}
    assert api(applicant).post("/api/v1/applications/", mixed, format="json").status_code == 400
