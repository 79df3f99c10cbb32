"""The registration path's forms on the application page: joint filing, correction, cancellation, in both languages."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from financing.models import PledgeApplication
from tests.financing.states import application_in

pytestmark = pytest.mark.django_db


def client_for(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def transition_forms(html: str) -> set[str]:
    return set(re.findall(r'data-transition="([a-z_]+)"', html))


def test_both_sides_sign_and_file_through_the_pages(world):
    application = application_in("contracted", world)
    officer, applicant = client_for(world.officer), client_for(world.applicant)
    assert {"sign_filing", "file_registration"} <= transition_forms(
        officer.get(f"/applications/{application.pk}/").content.decode())
    refused = applicant.post(f"/applications/{application.pk}/transitions/file_registration/", {})
    assert refused.status_code == 409 and "has not signed" in refused.content.decode()
    assert officer.post(f"/applications/{application.pk}/transitions/sign_filing/", {}).status_code == 302
    assert applicant.post(f"/applications/{application.pk}/transitions/file_registration/", {}).status_code == 302
    assert PledgeApplication.objects.get(pk=application.pk).state == "registration_filed"


def test_the_registrar_requests_a_correction_with_the_defects_as_json(world):
    application = application_in("registration_filed", world)
    registrar = client_for(world.registrar)
    html = registrar.get(f"/applications/{application.pk}/").content.decode()
    assert "request_correction" in transition_forms(html) and 'name="defects"' in html
    defects = [{"item": "pledgee_address", "message": "incomplete"}]
    response = registrar.post(f"/applications/{application.pk}/transitions/request_correction/",
                              {"defects": json.dumps(defects)})
    assert response.status_code == 302
    assert PledgeApplication.objects.get(pk=application.pk).state == "correction_requested"


def test_cancellation_is_applied_for_and_released_through_the_pages_in_chinese(world):
    application = application_in("disbursed", world)
    applicant = client_for(world.applicant, "zh-hans")
    html = applicant.get(f"/applications/{application.pk}/").content.decode()
    assert "apply_cancellation" in transition_forms(html) and "申请注销" in html
    assert '<select' in html and 'value="pledgee_waived"' in html
    response = applicant.post(f"/applications/{application.pk}/transitions/apply_cancellation/",
                              {"ground": "other"})
    assert response.status_code == 400 and 'data-error-for="reason"' in response.content.decode()
    response = applicant.post(f"/applications/{application.pk}/transitions/apply_cancellation/",
                              {"ground": "pledgee_waived", "evidence": "waiver letter"})
    assert response.status_code == 302
    registrar = client_for(world.registrar)
    html = registrar.get(f"/applications/{application.pk}/").content.decode()
    assert transition_forms(html) >= {"release"} and 'name="effective_on"' in html
    today = application.terms.signed_on.isoformat()
    assert registrar.post(f"/applications/{application.pk}/transitions/release/",
                          {"effective_on": today}).status_code == 302
    assert PledgeApplication.objects.get(pk=application.pk).state == "released"
