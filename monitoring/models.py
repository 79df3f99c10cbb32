"""Alerts raised by the post-loan sweep: one open alert per pledged patent and kind of trouble."""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from monitoring import watch


class Alert(models.Model):
    class Kind(models.TextChoices):
        ANNUAL_FEE_DUE = watch.ANNUAL_FEE_DUE, "Annual fee falls due soon"
        ANNUAL_FEE_UNPAID = watch.ANNUAL_FEE_UNPAID, "Annual fee unpaid past its due date"
        EXPIRY_WITHIN_TERM = watch.EXPIRY_WITHIN_TERM, "Patent expires within the loan term plus margin"
        INVALIDATION_PENDING = watch.INVALIDATION_PENDING, "Invalidation request pending"
        OWNERSHIP_FROZEN = watch.OWNERSHIP_FROZEN, "Ownership dispute or court preservation order"
        NOT_IN_FORCE = watch.NOT_IN_FORCE, "Patent no longer in force"
        FEE_LAPSED = watch.FEE_LAPSED, "Patent lapsed: annual fee unpaid past the grace period"
        MAINTENANCE_FEE_DUE = watch.MAINTENANCE_FEE_DUE, "US maintenance fee falls due soon"
        MAINTENANCE_FEE_UNPAID = watch.MAINTENANCE_FEE_UNPAID, "US maintenance fee unpaid: surcharge period"
        US_RECORDING_DUE = watch.US_RECORDING_DUE, "US security agreement not yet recorded at the USPTO"
        UCC1_CONTINUATION_WINDOW = watch.UCC1_CONTINUATION_WINDOW, "UCC-1 in its continuation window"
        UCC1_LAPSED = watch.UCC1_LAPSED, "UCC-1 lapsed without continuation"

    class Severity(models.TextChoices):
        WARNING = watch.WARNING
        CRITICAL = watch.CRITICAL

    class Status(models.TextChoices):
        OPEN = "open"
        RESOLVED = "resolved"

    application = models.ForeignKey("financing.PledgeApplication", on_delete=models.CASCADE, related_name="alerts")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    message = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    first_seen = models.DateField(help_text="The sweep that first found it")
    last_seen = models.DateField(help_text="The latest sweep that still found it")
    resolved_on = models.DateField(null=True, blank=True, help_text="The sweep that no longer found it")

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [
            # What makes a second sweep on the same facts a no-op, even when two run at once.
            models.UniqueConstraint(
                fields=["application", "patent", "kind"],
                condition=Q(status="open"),
                name="one_open_alert_per_pledged_patent_and_kind",
            )
        ]
        # status first: the sweep reads the open alerts of a range of applications, batch by batch,
        # and an index led by status alone would make every batch scan all open alerts.
        indexes = [models.Index(fields=["status", "application"], name="alert_status_application")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.patent_id} for application {self.application_id} ({self.status})"
