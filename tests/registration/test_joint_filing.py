"""Joint filing over the API: each side signs the particulars, a filing needs the other side's signature."""
from __future__ import annotations

import pytest

from financing.models import AuditEntry
from registration.models import Filing, FilingSignature
from tests.financing.states import application_in, database_fingerprint
from tests.registration.states import post

pytestmark = pytest.mark.django_db


def test_a_filing_by_one_side_alone_is_409_filing_not_signed_and_changes_nothing(api, world):
    application = application_in("contracted", world)
    before, audits = database_fingerprint(), application.audit_entries.count()
    response = post(api, world.officer, application, "file_registration", {"acknowledged": []})
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "filing_not_signed"
    assert error["details"]["missing_side"] == "pledgor" and error["details"]["lapsed"] is False
    assert database_fingerprint() == before
    entry = application.audit_entries.order_by("-id").first()
    assert application.audit_entries.count() == audits + 1
    assert (entry.transition, entry.outcome, entry.error_code) == ("file_registration", "refused", "filing_not_signed")


def test_the_other_sides_signature_lets_either_side_file_and_both_are_audited(api, world):
    application = application_in("contracted", world)
    response = post(api, world.applicant, application, "sign_filing", {"note": "read and agreed"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "contracted"
    assert "sign_filing" in response.json()["available_transitions"]
    signature = FilingSignature.objects.get(application=application)
    assert (signature.side, signature.signed_by, signature.filing) == ("pledgor", world.applicant, None)

    response = post(api, world.officer, application, "file_registration", {"acknowledged": []})
    assert response.status_code == 200, response.content
    filing = Filing.objects.get(application=application)
    # Filing is the bank's signature: both sides' signatures now belong to the filing, of the same particulars.
    signatures = list(filing.signatures.order_by("id").values_list("side", "signed_by", "particulars_sha256"))
    assert signatures == [
        ("pledgor", world.applicant.pk, filing.particulars_sha256),
        ("pledgee", world.officer.pk, filing.particulars_sha256),
    ]
    form = application.documents.get(kind="registration_application")
    signed = [(s["role_en"], s["name"]) for s in form.content["signatories"]]
    assert signed == [
        ("Pledgor (seal)", f"{world.enterprise.name} — {world.applicant.get_full_name() or world.applicant.username}"),
        ("Pledgee (seal)", f"{world.bank.name} — {world.officer.get_full_name() or world.officer.username}"),
    ]
    assert form.content["particulars_sha256"] == filing.particulars_sha256
    trail = list(AuditEntry.objects.filter(application=application, transition__in=["sign_filing", "file_registration"])
                 .values_list("transition", "actor", "outcome"))
    assert trail == [("sign_filing", world.applicant.pk, "succeeded"),
                     ("file_registration", world.officer.pk, "succeeded")]


def test_a_signature_lapses_when_the_particulars_it_signed_change(api, world):
    application = application_in("contracted", world)
    assert post(api, world.officer, application, "sign_filing").status_code == 200
    world.enterprise.address = "1 New Street, Hangzhou"
    world.enterprise.save()

    response = post(api, world.applicant, application, "file_registration", {"acknowledged": []})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "filing_not_signed"
    assert response.json()["error"]["details"]["lapsed"] is True

    assert post(api, world.officer, application, "sign_filing").status_code == 200
    response = post(api, world.applicant, application, "file_registration", {"acknowledged": []})
    assert response.status_code == 200, response.content
    assert Filing.objects.get(application=application).pledgor_address == "1 New Street, Hangzhou"


def test_refiling_after_a_refusal_needs_new_signatures(api, world):
    application = application_in("registration_refused", world)
    response = post(api, world.officer, application, "file_registration", {"acknowledged": []})
    assert response.status_code == 409 and response.json()["error"]["code"] == "filing_not_signed"
    assert post(api, world.applicant, application, "sign_filing").status_code == 200
    assert post(api, world.officer, application, "file_registration", {"acknowledged": []}).status_code == 200
    assert Filing.objects.filter(application=application).count() == 2


def test_only_the_parties_sign_and_only_before_filing(api, world):
    application = application_in("contracted", world)
    for user in (world.appraiser, world.approver):
        response = post(api, user, application, "sign_filing")
        assert response.status_code == 403 and response.json()["error"]["code"] == "role_not_allowed"
    registered = application_in("registered", world)
    response = post(api, world.applicant, registered, "sign_filing")
    assert response.status_code == 409 and response.json()["error"]["code"] == "transition_not_allowed"
    assert not FilingSignature.objects.filter(application=application).exists()
