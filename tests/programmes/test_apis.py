"""Programmes, enrolments, repayments and claims through the API: who may, what is refused and why."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from documents.models import Document
from documents.services import document_generate
from programmes.models import Claim, Enrolment, Programme, Repayment
from tests.financing.states import fire
from tests.programmes.conftest import OTHER_REGION, pool_payload

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
CLAIMS = "/api/v1/claims/"


def _pool(api, office_user, **overrides) -> dict:
    payload = {key: value for key, value in pool_payload(**overrides).items() if value is not None}
    response = api(office_user).post(PROGRAMMES, payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_office_creates_a_pool_with_exact_decimal_shares(api, office_user):
    body = _pool(api, office_user)
    assert body["shares"] == {"pool": "0.5400", "bank": "0.2600", "insurer": "0.1600", "appraiser": "0.0400",
                              "guarantor": "0.0000"}
    assert (body["budget"], body["committed"], body["paid"], body["available"]) == (
        "10000000.00", "0.00", "0.00", "10000000.00")


@pytest.mark.parametrize("overrides, field", [
    ({"shares": {"pool": "0.54", "bank": "0.26"}}, "shares"),
    ({"cap_per_loan": None}, "cap_per_loan"),
    ({"kind": "interest_subsidy", "shares": None, "share": "0.5"}, "rate_cap"),
])
def test_bad_programmes_are_400(api, office_user, overrides, field):
    payload = {k: v for k, v in pool_payload(**overrides).items() if v is not None}
    response = api(office_user).post(PROGRAMMES, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["message"]
    assert not Programme.objects.exists()


def test_only_an_office_writes_and_only_for_its_region(api, world, office_user, other_office_user):
    assert api(world.officer).post(PROGRAMMES, pool_payload(), format="json").status_code == 403
    assert api(other_office_user).post(PROGRAMMES, pool_payload(), format="json").status_code == 403
    assert not Programme.objects.exists()


def test_banks_read_their_regions_programmes_others_do_not(api, world, office_user, other_office_user):
    pool = _pool(api, office_user)
    assert [p["id"] for p in api(world.officer).get(PROGRAMMES).json()["results"]] == [pool["id"]]
    assert api(world.other_officer).get(PROGRAMMES).json()["results"] == []
    assert api(other_office_user).get(PROGRAMMES).json()["results"] == []
    assert api(world.applicant).get(PROGRAMMES).json()["results"] == []


def _enrol(api, user, application, programme, amount="3000000.00"):
    return api(user).post(f"/api/v1/applications/{application.pk}/enrolments/",
                          {"programme": programme, "ip_secured_amount": amount}, format="json")


def test_the_lending_officer_enrols_and_the_budget_commits(api, world, office_user, loan):
    pool = _pool(api, office_user)
    response = _enrol(api, world.officer, loan, pool["id"], "2000000.00")
    assert response.status_code == 201, response.json()
    assert response.json()["exposure"] == "1000000.00"  # 2,000,000 × 54% = 1,080,000, capped at 1,000,000
    programme = api(office_user).get(f"{PROGRAMMES}{pool['id']}/").json()
    assert (programme["committed"], programme["available"]) == ("1000000.00", "9000000.00")


def test_an_ineligible_loan_is_refused_with_every_reason(api, world, office_user, loan):
    today = timezone.localdate()
    pool = _pool(api, office_user, budget="100.00", valid_from=(today - dt.timedelta(days=10)).isoformat())
    world.enterprise.region = OTHER_REGION
    world.enterprise.save()
    from registration.models import Filing
    Filing.objects.filter(application=loan).update(registered_on=today)  # after disbursement
    response = _enrol(api, world.officer, loan, pool["id"], "5000000.00")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "not_eligible"
    assert [r["code"] for r in error["details"]["reasons"]] == [
        "region", "outside_validity", "not_registered_before_disbursement", "ip_secured_amount_exceeds_loan",
        "budget_exhausted"]
    assert not Enrolment.objects.exists()
    missing = api(world.officer).post(f"/api/v1/applications/{loan.pk}/enrolments/", {"programme": pool["id"]},
                                      format="json")
    assert "ip_secured_amount_missing" in [r["code"] for r in missing.json()["error"]["details"]["reasons"]]


def test_enrolment_is_the_lending_officers(api, world, office_user, loan):
    pool = _pool(api, office_user)
    assert _enrol(api, world.approver, loan, pool["id"]).status_code == 403
    assert _enrol(api, world.other_officer, loan, pool["id"]).status_code == 404  # not its loan
    assert _enrol(api, office_user, loan, pool["id"]).status_code == 404
    assert not Enrolment.objects.exists()


def test_repayments_show_on_the_application(api, world, loan):
    url = f"/api/v1/applications/{loan.pk}/repayments/"
    paid_on = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    response = api(world.officer).post(url, {"paid_on": paid_on, "principal": "1000000.00", "interest": "35753.42"},
                                       format="json")
    assert response.status_code == 201, response.json()
    detail = api(world.officer).get(f"/api/v1/applications/{loan.pk}/").json()
    assert (detail["outstanding_principal"], detail["interest_paid"]) == ("2000000.00", "35753.42")
    too_much = api(world.officer).post(url, {"paid_on": paid_on, "principal": "2000000.01", "interest": "0"},
                                       format="json")
    assert too_much.status_code == 409
    assert api(world.applicant).post(url, {"paid_on": paid_on, "principal": "1", "interest": "0"},
                                     format="json").status_code == 403
    assert Repayment.objects.count() == 1


def test_a_defaulted_and_disposed_loan_is_claimed_split_and_approved(api, world, office_user, other_office_user, loan):
    pool = _pool(api, office_user)
    enrolment = _enrol(api, world.officer, loan, pool["id"]).json()
    paid_on = timezone.localdate() - dt.timedelta(days=40)
    Repayment.objects.create(application=loan, paid_on=paid_on, principal=D("1000000.00"), interest=D("21452.05"),
                             recorded_by=world.officer)
    fire(application=loan, name="declare_default", by=world.officer, payload={"reason": "Missed instalments"})
    fire(application=loan, name="dispose", by=world.officer, payload={"method": "auction", "proceeds": "1500000.00"})
    response = api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json")
    assert response.status_code == 201, response.json()
    claim = response.json()
    # Interest: 3,000,000 × 4.35% × 60/365 = 21,452.05 (paid), then 2,000,000 × 4.35% × 40/365 = 9,534.25 due.
    # Loss: 2,000,000 + 9,534.25 − 1,500,000 = 509,534.25; pool 54% = 275,148.50 (under the cap);
    # bank 26% = 132,478.905 → 132,478.91, insurer 16% = 81,525.48, appraiser 4% = 20,381.37;
    # they sum to 509,534.26, so the bank gives back a cent: 132,478.90.
    assert (claim["principal_unpaid"], claim["interest_due"], claim["proceeds"], claim["loss"]) == (
        "2000000.00", "9534.25", "1500000.00", "509534.25")
    assert claim["split"] == {"pool": "275148.50", "bank": "132478.90", "insurer": "81525.48",
                              "appraiser": "20381.37", "guarantor": "0.00"}
    assert claim["amount"] == "275148.50" and claim["status"] == "pending"
    # The dossier is a stage document like every other: generated, hashed, verifiable.
    dossier = Document.objects.get(pk=claim["dossier"])
    assert dossier.kind == "claim_dossier" and dossier.stage == "claim_made"
    dossier = document_generate(document_id=dossier.pk)
    assert dossier.status == "ready" and len(dossier.sha256) == 64
    assert api(office_user).get(f"/api/v1/documents/{dossier.pk}/").status_code == 200
    assert api(None).get(f"/api/v1/documents/verify/{dossier.sha256}/").status_code == 200
    # Only the programme's office decides; another office does not even see the claim.
    assert api(other_office_user).post(f"{CLAIMS}{claim['id']}/approve/", {}, format="json").status_code == 404
    assert api(world.officer).post(f"{CLAIMS}{claim['id']}/approve/", {}, format="json").status_code == 403
    approved = api(office_user).post(f"{CLAIMS}{claim['id']}/approve/", {"note": "In order"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    programme = api(office_user).get(f"{PROGRAMMES}{pool['id']}/").json()
    assert (programme["paid"], programme["committed"]) == ("275148.50", "0.00")
    assert api(office_user).post(f"{CLAIMS}{claim['id']}/reject/", {"note": "x"}, format="json").status_code == 409
    assert api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json").status_code == 409


def test_a_capped_claim(api, world, office_user, loan):
    pool = _pool(api, office_user, cap_per_loan="100000.00")
    enrolment = _enrol(api, world.officer, loan, pool["id"]).json()
    fire(application=loan, name="declare_default", by=world.officer, payload={"reason": "Missed instalments"})
    fire(application=loan, name="dispose", by=world.officer, payload={"method": "sale", "proceeds": "2800000.00"})
    claim = api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json").json()
    # 100 days at 4.35% on 3,000,000 = 35,753.42 due; loss 3,035,753.42 − 2,800,000 = 235,753.42.
    # Pool 54% = 127,306.85, capped at 100,000; bank 26% = 61,295.89, insurer 16% = 37,720.55, appraiser
    # 4% = 9,430.14. Rounded, the four shares came to 235,753.43, a cent over the loss; so the bank takes
    # the 27,306.85 over the cap less that cent: 61,295.89 + 27,306.85 − 0.01 = 88,602.73.
    assert claim["loss"] == "235753.42"
    assert claim["split"] == {"pool": "100000.00", "bank": "88602.73", "insurer": "37720.55",
                              "appraiser": "9430.14", "guarantor": "0.00"}
    assert sum(D(v) for v in claim["split"].values()) == D("235753.42")


def test_a_running_loan_cannot_claim_a_loss(api, world, office_user, loan):
    pool = _pool(api, office_user)
    enrolment = _enrol(api, world.officer, loan, pool["id"]).json()
    response = api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_in_default"
    assert not Claim.objects.exists()


def test_an_interest_subsidy_claim_from_interest_paid_up_to_the_rate_cap(api, world, office_user, loan):
    subsidy = _pool(api, office_user, kind="interest_subsidy", shares=None, cap_per_loan=None, share="0.5",
                    rate_cap="0.0300")
    enrolment = _enrol(api, world.officer, loan, subsidy["id"]).json()
    Repayment.objects.create(application=loan, paid_on=timezone.localdate(), principal=D("0"),
                             interest=D("43500.00"), recorded_by=world.officer)
    claim = api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json")
    assert claim.status_code == 201, claim.json()
    # 43,500 paid at 4.35%; at the 3% cap 30,000 counts; half: 15,000.
    assert claim.json()["amount"] == "15000.00" and claim.json()["basis"] == "43500.00"
    again = api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "nothing_to_claim"


def test_claims_are_seen_by_their_office_and_bank_only(api, world, office_user, other_office_user, loan):
    pool = _pool(api, office_user)
    enrolment = _enrol(api, world.officer, loan, pool["id"]).json()
    fire(application=loan, name="declare_default", by=world.officer, payload={"reason": "Missed instalments"})
    api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json")
    assert len(api(office_user).get(CLAIMS).json()["results"]) == 1
    assert len(api(world.officer).get(CLAIMS).json()["results"]) == 1
    assert api(other_office_user).get(CLAIMS).json()["results"] == []
    assert api(world.other_officer).get(CLAIMS).json()["results"] == []
    assert api(world.applicant).get(CLAIMS).json()["results"] == []


def test_claims_export_with_their_split(api, world, office_user, loan):
    import csv
    import io

    pool = _pool(api, office_user)
    enrolment = _enrol(api, world.officer, loan, pool["id"]).json()
    fire(application=loan, name="declare_default", by=world.officer, payload={"reason": "Missed instalments"})
    claim = api(world.officer).post(CLAIMS, {"enrolment": enrolment["id"]}, format="json").json()
    response = api(office_user).get(CLAIMS, {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(int(r["claim"]), r["amount"], r["split_pool"]) for r in rows] == [
        (claim["id"], claim["amount"], claim["split"]["pool"])]
    assert api(office_user).get(CLAIMS, {"format": "xlsx"}).status_code == 200
