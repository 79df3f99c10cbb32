"""Registration filings, the patents they pledge, and what is later recorded against a registration."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Fields a registered filing may still change: only the marks of its cancellation.
CANCELLATION_FIELDS = frozenset({"status", "cancelled_on", "cancelled_by", "cancelled_at"})


class Filing(models.Model):
    """One filing of an application's pledge for registration; refiling after a refusal makes another.

    The particulars (parties, debt, term) are copied from the contract when filed, so the register
    shows what was registered even if the application or the parties change later. Once decided, a
    filing is never edited again, except to mark a registration cancelled; changes are new rows.
    """

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

    # The particulars as filed.
    pledgor = models.ForeignKey(
        "accounts.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="filings_as_pledgor"
    )
    pledgee = models.ForeignKey(
        "accounts.Bank", null=True, blank=True, on_delete=models.PROTECT, related_name="filings_as_pledgee"
    )
    pledgor_name = models.CharField(max_length=200, blank=True)
    pledgor_name_zh = models.CharField(max_length=200, blank=True)
    pledgor_address = models.CharField(max_length=300, blank=True)
    pledgee_name = models.CharField(max_length=200, blank=True)
    pledgee_name_zh = models.CharField(max_length=200, blank=True)
    pledgee_address = models.CharField(max_length=300, blank=True)
    debt_kind = models.CharField(max_length=40, blank=True, help_text="The secured debt, e.g. 'loan'")
    debt_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    debt_currency = models.CharField(max_length=3, blank=True)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True, help_text="The debtor's term ends")

    # The decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    grounds = models.JSONField(default=list, blank=True, help_text="Refusal grounds: [{code, patent, evidence}]")
    precheck = models.JSONField(
        default=dict, blank=True, help_text="The pre-check as run at the decision: {checked_on, grounds}"
    )
    note = models.TextField(blank=True)
    registration_number = models.CharField(max_length=32, null=True, blank=True, unique=True)
    registered_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["application", "sequence"], name="filing_sequence_per_application"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "refused"]) | Q(registration_number__isnull=False),
                name="registered_filing_has_number",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.registration_number or f"filing {self.sequence} of application {self.application_id}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What was loaded, to refuse edits of a decided filing in save().
        instance._loaded = dict(zip(field_names, values))
        return instance

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if loaded and loaded.get("status") in (self.Status.REGISTERED, self.Status.CANCELLED, self.Status.REFUSED):
            changed = {
                f.attname
                for f in self._meta.concrete_fields
                if f.attname in loaded and loaded[f.attname] != getattr(self, f.attname)
            }
            allowed = CANCELLATION_FIELDS if loaded["status"] == self.Status.REGISTERED else frozenset()
            names = {name.removesuffix("_id") for name in changed}
            if not names <= allowed:
                raise PermissionError(
                    f"a {loaded['status']} filing is not edited ({', '.join(sorted(names - allowed))}); "
                    "record a change or a cancellation instead"
                )
        super().save(*args, **kwargs)
        self._remember_loaded()

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_loaded()

    def _remember_loaded(self) -> None:
        self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        if self.status != self.Status.PENDING:
            raise PermissionError("a decided filing is part of the register and is never deleted")
        return super().delete(*args, **kwargs)

    @property
    def jurisdictions(self) -> list[str]:
        """The patent offices concerned: ["CN"], ["US"] or both for a mixed portfolio."""
        return sorted({fp.patent.jurisdiction for fp in self.filed_patents.all()})


class FiledPatent(models.Model):
    """A patent pledged by a filing. `registered` is true while that pledge stands on the register.

    The partial unique constraint is the database's own guarantee that a patent stands under at most
    one registered, uncancelled pledge, whatever happens to the locks in the service.
    """

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="filed_patents")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="filings")
    co_owner_consent = models.BooleanField(default=False)
    registered = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "patent"], name="patent_once_per_filing"),
            models.UniqueConstraint(
                fields=["patent"], condition=Q(registered=True), name="one_registered_pledge_per_patent"
            ),
        ]


class RegistrationChange(models.Model):
    """A change to a registered pledge, or its cancellation, recorded against it, never by editing it."""

    class Kind(models.TextChoices):
        CHANGE = "change"
        CANCELLATION = "cancellation"

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CHANGE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    effective_on = models.DateField(null=True, blank=True)
    changes = models.JSONField(default=dict, help_text="The new values, e.g. {\"amount\": \"2500000.00\"}")
    previous = models.JSONField(default=dict, blank=True, help_text="The same items as they stood before")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("a recorded change is never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("a recorded change is never deleted")


class RegistrationNumberCounter(models.Model):
    """The last registration number issued in a year.

    Numbers come from this row, locked while it moves forward, not from the filings: deleting or
    rolling back a filing can never hand its number out again. A rolled-back registration also rolls
    back its increment, so the number it would have had was never seen and the series has no gaps.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]


class UccFiling(models.Model):
    """A UCC-1 financing statement the lender filed for the US patents of a filing: its state and file number."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="ucc_filings")
    state = models.CharField(max_length=2, help_text="USPS code of the filing office's state, e.g. DE")
    file_number = models.CharField(max_length=40)
    filed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["state", "file_number"], name="ucc_file_number_per_state")]
