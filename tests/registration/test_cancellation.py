"""Cancellation applied for by the parties and released by the registrar, over the API, documents read back."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from documents.models import Document
from registration.models import CancellationRequest, Filing
from tests.documents.reading import pdf_text
from tests.financing.states import application_in, database_fingerprint
from tests.registration.states import post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.mark.parametrize(
    "payload,field,code",
    [
        ({"ground": "debt_discharged"}, "repaid_on", "repaid_on_required"),
        ({"ground": "other"}, "reason", "reason_required"),
        ({"ground": "other", "reason": "   "}, "reason", "reason_required"),
        ({"ground": "bored"}, "ground", "invalid"),
        ({}, "ground", "invalid"),
    ],
)
def test_a_ground_without_what_it_needs_is_400_and_changes_nothing(api, world, payload, field, code):
    application = application_in("disbursed", world)
    before = database_fingerprint()
    response = post(api, world.officer, application, "apply_cancellation", payload)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code and field in response.json()["error"]["details"]
    assert database_fingerprint() == before


def test_only_the_parties_apply_and_the_registrar_releases_only_what_was_applied_for(api, world):
    application = application_in("disbursed", world)
    response = post(api, world.registrar, application, "apply_cancellation", {"ground": "pledgee_waived"})
    assert response.status_code == 403
    today = timezone.localdate().isoformat()
    response = post(api, world.registrar, application, "release", {"effective_on": today})
    assert response.status_code == 409 and response.json()["error"]["code"] == "transition_not_allowed"


def test_a_waiver_from_registered_is_applied_for_then_released_with_both_documents(
    api, world, django_capture_on_commit_callbacks
):
    application = application_in("registered", world)
    numbers = [pp.patent.number for pp in application.pledged_patents.select_related("patent")]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.applicant, application, "apply_cancellation",
                        {"ground": "pledgee_waived", "evidence": "The bank's written waiver of 1 March"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "cancellation_applied"
    request = CancellationRequest.objects.get(filing__application=application)
    assert (request.ground, request.applied_by, request.repaid_on) == ("pledgee_waived", world.applicant, None)
    # Applied for, not yet cancelled: the pledge still stands on the register.
    register = api().get("/api/v1/register/", {"patent": numbers[0]}).json()
    assert register["pledged"] is True

    form = Document.objects.get(application=application, kind="cancellation_application")
    assert form.stage == "cancellation_applied" and form.status == "ready"
    text = pdf_text(form)
    for expected in ("质权人放弃质权", "The pledgee has waived the pledge", "written waiver", *numbers):
        assert expected in text, expected

    effective_on = timezone.localdate() - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "release", {"effective_on": effective_on.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "released"
    filing = Filing.objects.get(application=application)
    assert filing.status == "cancelled" and filing.cancelled_on == effective_on
    register = api().get("/api/v1/register/", {"patent": numbers[0]}).json()
    assert register["pledged"] is False
    notice = Document.objects.get(application=application, kind="cancellation_notice")
    assert notice.content["reason"] == "pledgee_waived"
    assert "The pledgee has waived the pledge" in pdf_text(notice)


def test_debt_discharged_records_the_repayment_and_release_refuses_a_future_day(api, world):
    application = application_in("disbursed", world)
    today = timezone.localdate()
    response = post(api, world.officer, application, "apply_cancellation",
                    {"ground": "debt_discharged", "repaid_on": today.isoformat()})
    assert response.status_code == 200, response.content
    application.terms.refresh_from_db()
    assert application.terms.repaid_on == today
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    response = post(api, world.registrar, application, "release", {"effective_on": tomorrow})
    assert response.status_code == 400
    assert post(api, world.registrar, application, "release", {"effective_on": today.isoformat()}).status_code == 200


def test_other_and_contract_void_are_grounds_the_parties_may_state(api, world):
    void = application_in("registered", world)
    assert post(api, world.officer, void, "apply_cancellation", {"ground": "contract_void"}).status_code == 200
    other = application_in("disbursed", world)
    response = post(api, world.applicant, other, "apply_cancellation",
                    {"ground": "other", "reason": "The enterprise was merged and the loan refinanced"})
    assert response.status_code == 200
    assert CancellationRequest.objects.get(filing__application=other).reason.startswith("The enterprise was merged")
