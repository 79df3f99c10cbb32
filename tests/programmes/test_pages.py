"""The office's home page, the bank's statistics and the loan forms on the application page, through Django's client."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from programmes.models import Claim, Enrolment, Programme, Repayment
from programmes.publicity import publicity_due
from tests.financing.states import application_in
from tests.programmes.conftest import REGION

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_office_creates_a_programme_and_sees_its_budget_and_statistics(office_user, loan):
    client = _client(office_user)
    today = timezone.localdate()
    response = client.post("/programmes/new/", {
        "kind": "risk_pool", "name": "Pool", "region": REGION, "valid_from": (today - dt.timedelta(days=200)).isoformat(),
        "valid_until": (today + dt.timedelta(days=200)).isoformat(), "budget": "5000000", "share_pool": "0.54",
        "share_bank": "0.26", "share_insurer": "0.16", "share_appraiser": "0.04", "cap_per_loan": "800000",
    })
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "data-programme" in page and 'data-stat="loans">1<' in page and 'data-chart="by_month"' in page
    bad = client.post("/programmes/new/", {"kind": "risk_pool", "name": "Bad", "region": REGION,
                                           "valid_from": "2026-01-01", "valid_until": "2026-12-31", "budget": "1",
                                           "share_pool": "0.5", "cap_per_loan": "1"})
    assert bad.status_code == 400 and "sum to 1" in bad.content.decode()
    assert Programme.objects.count() == 1


def test_bank_enrols_repays_claims_and_office_approves_on_the_pages(world, office_user, loan):
    from tests.financing.states import fire

    today = timezone.localdate()
    programme = Programme.objects.create(
        office=office_user.ip_office, kind="risk_pool", name="Pool", region=REGION,
        valid_from=today - dt.timedelta(days=365), valid_until=today + dt.timedelta(days=365), budget="5000000",
        share_pool="0.54", share_bank="0.46", cap_per_loan="800000", created_by=office_user)
    officer = _client(world.officer)
    page = officer.get(f"/applications/{loan.pk}/").content.decode()
    assert 'data-loan-form="enrol"' in page and "data-outstanding-principal" in page
    refused = officer.post(f"/applications/{loan.pk}/loan/enrol/", {"programme": programme.pk})
    assert refused.status_code == 409 and 'data-reason="ip_secured_amount_missing"' in refused.content.decode()
    assert officer.post(f"/applications/{loan.pk}/loan/enrol/",
                        {"programme": programme.pk, "ip_secured_amount": "3000000"}).status_code == 302
    assert officer.post(f"/applications/{loan.pk}/loan/repay/", {
        "paid_on": today.isoformat(), "principal": "500000", "interest": "1000"}).status_code == 302
    assert Repayment.objects.count() == 1
    fire(application=loan, name="declare_default", by=world.officer, payload={"reason": "Missed"})
    enrolment = Enrolment.objects.get()
    assert officer.post(f"/applications/{loan.pk}/loan/claim/", {"enrolment": enrolment.pk}).status_code == 302
    claim = Claim.objects.get()
    office = _client(office_user)
    assert f'data-claim="{claim.pk}" data-claim-status="pending"' in office.get("/").content.decode()
    assert office.post(f"/claims/{claim.pk}/approve/", {"note": "ok"}).status_code == 302
    assert f'data-claim="{claim.pk}" data-claim-status="approved"' in office.get("/").content.decode()


def test_bank_home_shows_its_statistics(world, loan):
    page = _client(world.officer).get("/").content.decode()
    assert "data-statistics" in page and 'data-export="xlsx"' in page


def test_the_applicant_is_reminded_to_publish_a_registered_pledge(world, office):
    registered = application_in("registered", world)
    due = publicity_due(registered)
    assert due is not None and (due - timezone.localdate()).days >= 26  # 20 working days: four weeks at least
    page = _client(world.applicant).get(f"/applications/{registered.pk}/").content.decode()
    assert f'data-publicity-due="{due.isoformat()}"' in page
    assert "data-publicity-due" in _client(world.applicant).get("/").content.decode()
