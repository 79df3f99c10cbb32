"""A correction instead of a refusal, over the API: the defects, the notice, the refiling and the restarted clock."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from documents.models import Document
from registration.models import Filing
from tests.documents.reading import pdf_text
from tests.financing.states import application_in, database_fingerprint
from tests.registration.states import post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DEFECTS = [
    {"item": "pledgee_address", "message": "Give the pledgee's registered address in full"},
    {"item": "patent list", "message": "The grant date of the second patent is wrong"},
]


@pytest.mark.parametrize("defects", [[], [{"item": "pledgee_address", "message": ""}], [{"item": "x"}], "none"])
def test_a_correction_names_each_defect_or_is_400(api, world, defects):
    application = application_in("registration_filed", world)
    before = database_fingerprint()
    response = post(api, world.registrar, application, "request_correction", {"defects": defects})
    assert response.status_code == 400, response.content
    assert "defects" in response.json()["error"]["details"]
    assert database_fingerprint() == before


def test_only_the_registrar_requests_a_correction(api, world):
    application = application_in("registration_filed", world)
    for user in (world.officer, world.applicant):
        response = post(api, user, application, "request_correction", {"defects": DEFECTS})
        assert response.status_code == 403


def test_correction_stops_the_clock_and_the_refiling_restarts_it_with_a_notice(
    api, world, time_machine, django_capture_on_commit_callbacks
):
    zone = ZoneInfo(settings.TIME_ZONE)
    time_machine.move_to(dt.datetime(2026, 9, 28, 10, 0, tzinfo=zone), tick=False)  # a Monday
    application = application_in("registration_filed", world)
    first = Filing.objects.get(application=application)
    assert first.deadline == dt.date(2026, 10, 5)

    time_machine.move_to(dt.datetime(2026, 9, 30, 10, 0, tzinfo=zone), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "request_correction",
                        {"defects": DEFECTS, "note": "Correct and file again"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "correction_requested" and body["deadline"] is None
    first.refresh_from_db()
    assert first.status == "correction_requested" and first.defects == DEFECTS
    # The desk shows nothing pending, so nothing can run overdue while the parties correct.
    desk = api(world.registrar).get("/api/v1/registration/filings/", {"status": "pending"}).json()
    assert desk["count"] == 0 if "count" in desk else desk == []

    notice = Document.objects.get(application=application, kind="correction_notice")
    assert notice.stage == "correction_requested" and notice.status == "ready" and len(notice.sha256) == 64
    text = pdf_text(notice)
    for expected in ("pledgee_address", "Give the pledgee's registered address in full", "patent list",
                     "需补正的事项", "Defects to correct", application.reference):
        assert expected in text, expected
    verified = api().get(f"/api/v1/documents/verify/{notice.sha256}/")
    assert verified.status_code == 200

    # Refiled two weeks later: a new filing whose five working days run from the refiling.
    time_machine.move_to(dt.datetime(2026, 10, 14, 10, 0, tzinfo=zone), tick=False)  # a Wednesday
    assert post(api, world.officer, application, "file_registration").json()["error"]["code"] == "filing_not_signed"
    assert post(api, world.applicant, application, "sign_filing").status_code == 200
    response = post(api, world.officer, application, "file_registration", {"acknowledged": []})
    assert response.status_code == 200, response.content
    second = Filing.objects.get(application=application, sequence=2)
    assert second.status == "pending" and second.deadline == dt.date(2026, 10, 21)
    assert response.json()["deadline"] == "2026-10-21"
    assert post(api, world.registrar, application, "register").json()["state"] == "registered"


def test_the_desk_and_the_application_show_the_defects_and_the_signed_particulars(api, world):
    application = application_in("registration_filed", world)
    filing = Filing.objects.get(application=application)
    assert post(api, world.registrar, application, "request_correction", {"defects": DEFECTS}).status_code == 200
    row = api(world.registrar).get(f"/api/v1/registration/filings/{filing.pk}/").json()
    assert row["status"] == "correction_requested" and row["defects"] == DEFECTS
    assert row["particulars_sha256"] == filing.particulars_sha256 and len(row["particulars_sha256"]) == 64
    assert row["pledgee_address"] == world.bank.address and row["patent_count"] == 2
    assert all(p["registered"] is False for p in row["patents"])
    detail = api(world.applicant).get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["registration"]["defects"] == DEFECTS and detail["registration"]["status"] == "correction_requested"
