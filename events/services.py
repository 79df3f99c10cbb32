"""Writes of the events app: record events in the change's own transaction, then deliver them after commit.

The outbox: `event_for_transition`, `event_for_document_ready` and `events_for_alerts_raised` are called
inside the transaction that makes the change and write an Event row there; the dispatch task is
queued only on commit. `event_dispatch` fans an event out into webhook deliveries and e-mail notices
(rows, made once); `delivery_attempt` and `email_notice_send` do the I/O outside any transaction.
`events_redeliver_due` (beat, every minute) hands over whatever a lost task or a broker outage left
behind, so nothing is lost and every step is safe to run twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.roles import BANK_OFFICER, IP_OFFICE, role_of
from core.errors import PermissionRefused, ValidationFailed
from core.queue import publish
from events import selectors
from events.models import (
    ALERT_RAISED, APPLICATION_CHANGED, APPLICATION_STATE_CHANGED, DOCUMENT_READY, EVENT_TYPES, Delivery,
    DeliveryAttempt, EmailNotice, EmailPreference, Event, Webhook,
)

logger = logging.getLogger(__name__)

DELIVERY_TIMEOUT_SECONDS = 5
# Failures are retried for at least this long (WORKFLOW.md: at least 24 hours).
RETRY_PERIOD = dt.timedelta(hours=24)
FIRST_RETRY_SECONDS = 10
LONGEST_RETRY_SECONDS = 3600
# While one attempt runs, nobody else starts one: longer than the POST's timeout.
ATTEMPT_LEASE = dt.timedelta(seconds=60)
EMAIL_MAX_ATTEMPTS = 8
USER_AGENT = "pledgeflow-webhooks/1"


# --- pure helpers ----------------------------------------------------------------------------


def retry_delay(failed_attempts: int) -> dt.timedelta:
    """How long after the n-th failed attempt the next one is due: 10 s, 20 s, 40 s, ... at most an hour."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(failed_attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, LONGEST_RETRY_SECONDS))


def signature(*, secret: str, body: bytes) -> str:
    """The X-Pledgeflow-Signature header: HMAC-SHA256 of the raw body, keyed by the webhook's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_body(event: Event) -> bytes:
    """The JSON posted for an event: the same bytes on every attempt."""
    payload = {"id": str(event.id), "type": event.type, "occurred_at": event.occurred_at.isoformat(), "data": event.data}
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def application_url(application_id: int) -> str:
    return f"{settings.PLEDGEFLOW_PUBLIC_BASE_URL.rstrip('/')}/applications/{application_id}/"


# --- the outbox: rows written inside the change's own transaction ----------------------------


def _application_data(application) -> dict:
    return {
        "id": application.pk,
        "reference": application.reference,
        "state": application.state,
        "bank": application.bank_id,
        "enterprise": application.enterprise_id,
        "url": application_url(application.pk),
    }


def _enqueue_dispatch(event_ids: list, *, insist: bool = False, soon: bool = False) -> None:
    """Hand events to the queue; a broker that is away is only logged (events_redeliver_due picks them up).
    `soon`: by the process's publishing thread, after a request's commit (core.queue.publish_soon)."""
    from events.tasks import event_dispatch

    for event_id in event_ids:
        publish(event_dispatch, (str(event_id),), what=f"event {event_id}", insist=insist, soon=soon)


def _record(*, type: str, source: str, application, data: dict, occurred_at=None) -> Event:
    """One INSERT in the caller's transaction; a source already written (a task run twice) is left as it is."""
    event = Event(
        type=type, source=source, application=application, bank_id=application.bank_id,
        enterprise_id=application.enterprise_id, data=data, occurred_at=occurred_at or timezone.now(),
    )
    # ON CONFLICT DO NOTHING: never an IntegrityError that would fail the change itself. Should the
    # source exist, dispatching this id finds no row and does nothing.
    Event.objects.bulk_create([event], ignore_conflicts=True)
    transaction.on_commit(lambda: _enqueue_dispatch([event.pk], soon=True))
    return event


def event_for_transition(*, application, audit_entry) -> Event:
    """`application.state_changed` (or `application.changed` when the state stays) for a successful transition."""
    changed = audit_entry.source_state != audit_entry.target_state
    return _record(
        type=APPLICATION_STATE_CHANGED if changed else APPLICATION_CHANGED,
        source=f"audit:{audit_entry.pk}",
        application=application,
        occurred_at=audit_entry.at,
        data={
            "application": _application_data(application),
            "transition": audit_entry.transition,
            "from": audit_entry.source_state,
            "to": audit_entry.target_state,
            "actor_role": audit_entry.actor_role,
            "audit_entry": audit_entry.pk,
        },
    )


def event_for_document_ready(*, document) -> Event:
    application = document.application
    return _record(
        type=DOCUMENT_READY,
        source=f"document:{document.pk}",
        application=application,
        occurred_at=document.generated_at,
        data={
            "application": _application_data(application),
            "document": {
                "id": document.pk, "kind": document.kind, "stage": document.stage, "sha256": document.sha256,
                "download": f"{settings.PLEDGEFLOW_PUBLIC_BASE_URL.rstrip('/')}/api/v1/documents/{document.pk}/download/",
            },
        },
    )


def events_for_alerts_raised(*, alerts) -> list[Event]:
    """One `alert.raised` per newly opened alert (alerts with their application loaded), in two queries however many."""
    alerts = list(alerts)
    sources = {f"alert:{alert.pk}": alert for alert in alerts}
    written = set(Event.objects.filter(source__in=list(sources)).values_list("source", flat=True))
    now = timezone.now()
    events = [
        Event(
            type=ALERT_RAISED, source=source, application=alert.application, bank_id=alert.application.bank_id,
            enterprise_id=alert.application.enterprise_id, occurred_at=now,
            data={
                "application": _application_data(alert.application),
                "alert": {
                    "id": alert.pk, "kind": alert.kind, "severity": alert.severity, "patent": alert.patent_id,
                    "message": alert.message, "first_seen": alert.first_seen.isoformat(),
                },
            },
        )
        for source, alert in sources.items() if source not in written
    ]
    # ignore_conflicts: should two sweeps overlap, the unique source keeps one event per alert.
    Event.objects.bulk_create(events, batch_size=500, ignore_conflicts=True)
    if events:
        ids = [event.pk for event in events]
        transaction.on_commit(lambda: _enqueue_dispatch(ids))
    return events


# --- webhooks ------------------------------------------------------------------------------


def _own_hosts() -> set[str]:
    hosts = {h.lstrip(".").lower().strip("[]") for h in settings.ALLOWED_HOSTS if h not in ("*", "")}
    public = urlsplit(settings.PLEDGEFLOW_PUBLIC_BASE_URL).hostname
    if public:
        hosts.add(public.lower())
    return hosts


def _is_loopback(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return host in ("localhost",)
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback or ip.is_unspecified or ip.is_link_local:
            return True
    return False


def webhook_url_refusal(url: str) -> str | None:
    """Why `url` may not receive webhooks, or None: not http(s), or this service itself.

    This service is its own host names (ALLOWED_HOSTS, the public base URL) and, unless
    PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK (tests, a developer's receiver), any loopback address.
    A bank's own systems on private networks are what webhooks are for, so those are allowed.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the URL must be http:// or https:// with a host"
    host = parts.hostname.lower()
    if settings.PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK:
        return None
    if host in _own_hosts() or _is_loopback(host):
        return "the URL points at this service itself"
    return None


def _check_webhook(*, url: str, secret: str, events: list[str]) -> None:
    problems = {}
    refusal = webhook_url_refusal(url)
    if refusal:
        problems["url"] = [refusal]
    if len(secret or "") < 16:
        problems["secret"] = ["at least 16 characters"]
    unknown = [e for e in events if e not in EVENT_TYPES]
    if not events or unknown:
        problems["events"] = [f"one or more of {', '.join(EVENT_TYPES)}" + (f"; unknown: {', '.join(unknown)}" if unknown else "")]
    if problems:
        raise ValidationFailed.from_details(problems)


def webhook_create(*, by, url: str, secret: str, events: list[str]) -> Webhook:
    role = role_of(by)
    if role == BANK_OFFICER and getattr(by, "bank_id", None):
        subscriber = {"bank_id": by.bank_id}
    elif role == IP_OFFICE and getattr(by, "ip_office_id", None):
        subscriber = {"ip_office_id": by.ip_office_id}
    else:
        raise PermissionRefused(
            "only a bank's officer (for its bank) or a local IP office (for its region) may subscribe webhooks",
            code="role_not_allowed", details={"allowed_roles": list(selectors.WEBHOOK_ROLES)},
        )
    _check_webhook(url=url, secret=secret, events=events)
    return Webhook.objects.create(**subscriber, url=url, secret=secret, events=list(dict.fromkeys(events)),
                                  created_by=by)


def webhook_deactivate(*, webhook: Webhook, by) -> Webhook:
    """Stop a subscription: no new deliveries, pending ones are not attempted; its delivery log stays."""
    selectors.webhook_get_visible(user=by, pk=webhook.pk)
    webhook.active = False
    webhook.save(update_fields=["active"])
    return webhook


def _enqueue_deliveries(delivery_ids: list[int], *, insist: bool = False) -> None:
    """Hand deliveries to the queue; those not handed over are due, and events_redeliver_due takes them."""
    from events.tasks import delivery_attempt

    for delivery_id in delivery_ids:
        publish(delivery_attempt, (delivery_id,), what=f"delivery {delivery_id}", insist=insist)


def _enqueue_emails(notice_ids: list[int], *, insist: bool = False) -> None:
    """Hand e-mail notices to the queue; as deliveries, the redelivery task takes any left."""
    from events.tasks import email_notice_send

    for notice_id in notice_ids:
        publish(email_notice_send, (notice_id,), what=f"e-mail {notice_id}", insist=insist)


def delivery_redeliver(*, delivery: Delivery, by) -> Delivery:
    """Try a delivery again now, whatever became of it, with another full retry period."""
    selectors.webhook_get_visible(user=by, pk=delivery.webhook_id)
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = now
        delivery.retry_until = now + RETRY_PERIOD
        delivery.save(update_fields=["status", "next_attempt_at", "retry_until"])
        transaction.on_commit(lambda: _enqueue_deliveries([delivery.pk]))
    return delivery


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """POST without following redirects: (status code, error). A 3xx is an answer, not a success."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # refused, timed out, DNS, TLS: no answer
        return None, f"{type(exc).__name__}: {exc}"[:2000]


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """POST the delivery's event if it is due; record the answer and when to try again. Safe to run twice.

    Claimed first (next_attempt_at moved past the POST's timeout) in a short transaction, so no row
    is locked during the POST and a second copy of the task finds it not due.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("webhook", "event").filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return delivery
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return delivery
        if not delivery.webhook.active:
            return delivery
        delivery.attempts += 1
        delivery.next_attempt_at = now + ATTEMPT_LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])

    event, webhook = delivery.event, delivery.webhook
    body = event_body(event)
    refusal = webhook_url_refusal(webhook.url)
    started = time.monotonic()
    if refusal:
        code, error = None, f"not sent: {refusal}"
    else:
        code, error = _post(webhook.url, body, {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Pledgeflow-Event": event.type,
            "X-Pledgeflow-Delivery": str(event.id),
            "X-Pledgeflow-Signature": signature(secret=webhook.secret, body=body),
        })
    duration_ms = int((time.monotonic() - started) * 1000)
    finished = timezone.now()
    succeeded = code is not None and 200 <= code < 300
    if code is not None and not succeeded and not error:
        error = f"HTTP {code}"
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=finished, status_code=code, error=error,
                                       duration_ms=duration_ms)
        delivery.last_status_code = code
        delivery.last_error = error
        if succeeded:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = Delivery.Status.DELIVERED, finished, None
        elif finished >= delivery.retry_until:
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        else:
            delivery.next_attempt_at = finished + retry_delay(delivery.attempts)
        delivery.save(update_fields=["last_status_code", "last_error", "status", "delivered_at", "next_attempt_at"])
    if not succeeded:
        logger.info("delivery %s of event %s to %s failed (%s); next at %s", delivery.pk, event.id, webhook.url,
                    error, delivery.next_attempt_at)
    return delivery


# --- e-mail --------------------------------------------------------------------------------


def _recipients(event: Event) -> dict:
    """{user: reason} for an application event: the people it now awaits, and its applicants on a change of state."""
    application = event.application
    if application is None or event.type not in (APPLICATION_STATE_CHANGED, APPLICATION_CHANGED):
        return {}
    recipients = {}
    if event.type == APPLICATION_STATE_CHANGED:
        for user in selectors.applicants_of(application):
            recipients[user] = "your_application"
    # Who is awaited is read now; if the application has moved on, the later event tells them.
    if application.state == event.data.get("to"):
        for user in selectors.users_awaited_by(application):
            recipients[user] = "awaits_you"
    return recipients


def email_preference_set(*, user, email_enabled: bool) -> EmailPreference:
    preference, _ = EmailPreference.objects.update_or_create(user=user, defaults={"email_enabled": email_enabled})
    return preference


def _email_message(notice: EmailNotice) -> EmailMessage:
    from portal.forms import STATE_LABELS

    event = notice.event
    data = event.data
    state = data.get("to", "")
    context = {"reference": data["application"]["reference"], "url": data["application"]["url"],
               "reason": notice.reason, "transition": data.get("transition"), "state": state,
               "recipient": notice.recipient}
    parts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts[language] = {
                "state_label": str(STATE_LABELS.get(state, state)),
            }
    context["state_zh"], context["state_en"] = parts["zh-hans"]["state_label"], parts["en"]["state_label"]
    subject = render_to_string("events/email_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string("events/email_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[notice.recipient.email],
                        headers={"X-Pledgeflow-Event": event.type, "X-Pledgeflow-Delivery": str(event.id)})


def email_notice_send(*, notice_id: int) -> EmailNotice | None:
    """Send one notice if still pending and due; a person who turned e-mail off in the meantime is skipped."""
    now = timezone.now()
    with transaction.atomic():
        notice = EmailNotice.objects.select_for_update().select_related("event", "recipient").filter(pk=notice_id).first()
        if notice is None or notice.status != EmailNotice.Status.PENDING:
            return notice
        if notice.next_attempt_at and notice.next_attempt_at > now:
            return notice
        if not notice.recipient.email or not selectors.email_enabled_for(notice.recipient):
            notice.status = EmailNotice.Status.SKIPPED
            notice.save(update_fields=["status"])
            return notice
        notice.attempts += 1
        notice.next_attempt_at = now + ATTEMPT_LEASE
        notice.save(update_fields=["attempts", "next_attempt_at"])
    try:
        _email_message(notice).send(fail_silently=False)
        error = ""
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("e-mail %s to %s failed: %s", notice.pk, notice.recipient.email, error)
    finished = timezone.now()
    if not error:
        notice.status, notice.sent_at, notice.next_attempt_at = EmailNotice.Status.SENT, finished, None
    elif notice.attempts >= EMAIL_MAX_ATTEMPTS:
        notice.status, notice.next_attempt_at = EmailNotice.Status.FAILED, None
    else:
        notice.next_attempt_at = finished + retry_delay(notice.attempts)
    notice.last_error = error
    notice.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    return notice


# --- fan-out and the safety net ------------------------------------------------------------


def event_dispatch(*, event_id) -> Event | None:
    """Make the event's deliveries and e-mail notices (once), then queue them after commit. Safe to run twice."""
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).select_related("application").filter(pk=event_id).first()
        if event is None:
            return None
        if event.dispatched_at is None:
            now = timezone.now()
            Delivery.objects.bulk_create(
                [Delivery(webhook=hook, event=event, next_attempt_at=now, created_at=now, retry_until=now + RETRY_PERIOD)
                 for hook in selectors.webhooks_for_event(event)],
                ignore_conflicts=True,
            )
            recipients = _recipients(event)
            opted_in = {u.pk for u in selectors._emailable(list(recipients))}
            EmailNotice.objects.bulk_create(
                [EmailNotice(event=event, recipient=user, reason=reason, next_attempt_at=now)
                 for user, reason in recipients.items() if user.pk in opted_in],
                ignore_conflicts=True,
            )
            event.dispatched_at = now
            event.save(update_fields=["dispatched_at"])
        deliveries = list(event.deliveries.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True))
        notices = list(event.email_notices.filter(status=EmailNotice.Status.PENDING).values_list("pk", flat=True))
        transaction.on_commit(lambda: (_enqueue_deliveries(deliveries), _enqueue_emails(notices)))
    return event


# An event not dispatched this long after it happened lost its task (the broker was away).
DISPATCH_GRACE = dt.timedelta(minutes=1)


def events_redeliver_due(*, now: dt.datetime | None = None, grace: dt.timedelta = DISPATCH_GRACE) -> dict:
    """Queue again what a lost task or a broker outage left: undispatched events, due deliveries and e-mails."""
    now = now or timezone.now()
    events = list(Event.objects.filter(dispatched_at__isnull=True, occurred_at__lte=now - grace)
                  .values_list("pk", flat=True)[:1000])
    deliveries = list(Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now,
                                              webhook__active=True)
                      .values_list("pk", flat=True)[:1000])
    notices = list(EmailNotice.objects.filter(status=EmailNotice.Status.PENDING, next_attempt_at__lte=now)
                   .values_list("pk", flat=True)[:1000])
    _enqueue_dispatch(events, insist=True)
    _enqueue_deliveries(deliveries, insist=True)
    _enqueue_emails(notices, insist=True)
    return {"events": len(events), "deliveries": len(deliveries), "emails": len(notices)}
