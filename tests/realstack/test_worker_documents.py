"""Documents made by the real worker through Redis, and none lost while Redis was down."""
import datetime as dt
import hashlib
import time

import pytest

from documents import services as documents
from documents.models import Document
from financing import services as financing
from tests.realstack.conftest import wait_until

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application(world, portfolio):
    return financing.application_create(
        by=world.applicant, bank=world.bank, patents=[p.number for p in portfolio], amount_requested="3000000.00",
        currency="CNY", term_months=12, purpose="Real-stack test",
    )


@pytest.fixture
def not_in_this_process(monkeypatch):
    """Whatever document gets made, this process did not make it."""

    def refuse(**kwargs):
        raise AssertionError("a document was generated in the test process, not by the worker")

    monkeypatch.setattr(documents, "document_generate", refuse)


def ready(document_id: int):
    document = Document.objects.get(pk=document_id)
    assert document.status != Document.Status.FAILED, document.error
    return document if document.status == Document.Status.READY else None


def assert_stored_as_hashed(document: Document) -> None:
    with document.file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.page_count >= 1


def test_a_document_is_produced_by_the_worker_through_redis(world, application, through_the_broker,
                                                            not_in_this_process):
    financing.application_submit(application=application, by=world.applicant)

    document = Document.objects.get(application=application)  # created after commit, queued to Redis
    assert document.kind == "application_form"
    made = wait_until(lambda: ready(document.pk), seconds=90, what="the worker to produce the application form")
    assert made.attempts == 1
    assert_stored_as_hashed(made)


def test_a_change_made_while_redis_is_down_still_gets_its_documents(client, world, application, through_the_broker,
                                                                    redis_outage, not_in_this_process):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.applicant)
    with redis_outage():
        assert client.get("/healthz").status_code == 503
        # The transition is not held up by the broker: it commits in well under a second, and its
        # document waits, pending.
        started = time.monotonic()
        response = api.post(f"/api/v1/applications/{application.pk}/transitions/submit/", {}, format="json")
        took = time.monotonic() - started
        print(f"submit with Redis stopped: {response.status_code} in {took * 1000:.0f} ms")
        assert response.status_code == 200, response.content
        assert took < 1.0
        application.refresh_from_db()
        assert application.state == "submitted"
        document = Document.objects.get(application=application)
        assert document.status == Document.Status.PENDING

    wait_until(lambda: client.get("/healthz").status_code == 200, seconds=30, what="Redis to answer again")
    # What beat runs every few minutes, run now for documents pending any time at all.
    assert documents.documents_requeue_pending(older_than=dt.timedelta(0)) >= 1
    made = wait_until(lambda: ready(document.pk), seconds=120, what="the worker to make the document after the outage")
    assert_stored_as_hashed(made)
