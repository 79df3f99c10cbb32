"""End to end on the embedded default: real commits, tasks in-process, a real HTTP receiver and a real SMTP server."""
from __future__ import annotations

import email
import hashlib
import hmac
import socket

import pytest
from aiosmtpd.controller import Controller

from events.models import APPLICATION_STATE_CHANGED, Delivery, Event
from financing import services as financing

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "integration-secret-0123456789"


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


def body_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_a_transition_reaches_the_banks_receiver_signed_and_the_people_by_smtp(world, api, application, receiver,
                                                                               smtp_server):
    for user in (world.applicant, world.appraiser, world.officer):
        user.email = f"{user.username}@example.test"
        user.save()
    response = api(world.officer).post("/api/v1/webhooks/", {"url": receiver.url, "secret": SECRET,
                                                             "events": [APPLICATION_STATE_CHANGED]}, format="json")
    assert response.status_code == 201

    response = api(world.applicant).post(f"/api/v1/applications/{application.pk}/transitions/submit/", {},
                                         format="json")
    assert response.status_code == 200

    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    [got] = receiver.received
    assert got["headers"]["X-Pledgeflow-Delivery"] == str(event.id)
    assert got["headers"]["X-Pledgeflow-Signature"] == (
        "sha256=" + hmac.new(SECRET.encode(), got["body"], hashlib.sha256).hexdigest())
    assert Delivery.objects.get().status == "delivered"

    by_recipient = {m["X-Envelope-To"]: m for m in smtp_server.messages}
    assert set(by_recipient) == {"appraiser@example.test", "applicant@example.test"}
    awaits = by_recipient["appraiser@example.test"]
    text = body_of(awaits)
    assert "awaits your action" in text and "等待您处理" in text
    assert f"http://localhost:8000/applications/{application.pk}/" in text
    assert "is now" in str(email.header.make_header(email.header.decode_header(
        by_recipient["applicant@example.test"]["Subject"])))


def test_a_receiver_that_was_down_gets_the_event_later_with_the_same_delivery_id(world, api, application, receiver):
    import datetime as dt

    import time_machine

    from events import services

    api(world.officer).post("/api/v1/webhooks/", {"url": receiver.url, "secret": SECRET,
                                                  "events": [APPLICATION_STATE_CHANGED]}, format="json")
    receiver.status = 502  # the bank's gateway answers, its system behind it does not
    financing.application_submit(application=application, by=world.applicant)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    receiver.status = 200
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        services.events_redeliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    ids = [r["headers"]["X-Pledgeflow-Delivery"] for r in receiver.received]
    assert ids == [str(delivery.event_id)] * 2
