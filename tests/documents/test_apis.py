"""Documents over HTTP: detail and download for those who see the application, retry by bank staff, public verify."""
from __future__ import annotations

import hashlib
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document
from tests.documents.conftest import TO_CONTRACTED

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def submitted(application, walk):
    walk(application, "submit")
    return Document.objects.get(kind="application_form")


def test_detail_shows_status_hash_and_links_to_those_who_see_the_application(world, api, submitted):
    response = api(world.officer).get(f"/api/v1/documents/{submitted.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "application_form" and data["status"] == "ready" and data["stage"] == "submitted"
    assert data["sha256"] == submitted.sha256 and data["page_count"] == submitted.page_count
    assert data["title_zh"] == "专利权质押融资申请书"
    assert data["download_url"].endswith(f"/api/v1/documents/{submitted.pk}/download/")
    # The QR code opens the human page; the API still answers the same id.
    assert data["verify_url"].endswith(f"/verify/{submitted.public_id}/")
    assert "/api/" not in data["verify_url"]


@pytest.mark.parametrize("who", ["other_applicant", "other_officer", "registrar"])
def test_detail_and_download_are_404_for_those_who_do_not_see_the_application(world, api, submitted, who):
    client = api(getattr(world, who))
    for url in (f"/api/v1/documents/{submitted.pk}/", f"/api/v1/documents/{submitted.pk}/download/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_anonymous_callers_get_nothing_but_verify(api, submitted):
    assert api().get(f"/api/v1/documents/{submitted.pk}/download/").status_code in (401, 403)


def test_the_applicant_downloads_the_very_bytes_whose_hash_is_kept(world, api, submitted):
    response = api(world.applicant).get(f"/api/v1/documents/{submitted.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{submitted.application.reference}-application_form.pdf" in response["Content-Disposition"]
    content = body(response)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == submitted.sha256 == response["X-Content-SHA256"]


def test_a_document_not_ready_cannot_be_downloaded(world, api, submitted):
    Document.objects.filter(pk=submitted.pk).update(status=Document.Status.PENDING)
    response = api(world.applicant).get(f"/api/v1/documents/{submitted.pk}/download/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "document_not_ready"


def test_registrars_see_the_registration_papers_not_the_credit_ones(world, api, application, walk):
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration", "register")
    client = api(world.registrar)
    notice = Document.objects.get(kind="registration_notice")
    letter = Document.objects.get(kind="credit_approval_letter")
    assert client.get(f"/api/v1/documents/{notice.pk}/download/").status_code == 200
    assert client.get(f"/api/v1/documents/{letter.pk}/download/").status_code == 404


def test_verify_by_hash_is_public_and_says_which_document_without_loan_terms(api, world, application, walk):
    walk(application, *TO_CONTRACTED)
    contract = Document.objects.get(kind="loan_contract")
    downloaded = body(api(world.applicant).get(f"/api/v1/documents/{contract.pk}/download/"))
    digest = hashlib.sha256(downloaded).hexdigest()
    assert digest == contract.sha256

    response = api().get(f"/api/v1/documents/verify/{digest}/")
    assert response.status_code == 200
    data = response.json()
    assert data["verified"] is True and data["sha256"] == digest
    assert (data["kind"], data["stage"], data["application"]) == ("loan_contract", "contracted", application.reference)
    text = response.content.decode()
    assert "3000000" not in text and "0.0435" not in text and "annual_rate" not in text and "amount" not in text


def test_verify_of_an_unknown_hash_is_404(api, submitted):
    response = api().get(f"/api/v1/documents/verify/{'0' * 64}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api().get("/api/v1/documents/verify/not-a-hash/").status_code == 404


def test_the_qr_link_leads_to_the_verify_page_of_that_document(api, submitted):
    qr_url = submitted.content["meta"]["verify_url"]
    response = api().get(urlparse(qr_url).path)  # the human page, for a phone
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert submitted.sha256 in response.content.decode()
    api_response = api().get(f"/api/v1/documents/verify/{submitted.public_id}/")  # the same id, as JSON
    assert api_response.status_code == 200 and api_response.json()["sha256"] == submitted.sha256


def test_verify_by_uploading_the_file_in_hand(api, world, submitted):
    original = body(api(world.applicant).get(f"/api/v1/documents/{submitted.pk}/download/"))
    upload = SimpleUploadedFile("form.pdf", original, content_type="application/pdf")
    response = api().post("/api/v1/documents/verify/", {"file": upload}, format="multipart")
    assert response.status_code == 200 and response.json()["sha256"] == submitted.sha256
    tampered = SimpleUploadedFile("form.pdf", original[:-40] + b"%tampered" + original[-40:], content_type="application/pdf")
    assert api().post("/api/v1/documents/verify/", {"file": tampered}, format="multipart").status_code == 404
    missing = api().post("/api/v1/documents/verify/", {}, format="multipart")
    assert missing.status_code == 400 and missing.json()["error"]["details"] == {"file": ["required"]}


def test_retry_is_for_bank_staff_and_failed_documents(world, api, submitted, django_capture_on_commit_callbacks):
    url = f"/api/v1/documents/{submitted.pk}/retry/"
    assert api(world.officer).post(url).status_code == 409  # it is ready
    Document.objects.filter(pk=submitted.pk).update(status=Document.Status.FAILED, error="boom")
    refused = api(world.applicant).post(url)
    assert refused.status_code == 403
    assert Document.objects.get(pk=submitted.pk).status == Document.Status.FAILED, "a refused retry changes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.officer).post(url)
    assert response.status_code == 202
    again = Document.objects.get(pk=submitted.pk)
    assert again.status == Document.Status.READY and again.sha256 == submitted.sha256
