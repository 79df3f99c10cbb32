"""One portfolio application driven over HTTP alone, by the right people, down every path."""
from __future__ import annotations

import pytest

from financing.models import AuditEntry, PledgeApplication
from financing.lifecycle import DEMO_PATH, PATHS, TO_CONTRACT, TO_REVIEW
from tests.financing.payloads import transition_payloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive(api, world, portfolio):
    """drive(app_id, "submit", world.applicant) → fires over HTTP and returns the response."""
    payloads = transition_payloads([p.number for p in portfolio])

    def fire(application_id, name, user, payload=None):
        body = payloads[name] if payload is None else payload
        return api(user).post(f"/api/v1/applications/{application_id}/transitions/{name}/", body, format="json")

    return fire


def create_application(api, world, portfolio) -> int:
    response = api(world.applicant).post(
        "/api/v1/applications/",
        {
            "bank": world.bank.pk,
            "patents": [p.number for p in portfolio],
            "amount_requested": "5000000.00",
            "currency": "CNY",
            "term_months": 12,
            "purpose": "Expand the lens production line",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft"
    assert body["enterprise"] == world.enterprise.pk
    assert [p["number"] for p in body["patents"]] == [p.number for p in portfolio]
    assert body["available_transitions"] == ["submit", "withdraw"]
    return body["id"]




def walk(drive, world, app_id, steps):
    """Fire (transition, username) steps in order over HTTP; each must succeed."""
    body = None
    for name, username in steps:
        response = drive(app_id, name, getattr(world, username))
        assert response.status_code == 200, (name, response.content)
        body = response.json()
    return body


def test_portfolio_application_from_draft_to_released(api, world, portfolio, drive):
    app_id = create_application(api, world, portfolio)
    # The demo's path, but the enterprise files the registration.
    body = walk(drive, world, app_id, [*TO_CONTRACT, ("sign_filing", "officer"), ("file_registration", "applicant"),
                                       *DEMO_PATH[8:]])
    assert body["state"] == "released"
    assert body["registration"]["status"] == "cancelled"
    assert body["registration"]["registration_number"]
    assert body["terms"]["amount"] == "3000000.00"
    history = api(world.applicant).get(f"/api/v1/applications/{app_id}/history/").json()["results"]
    assert [e["transition"] for e in history][-4:] == ["disburse", "record_change", "apply_cancellation", "release"]
    assert all(e["outcome"] == "succeeded" for e in history)
    assert len(history) == len(DEMO_PATH)


def test_rejected_path(api, world, portfolio, drive):
    app_id = create_application(api, world, portfolio)
    body = walk(drive, world, app_id, [*TO_REVIEW,
        ("recommend", "officer"),
        ("send_back", "approver"),
        ("reject", "officer"),
    ])
    assert body["state"] == "rejected"
    assert body["rejection_reasons"] == ["Revenue forecast not credible"]
    assert body["available_transitions"] == []


def test_withdrawn_path(api, world, portfolio, drive):
    app_id = create_application(api, world, portfolio)
    body = walk(drive, world, app_id, [
        ("submit", "applicant"),
        ("return_to_applicant", "officer"),
        ("submit", "applicant"),
        ("complete_valuation", "appraiser"),
        ("withdraw", "applicant"),
    ])
    assert body["state"] == "withdrawn"


def test_registration_refused_then_refiled(api, world, portfolio, drive):
    app_id = create_application(api, world, portfolio)
    body = walk(drive, world, app_id, [*TO_CONTRACT,
        ("sign_filing", "applicant"),
        ("file_registration", "officer"),
        ("refuse_registration", "registrar"),
    ])
    assert body["state"] == "registration_refused"
    assert body["registration"]["status"] == "refused"
    body = walk(drive, world, app_id, [("sign_filing", "officer"), ("file_registration", "applicant"),
                                       ("register", "registrar")])
    assert body["state"] == "registered"
    assert body["registration"]["filings"] == 2


def test_defaulted_then_disposed(api, world, portfolio, drive):
    app_id = create_application(api, world, portfolio)
    body = walk(drive, world, app_id, [*TO_REVIEW, ("request_revaluation", "officer"), *PATHS["disposed"][1:]])
    assert body["state"] == "disposed"
    assert body["terms"]["disposal_method"] == "auction"
    assert body["terms"]["disposal_proceeds"] == "2800000.00"
    assert body["registration"]["status"] == "cancelled"
    assert PledgeApplication.objects.get(pk=app_id).state == "disposed"
    assert AuditEntry.objects.filter(application_id=app_id, outcome="refused").count() == 0


def test_submitting_produces_the_application_form_listed_on_the_application(
    api, world, portfolio, drive, django_capture_on_commit_callbacks
):
    app_id = create_application(api, world, portfolio)
    with django_capture_on_commit_callbacks(execute=True):
        assert drive(app_id, "submit", world.applicant).status_code == 200
    documents = api(world.applicant).get(f"/api/v1/applications/{app_id}/").json()["documents"]
    assert [(d["kind"], d["status"]) for d in documents] == [("application_form", "ready")]
    assert len(documents[0]["sha256"]) == 64
