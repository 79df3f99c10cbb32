"""The Chinese registration path over the API, with its documents read back: the 2021 Measures' grounds."""
from __future__ import annotations

import pytest

from documents.models import Document
from tests.documents.conftest import TO_CONTRACTED
from tests.documents.reading import pdf_text
from tests.financing.states import database_fingerprint
from tests.registration.states import post

pytestmark = pytest.mark.django_db


def test_other_needs_the_registrars_reason_and_the_notice_cites_the_2021_measures(
    api, world, application, walk, django_capture_on_commit_callbacks
):
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration")
    before = database_fingerprint()
    response = post(api, world.registrar, application, "refuse_registration", {"grounds": ["OTHER"]})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "reason_required"
    assert "reason" in response.json()["error"]["details"]
    assert database_fingerprint() == before

    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "refuse_registration",
                        {"grounds": ["OTHER"], "reason": "The patent is subject to a state secrecy order"})
    assert response.status_code == 200, response.content
    filing = application.filings.get(status="refused")
    assert [(g["code"], g["source"]) for g in filing.grounds] == [("OTHER", "registrar")]
    assert filing.grounds[0]["evidence"] == {"reason": "The patent is subject to a state secrecy order"}
    text = pdf_text(Document.objects.get(kind="refusal_notice"))
    assert "OTHER" in text and "state secrecy order" in text
    assert "2021" in text and "专利权质押登记办法" in text and "2010" not in text


def test_a_register_conflict_message_cites_the_2021_measures(api, world, application, walk):
    from patents.models import Patent

    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration")
    Patent.objects.filter(pk=application.pledged_patents.first().patent_id).update(ownership_frozen=True)
    response = post(api, world.registrar, application, "register", {})
    assert response.status_code == 409
    assert "Measures for Patent Pledge Registration (CNIPA, 2021)" in response.json()["error"]["message"]


def test_a_party_without_an_address_leaves_the_contract_incomplete(api, world, application, walk):
    world.bank.address = ""
    world.bank.save()
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration")
    response = post(api, world.registrar, application, "register", {})
    assert response.status_code == 409
    grounds = response.json()["error"]["details"]["grounds"]
    assert [(g["code"], g["evidence"]["missing"]) for g in grounds] == [("CONTRACT_INCOMPLETE", ["pledgee_address"])]


def test_the_pledge_contract_and_filing_state_every_mandatory_item(world, application, walk):
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration")
    filing = application.filings.get()
    assert filing.patent_count == 2
    assert filing.security_scope == ["principal", "interest", "penalties", "enforcement_costs"]
    for kind in ("pledge_contract", "registration_application"):
        text = pdf_text(Document.objects.get(kind=kind))
        assert world.enterprise.address in text and world.bank.address in text
        assert "Number of patents" in text and "实现质权的费用" in text and "the costs of enforcing the pledge" in text
    # The joint filing: the form prints the hash of what both sides signed, and who signed for each.
    text = "".join(pdf_text(Document.objects.get(kind="registration_application")).split())
    assert filing.particulars_sha256 in text and "SHA-256oftheparticularsbothsidessigned" in text
    assert world.applicant.username in text and world.officer.username in text
