"""Events out on the real stack: webhooks and e-mail sent by the worker through Redis, and none lost in outages."""
from __future__ import annotations

import datetime as dt
import email
import hashlib
import hmac
import os
import time
from urllib.parse import urlsplit

import pytest

from events import services as events
from events.models import APPLICATION_STATE_CHANGED, Delivery, EmailNotice, Event
from financing import services as financing
from tests.events.receivers import Receiver, free_port
from tests.realstack.conftest import wait_until

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]

SECRET = "real-stack-secret-0123456789"


@pytest.fixture
def application(world, portfolio):
    return financing.application_create(
        by=world.applicant, bank=world.bank, patents=[p.number for p in portfolio], amount_requested="3000000.00",
        currency="CNY", term_months=12, purpose="Real-stack events",
    )


def subscribe(api, world, url):
    response = api(world.officer).post("/api/v1/webhooks/", {"url": url, "secret": SECRET,
                                                             "events": [APPLICATION_STATE_CHANGED]}, format="json")
    assert response.status_code == 201, response.content


def delivered(receiver: Receiver, count: int = 1):
    return receiver.received if len(receiver.received) >= count else None


def assert_signed(got: dict, event: Event) -> None:
    assert got["headers"]["X-Pledgeflow-Event"] == APPLICATION_STATE_CHANGED
    assert got["headers"]["X-Pledgeflow-Delivery"] == str(event.id)
    expected = "sha256=" + hmac.new(SECRET.encode(), got["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(got["headers"]["X-Pledgeflow-Signature"], expected)
    assert got["json"]["id"] == str(event.id)


def test_the_worker_posts_a_signed_event_for_a_transition(world, api, application, through_the_broker):
    with Receiver() as receiver:
        subscribe(api, world, receiver.url)
        financing.application_submit(application=application, by=world.applicant)
        [got] = wait_until(lambda: delivered(receiver), seconds=60, what="the worker to post the event")
    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    assert_signed(got, event)
    wait_until(lambda: Delivery.objects.get().status == "delivered", seconds=30, what="the delivery to be logged")


def test_an_event_for_a_receiver_that_is_down_arrives_once_it_is_up_with_the_same_delivery_id(
    world, api, application, through_the_broker
):
    port = free_port()
    subscribe(api, world, f"http://127.0.0.1:{port}/hook")  # nobody listens there yet
    financing.application_submit(application=application, by=world.applicant)
    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    failed = wait_until(lambda: Delivery.objects.filter(attempts__gte=1, last_error__gt="").first(), seconds=60,
                        what="a first attempt to fail")
    assert failed.status == "pending" and failed.last_status_code is None
    with Receiver(port=port) as receiver:
        # The worker's own retry (a countdown of 10 s, then 20 s, ...) finds it up.
        [got] = wait_until(lambda: delivered(receiver), seconds=90, what="the retry to reach the receiver")
    assert_signed(got, event)
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts >= 2
    assert [a.status_code for a in delivery.attempt_log.all()][-1] == 200


def test_a_transition_during_a_redis_outage_answers_and_its_event_is_delivered_after(
    client, world, api, application, through_the_broker, redis_outage
):
    with Receiver() as receiver:
        subscribe(api, world, receiver.url)
        with redis_outage():
            assert client.get("/healthz").status_code == 503
            started = time.monotonic()
            response = api(world.applicant).post(f"/api/v1/applications/{application.pk}/transitions/submit/", {},
                                                 format="json")
            took = time.monotonic() - started
            assert response.status_code == 200, response.content
            # One publish waits out the broker's connection timeout (about 1 s); the others of the same
            # commit (the documents', the event's) do not wait again (core.queue).
            assert took < 1.5, f"the transition waited {took:.1f} s on the broker"
            event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
            assert event.dispatched_at is None  # written with the change, waiting for the broker
        wait_until(lambda: client.get("/healthz").status_code == 200, seconds=30, what="Redis to answer again")
        wait_until(worker_answers, seconds=60, what="the worker to answer again after the outage")
        # What beat runs every minute, run now for events undispatched any time at all.
        assert events.events_redeliver_due(grace=dt.timedelta(0))["events"] >= 1
        [got] = wait_until(lambda: delivered(receiver), seconds=90, what="the event after the outage")
    assert_signed(got, event)


def worker_answers():
    from celery import current_app

    try:
        return current_app.control.ping(timeout=2)
    except current_app.connection_for_write().connection_errors:
        return None  # this process's connection to the old Redis, dropped: the next try reconnects


@pytest.fixture
def smtp_server():
    """An SMTP server (aiosmtpd) where the stack's worker sends mail (scripts/stack.sh sets its EMAIL_URL)."""
    from aiosmtpd.controller import Controller

    # Read from the environment the worker got: in this process, pytest-django swaps the backend for locmem.
    where = urlsplit(os.environ.get("EMAIL_URL", ""))
    if where.scheme != "smtp" or where.hostname != "127.0.0.1" or not where.port:
        pytest.fail("the stack's EMAIL_URL should be smtp://127.0.0.1:PORT (scripts/stack.sh up sets it)")
    messages = []

    class Mailbox:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.original_content or envelope.content)
            messages.append((envelope.rcpt_tos, message))
            return "250 OK"

    controller = Controller(Mailbox(), hostname="127.0.0.1", port=where.port)
    controller.start()
    yield messages
    controller.stop()


def test_the_worker_emails_the_next_actor_and_the_applicant_through_smtp(world, application, through_the_broker,
                                                                         smtp_server):
    for user in (world.applicant, world.appraiser):
        user.email = f"{user.username}@example.test"
        user.save()
    financing.application_submit(application=application, by=world.applicant)
    wait_until(lambda: len(smtp_server) >= 2, seconds=60, what="two e-mails through SMTP")
    recipients = {tuple(rcpt) for rcpt, _ in smtp_server}
    assert recipients == {("appraiser@example.test",), ("applicant@example.test",)}
    assert set(EmailNotice.objects.values_list("status", flat=True)) == {"sent"}
