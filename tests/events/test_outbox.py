"""The outbox: an event is a row of the very transaction that makes the change, and only then."""
from __future__ import annotations

import datetime as dt

import pytest

from core.errors import DomainError
from documents.models import Document
from events import services
from events.models import ALERT_RAISED, APPLICATION_CHANGED, APPLICATION_STATE_CHANGED, DOCUMENT_READY, Event
from financing import services as financing
from financing.models import AuditEntry
from tests.financing.states import application_in, fire, payloads_for

pytestmark = pytest.mark.django_db


def test_a_transition_writes_its_event_in_its_own_transaction_and_queues_it_only_on_commit(
    world, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        financing.application_submit(application=application, by=world.applicant)
    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    entry = AuditEntry.objects.get(application=application, outcome="succeeded")
    assert event.source == f"audit:{entry.pk}" and event.occurred_at == entry.at
    assert (event.bank_id, event.enterprise_id, event.application_id) == (world.bank.pk, world.enterprise.pk,
                                                                          application.pk)
    assert event.data["transition"] == "submit" and (event.data["from"], event.data["to"]) == ("draft", "submitted")
    assert event.data["application"]["url"].endswith(f"/applications/{application.pk}/")
    assert event.dispatched_at is None, "nothing is dispatched before the commit"
    assert len(callbacks) == 2  # the documents' queueing and the event's
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_a_refused_transition_writes_no_event(world, application):
    with pytest.raises(DomainError):
        financing.application_submit(application=application, by=world.officer)
    assert AuditEntry.objects.filter(outcome="refused").count() == 1
    assert not Event.objects.exists()


def test_a_transition_that_fails_after_its_event_leaves_no_event(world, application, monkeypatch):
    """The event is written, then the transaction fails: the event goes with it."""
    from financing import services as module

    def documents_fail(**kwargs):
        raise RuntimeError("the database went away after the event was written")

    real = module.event_for_transition

    def event_then_fail(**kwargs):
        real(**kwargs)
        assert Event.objects.count() == 1
        documents_fail()

    monkeypatch.setattr(module, "event_for_transition", event_then_fail)
    with pytest.raises(RuntimeError):
        financing.application_submit(application=application, by=world.applicant)
    assert not Event.objects.exists()
    application.refresh_from_db()
    assert application.state == "draft"


def test_a_same_state_transition_is_an_application_changed_event(world):
    application = application_in("registered", world)
    Event.objects.all().delete()
    fire(application=application, name="record_change", by=world.registrar, payload=payloads_for(application)["record_change"])
    event = Event.objects.get()
    assert event.type == APPLICATION_CHANGED
    assert (event.data["from"], event.data["to"], event.data["transition"]) == ("registered", "registered",
                                                                               "record_change")


def test_a_document_that_becomes_ready_is_an_event_once(world, application, walk):
    walk(application, "submit")
    document = Document.objects.get(application=application)
    assert document.status == Document.Status.READY
    event = Event.objects.get(type=DOCUMENT_READY)
    assert event.data["document"] == {
        "id": document.pk, "kind": "application_form", "stage": document.stage, "sha256": document.sha256,
        "download": f"http://localhost:8000/api/v1/documents/{document.pk}/download/",
    }
    from documents.services import document_generate

    document_generate(document_id=document.pk)  # again: a ready document is left alone
    assert Event.objects.filter(type=DOCUMENT_READY).count() == 1


def test_each_alert_raised_is_an_event_once(world):
    from monitoring.services import monitor_pledges_run

    application = application_in("registered", world)
    patent = application.pledged_patents.first().patent
    patent.ownership_frozen = True
    patent.save()
    today = dt.date.today()
    monitor_pledges_run(today=today)
    events = Event.objects.filter(type=ALERT_RAISED)
    assert events.count() >= 1
    alert_ids = {e.data["alert"]["id"] for e in events}
    assert {"ownership_frozen"} <= {e.data["alert"]["kind"] for e in events}
    monitor_pledges_run(today=today)
    assert {e.data["alert"]["id"] for e in Event.objects.filter(type=ALERT_RAISED)} == alert_ids
    assert all(e.bank_id == world.bank.pk for e in events)


def test_an_event_lost_with_the_broker_is_dispatched_by_the_sweep(world, application, monkeypatch):
    monkeypatch.setattr(services, "_enqueue_dispatch", lambda ids: None)  # the broker was down at the commit
    financing.application_submit(application=application, by=world.applicant)
    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    assert event.dispatched_at is None
    monkeypatch.undo()
    assert services.events_redeliver_due(grace=dt.timedelta(0))["events"] >= 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
