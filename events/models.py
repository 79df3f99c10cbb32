"""The outbox (one Event per thing that happened), webhook subscriptions, their deliveries, e-mail notices."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# The types a subscriber may ask for (WORKFLOW.md "Events out").
APPLICATION_STATE_CHANGED = "application.state_changed"
# A transition that keeps the state (sign_filing, record_change): audited, but no change of state.
APPLICATION_CHANGED = "application.changed"
DOCUMENT_READY = "document.ready"
ALERT_RAISED = "alert.raised"
EVENT_TYPES = (APPLICATION_STATE_CHANGED, APPLICATION_CHANGED, DOCUMENT_READY, ALERT_RAISED)


class Event(models.Model):
    """Something that happened, written in the same transaction as the change itself (the outbox).

    `source` names what made it ("audit:12", "document:7", "alert:3"), once: writing it again is a no-op.
    The organisation scope is the application's bank and enterprise; subscribers see only their own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=[(t, t) for t in EVENT_TYPES])
    source = models.CharField(max_length=60, unique=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    application = models.ForeignKey(
        "financing.PledgeApplication", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    bank = models.ForeignKey("accounts.Bank", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)
    # When its deliveries and e-mails were made; null: the dispatch task has not run yet (or was lost).
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["dispatched_at", "occurred_at"], name="event_undispatched")]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class Webhook(models.Model):
    """A subscription: POST these event types about the organisation's applications to `url`, signed with `secret`.

    A bank's (its own applications) or a local IP office's (the applications of enterprises in its
    region): exactly one of the two is set. events.selectors.webhooks_for_event is the one place
    that matches events to subscribers.
    """

    bank = models.ForeignKey("accounts.Bank", null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks")
    ip_office = models.ForeignKey(
        "accounts.IpOffice", null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bank__isnull=False, ip_office__isnull=True)
                | models.Q(bank__isnull=True, ip_office__isnull=False),
                name="webhook_one_subscriber",
            ),
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} → {self.url}"


class Delivery(models.Model):
    """One event for one webhook: tried until a 2xx, with backoff, for at least 24 hours."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"  # gave up after the retry period; a manual redelivery starts it again

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Failures are retried until an attempt at or after this time fails too (events.services.RETRY_PERIOD
    # after the delivery was made, or after a manual redelivery).
    retry_until = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="one_delivery_per_webhook_and_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]


class DeliveryAttempt(models.Model):
    """One POST of a delivery, for the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]


class EmailNotice(models.Model):
    """One e-mail about one event to one person: made once, sent once (retried by the redelivery task)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        SKIPPED = "skipped"  # the person turned e-mail off, or has no address, before it went
        FAILED = "failed"  # the mail server refused it every time

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="email_notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20)  # "awaits_you" or "your_application"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="one_email_per_event_and_person")]


class EmailPreference(models.Model):
    """A person's choice about e-mail; no row means e-mail is on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference")
    email_enabled = models.BooleanField(default=True)
