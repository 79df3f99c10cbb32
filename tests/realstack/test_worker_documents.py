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


def test_the_worker_outlives_a_redis_outage_while_it_holds_a_retry(client, world, application, through_the_broker,
                                                                   redis_outage, not_in_this_process):
    """A document waiting out its retry countdown sits, unacknowledged, in the worker when Redis goes.

    Celery 5.7.0 then died with "Unrecoverable error: AttributeError('NoneType' object has no attribute
    'hostname')" while closing the lost connection (it tried to hand the waiting message back to the
    Redis that had just gone), and never came back: every document after that stayed pending. The
    worker must reconnect by itself, and the document its lost message was for must still be made.
    """
    from celery import current_app

    from documents.tasks import document_generate

    financing.application_submit(application=application, by=world.applicant)
    document = wait_until(lambda: ready(Document.objects.get(application=application).pk), seconds=90,
                          what="the worker to make the application form")
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PENDING, sha256="", error="")
    # As a transient failure's retry does: the worker holds the message until its countdown ends.
    document_generate.apply_async(args=[document.pk], countdown=600)

    def holds_it():
        scheduled = current_app.control.inspect(timeout=2).scheduled() or {}
        return any(entry["request"]["args"] == [document.pk] for entries in scheduled.values() for entry in entries)

    wait_until(holds_it, seconds=30, what="the worker to hold the delayed message")

    with redis_outage():
        assert client.get("/healthz").status_code == 503
        time.sleep(2)  # the worker notices the lost connection while Redis is away

    wait_until(lambda: client.get("/healthz").status_code == 200, seconds=30, what="Redis to answer again")

    def answers():
        try:
            return current_app.control.ping(timeout=2)
        except current_app.connection_for_write().connection_errors:
            return None  # this process's own connection to the old Redis, dropped: the next try reconnects

    wait_until(answers, seconds=60, what="the worker to answer again after the outage")
    # Redis came back empty (the stack's Redis keeps nothing on disk): the requeue hands the document over again.
    assert documents.documents_requeue_pending(older_than=dt.timedelta(0)) >= 1
    made = wait_until(lambda: ready(document.pk), seconds=120, what="the worker to make the document after the outage")
    assert_stored_as_hashed(made)
