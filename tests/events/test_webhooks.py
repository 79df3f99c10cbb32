"""Webhooks: subscribing, signing, scoping, retrying with backoff, the delivery log and a manual redelivery."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine
from django.utils import timezone

from events import services
from events.models import APPLICATION_STATE_CHANGED, Delivery, Event, Webhook
from financing import services as financing
from tests.factories import BankFactory, EnterpriseFactory, PatentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` what the block queues for after its commit runs at its end, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

SECRET = "a-secret-of-the-banks-own-0123"


def subscribe(api, user, url, events=(APPLICATION_STATE_CHANGED,)):
    return api(user).post("/api/v1/webhooks/", {"url": url, "secret": SECRET, "events": list(events)}, format="json")


# --- subscribing ---------------------------------------------------------------------------


def test_a_bank_officer_subscribes_for_its_bank_and_never_reads_the_secret_back(world, api):
    response = subscribe(api, world.officer, "https://core.bank.example/hooks/pledgeflow")
    assert response.status_code == 201, response.content
    assert response.json()["bank"] == world.bank.pk and "secret" not in response.json()
    assert Webhook.objects.get().secret == SECRET
    listed = api(world.officer).get("/api/v1/webhooks/").json()
    assert [w["id"] for w in listed["results"]] == [response.json()["id"]]
    assert api(world.other_officer).get("/api/v1/webhooks/").json()["results"] == []
    assert api(world.other_officer).get(f"/api/v1/webhooks/{response.json()['id']}/deliveries/").status_code == 404


@pytest.mark.parametrize("role", ["applicant", "appraiser", "approver", "registrar"])
def test_only_a_bank_officer_may_subscribe(world, api, role):
    response = subscribe(api, getattr(world, role), "https://core.bank.example/hook")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_not_allowed"
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("url", [
    "ftp://core.bank.example/hook", "file:///etc/passwd", "javascript:alert(1)", "https://", "not a url",
    "http://localhost:8000/api/v1/", "http://127.0.0.1/hook", "http://[::1]:9000/", "http://testserver/hook",
    "https://pledge.bank.example/hook",
])
def test_a_url_outside_http_or_at_the_service_itself_is_refused(world, api, settings, url):
    settings.PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK = False
    settings.PLEDGEFLOW_PUBLIC_BASE_URL = "https://pledge.bank.example"
    response = subscribe(api, world.officer, url)
    assert response.status_code == 400, url
    body = response.json()["error"]
    assert body["code"] == "invalid" and "url" in body["details"]
    assert not Webhook.objects.exists()


def test_a_private_network_address_is_a_banks_system_and_allowed(world, api, settings):
    settings.PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK = False
    assert subscribe(api, world.officer, "http://10.20.30.40:8080/hook").status_code == 201


def test_unknown_event_types_and_short_secrets_are_refused(world, api):
    response = subscribe(api, world.officer, "https://core.bank.example/hook", events=["loan.eaten"])
    assert response.status_code == 400
    response = api(world.officer).post("/api/v1/webhooks/", {"url": "https://x.example/", "secret": "short",
                                                             "events": ["alert.raised"]}, format="json")
    assert response.status_code == 400 and "secret" in response.json()["error"]["details"]


# --- delivering ----------------------------------------------------------------------------


def test_a_transition_is_posted_signed_with_the_event_id_as_delivery_id(world, api, application, receiver, committed):
    subscribe(api, world.officer, receiver.url)
    with committed():
        response = api(world.applicant).post(f"/api/v1/applications/{application.pk}/transitions/submit/", {},
                                             format="json")
    assert response.status_code == 200
    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    headers = {k.lower(): v for k, v in got["headers"].items()}
    assert headers["x-pledgeflow-event"] == APPLICATION_STATE_CHANGED
    assert headers["x-pledgeflow-delivery"] == str(event.id)
    expected = "sha256=" + hmac.new(SECRET.encode(), got["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-pledgeflow-signature"], expected)
    assert got["json"]["id"] == str(event.id) and got["json"]["type"] == APPLICATION_STATE_CHANGED
    assert set(got["json"]) == {"id", "type", "occurred_at", "data"}
    assert got["json"]["data"]["to"] == "submitted"
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_status_code == 200


def test_a_subscriber_gets_only_its_own_banks_events(world, api, application, receiver, portfolio, committed):
    other_receiver_hits = []
    subscribe(api, world.other_officer, receiver.url)  # the other bank's hook, to the same receiver
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    assert receiver.received == [] and not Delivery.objects.exists()
    # The other bank's own application does reach it.
    patent = PatentFactory(owners=[world.enterprise])
    theirs = financing.application_create(by=world.applicant, bank=world.other_bank, patents=[patent.number],
                                          amount_requested="100000.00", currency="CNY", term_months=6)
    with committed():
        financing.application_submit(application=theirs, by=world.applicant)
    assert [r["json"]["data"]["application"]["id"] for r in receiver.received] == [theirs.pk]
    assert other_receiver_hits == []


def test_only_the_types_asked_for_are_posted(world, api, application, receiver, committed):
    subscribe(api, world.officer, receiver.url, events=["alert.raised"])
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    assert receiver.received == [] and not Delivery.objects.exists()


def test_the_retry_schedule_doubles_from_ten_seconds_to_an_hour():
    delays = [services.retry_delay(n).total_seconds() for n in range(1, 12)]
    assert delays == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]


def test_failures_are_retried_with_backoff_for_24_hours_with_the_same_delivery_id(world, api, application, receiver, committed):
    receiver.status = 503
    subscribe(api, world.officer, receiver.url)
    start = timezone.now()
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 503
    assert delivery.next_attempt_at - delivery.attempt_log.get().at == dt.timedelta(seconds=10)
    # Not due yet: a second copy of the task posts nothing.
    services.delivery_attempt(delivery_id=delivery.pk)
    assert len(receiver.received) == 1

    attempts = 1
    with time_machine.travel(start, tick=False) as clock:
        while True:
            delivery.refresh_from_db()
            if delivery.status != "pending":
                break
            clock.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))
            with committed():
                assert services.events_redeliver_due()["deliveries"] == 1
            attempts += 1
        elapsed = timezone.now() - start
    assert delivery.status == "failed" and delivery.attempts == attempts
    assert elapsed >= dt.timedelta(hours=24), "retried for at least 24 hours"
    assert elapsed <= dt.timedelta(hours=25, minutes=1)
    assert len({r["headers"]["X-Pledgeflow-Delivery"] for r in receiver.received}) == 1
    assert len({r["body"] for r in receiver.received}) == 1, "the same signed body every time"
    assert len(receiver.received) == attempts == delivery.attempt_log.count()


def test_an_event_refused_at_first_arrives_on_a_retry_and_the_log_shows_both(world, api, application, receiver, committed):
    receiver.status = 500
    webhook_id = subscribe(api, world.officer, receiver.url).json()["id"]
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    receiver.status = 204
    delivery = Delivery.objects.get()
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        with committed():
            services.events_redeliver_due()
    log = api(world.officer).get(f"/api/v1/webhooks/{webhook_id}/deliveries/").json()["results"]
    assert len(log) == 1
    assert log[0]["status"] == "delivered" and log[0]["attempts"] == 2
    assert [a["status_code"] for a in log[0]["attempt_log"]] == [500, 204]
    assert log[0]["event"] == receiver.received[0]["headers"]["X-Pledgeflow-Delivery"]
    assert receiver.received[0]["headers"]["X-Pledgeflow-Delivery"] == receiver.received[1]["headers"]["X-Pledgeflow-Delivery"]


def test_no_answer_is_a_failure_that_is_retried(world, api, application, receiver, committed):
    subscribe(api, world.officer, receiver.url)
    receiver.__exit__()  # nobody listens any more
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert "Error" in delivery.last_error or "refused" in delivery.last_error.lower()


def test_a_manual_redelivery_posts_again_with_the_same_id(world, api, application, receiver, committed):
    webhook_id = subscribe(api, world.officer, receiver.url).json()["id"]
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    delivery = Delivery.objects.get()
    url = f"/api/v1/webhooks/{webhook_id}/deliveries/{delivery.pk}/redeliver/"
    assert api(world.other_officer).post(url).status_code == 404
    with committed():
        response = api(world.officer).post(url)
    assert response.status_code == 202
    assert len(receiver.received) == 2
    assert receiver.received[0]["body"] == receiver.received[1]["body"]
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_dispatching_twice_makes_one_delivery(world, api, application, receiver, committed):
    subscribe(api, world.officer, receiver.url)
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    event = Event.objects.get(type=APPLICATION_STATE_CHANGED)
    with committed():
        services.event_dispatch(event_id=event.pk)
    Event.objects.filter(pk=event.pk).update(dispatched_at=None)
    with committed():
        services.event_dispatch(event_id=event.pk)
    assert Delivery.objects.count() == 1 and len(receiver.received) == 1


def test_the_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"id":"x"}'
    assert services.signature(secret="k", body=body) == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()


def test_the_readmes_signature_check_accepts_our_signature_and_nothing_else():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Events out"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)
    body = b'{"id":"1","type":"alert.raised"}'
    header = services.signature(secret=SECRET, body=body)
    assert namespace["verified"](SECRET, body, header)
    assert not namespace["verified"](SECRET, body + b" ", header)
    assert not namespace["verified"]("another-secret", body, header)


def test_a_stopped_webhook_gets_nothing_more_and_keeps_its_log(world, api, application, receiver, committed):
    webhook_id = subscribe(api, world.officer, receiver.url).json()["id"]
    assert api(world.other_officer).delete(f"/api/v1/webhooks/{webhook_id}/").status_code == 404
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    assert api(world.officer).delete(f"/api/v1/webhooks/{webhook_id}/").status_code == 204
    with committed():
        financing.application_withdraw(application=application, by=world.applicant)
    assert len(receiver.received) == 1
    assert Webhook.objects.get().active is False
    log = api(world.officer).get(f"/api/v1/webhooks/{webhook_id}/deliveries/").json()["results"]
    assert [d["status"] for d in log] == ["delivered"]


def test_the_sweep_leaves_the_deliveries_of_a_stopped_webhook_alone(world, api, application, receiver, committed):
    receiver.status = 500
    webhook_id = subscribe(api, world.officer, receiver.url).json()["id"]
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    api(world.officer).delete(f"/api/v1/webhooks/{webhook_id}/")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert services.events_redeliver_due()["deliveries"] == 0
    assert len(receiver.received) == 1


# --- a local IP office's subscriptions (its region's applications) -------------------------


def test_an_ip_office_subscribes_for_its_region_and_gets_only_its_regions_events(world, api, committed):
    office = world.ip_office.ip_office
    response = subscribe(api, world.ip_office, "https://ipo.example.gov/hooks")
    assert response.status_code == 201, response.content
    assert response.json()["ip_office"] == office.pk and response.json()["bank"] is None
    hook = Webhook.objects.get()
    assert api(world.officer).get("/api/v1/webhooks/").json()["results"] == []  # a bank does not see it

    inside = EnterpriseFactory(region=office.region)
    outside = EnterpriseFactory(region="110100")
    for enterprise in (inside, outside):
        applicant = UserFactory(role="applicant", enterprise=enterprise)
        application = financing.application_create(
            by=applicant, bank=world.bank, patents=[PatentFactory(owners=[enterprise]).number],
            amount_requested="1000000.00", currency="CNY", term_months=12, purpose="Region test",
        )
        with committed():
            financing.application_submit(application=application, by=applicant)
        event = Event.objects.filter(application=application, type=APPLICATION_STATE_CHANGED).get()
        got = Delivery.objects.filter(webhook=hook, event=event).exists()
        assert got is (enterprise == inside), enterprise.region


def test_an_office_user_without_an_office_cannot_subscribe(world, api):
    lost = UserFactory(role="ip_office")
    response = subscribe(api, lost, "https://ipo.example.gov/hooks")
    assert response.status_code == 403 and response.json()["error"]["code"] == "role_not_allowed"
