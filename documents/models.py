"""Stage documents: one row per document a stage produced, its PDF on the default storage, and its hash."""

from __future__ import annotations

import uuid

from django.db import models

from documents.pdf import KINDS
from documents.pdf.wording import TITLES


DOCUMENT_KIND_CHOICES = [(kind, TITLES[kind][1]) for kind in KINDS]


def document_path(document: "Document", filename: str) -> str:
    # The public id keeps two occurrences of one kind (a refiled registration) apart.
    return f"documents/{document.application.reference}/{document.kind}-{document.public_id}.pdf"


class Document(models.Model):
    """A document of one stage occurrence: the audit entry of the transition that reached the stage.

    Unique on (audit entry, kind): a queue or task that runs twice finds the row it made before,
    while a stage reached again (refiled after a refusal, a second change) gets its own rows.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        FAILED = "failed"

    application = models.ForeignKey(
        "financing.PledgeApplication", on_delete=models.PROTECT, related_name="documents"
    )
    audit_entry = models.ForeignKey("financing.AuditEntry", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, choices=DOCUMENT_KIND_CHOICES)
    transition = models.CharField(max_length=40)
    stage = models.CharField(max_length=40, help_text="The stage of DOMAIN.md §6 the document belongs to")
    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="In the QR code's verify link; not guessable"
    )
    content = models.JSONField(
        null=True, blank=True, help_text="What the document says, as gathered when the stage was reached"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True, help_text="Why the last attempt failed")
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=document_path, blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes")
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit_entry", "kind"], name="document_once_per_stage_occurrence"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} of {self.application_id} ({self.status})"

    @property
    def title_zh(self) -> str:
        return TITLES[self.kind][0]

    @property
    def title_en(self) -> str:
        return TITLES[self.kind][1]
