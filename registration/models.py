"""Registration filings and the changes recorded against them."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class Filing(models.Model):
    """One filing of an application's pledge for registration; refiling after a refusal makes another."""

    class Status(models.TextChoices):
        PENDING = "pending"
        REGISTERED = "registered"
        REFUSED = "refused"
        CANCELLED = "cancelled"

    application = models.ForeignKey("financing.PledgeApplication", on_delete=models.PROTECT, related_name="filings")
    sequence = models.PositiveSmallIntegerField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    acknowledged = models.JSONField(default=list, blank=True)
    deadline = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    grounds = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    registration_number = models.CharField(max_length=32, null=True, blank=True, unique=True)
    registered_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["application_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["application", "sequence"], name="filing_sequence_per_application")
        ]


class RegistrationChange(models.Model):
    """A change to a registered pledge, recorded against it, never by editing it."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="changes")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
