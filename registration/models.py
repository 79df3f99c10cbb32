"""Registration filings, the patents they pledge, and what is later recorded against a registration."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

# What a filing says about the pledge, copied when filed and never edited afterwards: a change is
# recorded as a RegistrationChange, a refusal makes the next filing a new row.
PARTICULARS = frozenset(
    {
        "application", "sequence", "filed_by", "filed_at", "acknowledged", "deadline",
        "pledgor", "pledgee", "pledgor_name", "pledgor_name_zh", "pledgor_address",
        "pledgee_name", "pledgee_name_zh", "pledgee_address",
        "debt_kind", "debt_amount", "debt_currency", "term_start", "term_end",
        "patent_count", "security_scope", "particulars_sha256",
    }
)
# The fields each transition writes, for the services' save(update_fields=...).
DECISION_FIELDS = {
    "register": (
        "status", "decided_by", "decided_at", "registered_on", "registration_number", "precheck",
        "reel", "frame", "recorded_on",
    ),
    "refuse": ("status", "decided_by", "decided_at", "grounds", "precheck", "note"),
    "request_correction": ("status", "decided_by", "decided_at", "defects", "note"),
    "cancel": ("status", "cancelled_on", "cancelled_by", "cancelled_at"),
}


class Filing(ConcurrentTransitionMixin, models.Model):
    """One filing of an application's pledge for registration; refiling after a refusal makes another.

    The particulars (parties, debt, term) are copied from the contract when filed, so the register
    shows what was registered even if the application or the parties change later. Once decided, a
    filing is never edited again, except to mark a registration cancelled; changes are new rows.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        REGISTERED = "registered"
        REFUSED = "refused"
        CORRECTION_REQUESTED = "correction_requested"
        CANCELLED = "cancelled"

    application = models.ForeignKey("financing.PledgeApplication", on_delete=models.PROTECT, related_name="filings")
    sequence = models.PositiveSmallIntegerField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    acknowledged = models.JSONField(default=list, blank=True)
    deadline = models.DateField()
    status = FSMField(max_length=24, choices=Status.choices, default=Status.PENDING, protected=True, db_index=True)

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
    patent_count = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Patents the contract pledges")
    security_scope = models.JSONField(
        default=list, blank=True, help_text="What the pledge secures: principal, interest, penalties, enforcement costs"
    )
    particulars_sha256 = models.CharField(
        max_length=64, blank=True, help_text="The hash of the particulars both sides signed for this filing"
    )

    # The decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    grounds = models.JSONField(default=list, blank=True, help_text="Refusal grounds: [{code, patent, evidence}]")
    defects = models.JSONField(default=list, blank=True, help_text="Defects to correct: [{item, message}]")
    precheck = models.JSONField(
        default=dict, blank=True, help_text="The pre-check as run at the decision: {checked_on, grounds}"
    )
    note = models.TextField(blank=True)
    registration_number = models.CharField(max_length=32, null=True, blank=True, unique=True)
    registered_on = models.DateField(null=True, blank=True)
    # US: where the USPTO's notice of recordation puts the security agreement, and the date it records.
    reel = models.PositiveIntegerField(null=True, blank=True, help_text="US: reel of the notice of recordation")
    frame = models.PositiveIntegerField(null=True, blank=True, help_text="US: frame of the notice of recordation")
    recorded_on = models.DateField(null=True, blank=True, help_text="US: the recordation date the USPTO gives")
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
                condition=Q(status__in=["pending", "refused", "correction_requested"])
                | Q(registration_number__isnull=False),
                name="registered_filing_has_number",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.registration_number or f"filing {self.sequence} of application {self.application_id}"

    def save(self, *args, **kwargs):
        # The services write a filing once whole (filing_create), then only through the transitions
        # below, each naming its fields; a save of a stored filing that names none, or names a
        # particular, would rewrite what was filed or registered, so it is refused here, once.
        update_fields = kwargs.get("update_fields")
        named = {name.removesuffix("_id") for name in update_fields} if update_fields is not None else None
        if not self._state.adding and (named is None or PARTICULARS & named):
            edited = sorted(PARTICULARS & named) if named is not None else ["every field"]
            raise PermissionError(
                f"a filing's particulars are never edited ({', '.join(edited)}); record a change or a cancellation instead"
            )
        super().save(*args, **kwargs)

    # --- the lifecycle: transitions change only the state and the marks of the decision ---------

    @transition(field=status, source=Status.PENDING, target=Status.REGISTERED)
    def register(
        self, *, by, on: dt.date, number: str, precheck: dict, reel: int | None = None, frame: int | None = None,
        recorded_on: dt.date | None = None,
    ) -> None:
        self._decided(by=by, precheck=precheck)
        self.registered_on = on
        self.registration_number = number
        self.reel, self.frame, self.recorded_on = reel, frame, recorded_on

    @transition(field=status, source=Status.PENDING, target=Status.REFUSED)
    def refuse(self, *, by, grounds: list[dict], precheck: dict, note: str) -> None:
        self._decided(by=by, precheck=precheck)
        self.grounds = grounds
        self.note = note

    # The registrar asks for a correction instead of deciding; the refiling is a new filing with its own clock.
    @transition(field=status, source=Status.PENDING, target=Status.CORRECTION_REQUESTED)
    def request_correction(self, *, by, defects: list[dict], note: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.defects = defects
        self.note = note

    def _decided(self, *, by, precheck: dict) -> None:
        """The marks every decision leaves: who, when, and the pre-check it rested on."""
        self.decided_by = by
        self.decided_at = timezone.now()
        self.precheck = precheck

    @transition(field=status, source=Status.REGISTERED, target=Status.CANCELLED)
    def cancel(self, *, by, on: dt.date) -> None:
        self.cancelled_on = on
        self.cancelled_by = by
        self.cancelled_at = timezone.now()

    def delete(self, *args, **kwargs):
        if self.status != self.Status.PENDING:
            raise PermissionError("a decided filing is part of the register and is never deleted")
        return super().delete(*args, **kwargs)

    @property
    def jurisdictions(self) -> list[str]:
        """The patent offices concerned: ["CN"], ["US"] or both for a mixed portfolio."""
        return sorted({fp.patent.jurisdiction for fp in self.filed_patents.all()})

    @property
    def office(self) -> str:
        """The office that decides the filing: "US" (recordation at the USPTO) when every patent is a US
        one, else "CN" (the registrar under the 2021 Measures)."""
        return "US" if self.jurisdictions == ["US"] else "CN"


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


class FilingSignature(models.Model):
    """One side's signature of the filing particulars (DOMAIN.md §3: the filing is joint).

    `particulars_sha256` is the hash of what the side signed (registration.services.filing_particulars);
    a signature counts only while the particulars still hash the same, so any change lapses it. A
    filing uses the signatures it rests on (`filing` set), and the next filing needs new ones.
    """

    class Side(models.TextChoices):
        PLEDGOR = "pledgor"
        PLEDGEE = "pledgee"

    application = models.ForeignKey(
        "financing.PledgeApplication", on_delete=models.PROTECT, related_name="filing_signatures"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    particulars_sha256 = models.CharField(max_length=64)
    filing = models.ForeignKey(
        Filing, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures",
        help_text="The filing this signature was used for; unused signatures have none",
    )

    class Meta:
        ordering = ["signed_at", "id"]


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


class CancellationRequest(models.Model):
    """The parties' application to cancel a registered pledge: its ground and evidence (DOMAIN.md §3)."""

    class Ground(models.TextChoices):
        DEBT_DISCHARGED = "debt_discharged"
        PLEDGEE_WAIVED = "pledgee_waived"
        CONTRACT_VOID = "contract_void"
        OTHER = "other"

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="cancellation_requests")
    ground = models.CharField(max_length=16, choices=Ground.choices)
    repaid_on = models.DateField(null=True, blank=True, help_text="With debt_discharged: the day the debt was repaid")
    reason = models.TextField(blank=True, help_text="With other: the lawful reason")
    evidence = models.TextField(blank=True, help_text="What the parties produce to prove the ground")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["applied_at", "id"]


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
