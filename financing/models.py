"""The pledge application, its state machine (declared once, here), its loan terms and its audit trail."""
from __future__ import annotations

from django.conf import settings
from django.db import models
import pgtrigger
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from financing.dates import loan_end
from accounts.roles import APPLICANT, APPRAISER, BANK_APPROVER, BANK_OFFICER, REGISTRAR, role_of


class State(models.TextChoices):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALUED = "valued"
    UNDER_REVIEW = "under_review"
    RECOMMENDED = "recommended"
    APPROVED = "approved"
    REJECTED = "rejected"
    CONTRACTED = "contracted"
    REGISTRATION_FILED = "registration_filed"
    REGISTERED = "registered"
    REGISTRATION_REFUSED = "registration_refused"
    CORRECTION_REQUESTED = "correction_requested"
    DISBURSED = "disbursed"
    CANCELLATION_APPLIED = "cancellation_applied"
    RELEASED = "released"
    DEFAULTED = "defaulted"
    DISPOSED = "disposed"
    WITHDRAWN = "withdrawn"


TERMINAL_STATES = (State.REJECTED, State.RELEASED, State.DISPOSED, State.WITHDRAWN)
# Registrars see filed registrations and what follows them, never earlier credit work.
REGISTRAR_STATES = (
    State.REGISTRATION_FILED,
    State.REGISTERED,
    State.REGISTRATION_REFUSED,
    State.CORRECTION_REQUESTED,
    State.DISBURSED,
    State.CANCELLATION_APPLIED,
    State.RELEASED,
    State.DEFAULTED,
    State.DISPOSED,
)


class RoleAllowed:
    """A transition's permission: the caller's role is one of `roles`.

    With `four_eyes`, the caller must also not be the officer who recommended
    the terms (DOMAIN.md §5: approval always needs two different people).
    """

    def __init__(self, *roles: str, four_eyes: bool = False):
        self.roles = roles
        self.four_eyes = four_eyes

    def __call__(self, instance: "PledgeApplication", user) -> bool:
        if role_of(user) not in self.roles:
            return False
        return not (self.four_eyes and instance.recommender_id == user.pk)


class PledgeApplication(ConcurrentTransitionMixin, models.Model):
    bank = models.ForeignKey("accounts.Bank", on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_requested = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    term_months = models.PositiveSmallIntegerField()
    purpose = models.TextField(blank=True)
    patents = models.ManyToManyField("patents.Patent", through="PledgedPatent", related_name="applications")
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    rejection_reasons = models.JSONField(default=list, blank=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # One index per supported ordering within each scope a list starts from (a bank's, an
        # enterprise's, a registrar's or an admin's), each ending in the id that breaks ties, so a
        # page is read in order from the index and never sorted: benchmarks/list_bench.py.
        indexes = [
            models.Index(fields=["bank", "-created_at", "-id"], name="application_bank_recent"),
            models.Index(fields=["bank", "state", "-created_at", "-id"], name="application_bank_state_recent"),
            models.Index(fields=["bank", "-amount_requested", "-id"], name="application_bank_amount"),
            models.Index(fields=["enterprise", "-created_at", "-id"], name="application_ent_recent"),
            models.Index(fields=["enterprise", "state", "-created_at", "-id"], name="application_ent_state_recent"),
            models.Index(fields=["enterprise", "-amount_requested", "-id"], name="application_ent_amount"),
            models.Index(fields=["-created_at", "-id"], name="application_recent"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The application number printed on every document, e.g. PF-2026-000042."""
        year = self.created_at.year if self.created_at else 0
        return f"PF-{year}-{self.pk:06d}"

    @property
    def recommender_id(self) -> int | None:
        terms = getattr(self, "terms", None) if self.pk else None
        return terms.recommended_by_id if terms else None

    # --- the state machine (WORKFLOW.md); bodies stay empty: services hold the rules ---

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=RoleAllowed(APPLICANT))
    def submit(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.VALUED, permission=RoleAllowed(APPRAISER))
    def complete_valuation(self):
        pass

    @transition(field=state, source=State.VALUED, target=State.UNDER_REVIEW, permission=RoleAllowed(BANK_OFFICER))
    def start_review(self):
        pass

    @transition(
        field=state,
        source=[State.SUBMITTED, State.UNDER_REVIEW],
        target=State.DRAFT,
        permission=RoleAllowed(BANK_OFFICER),
    )
    def return_to_applicant(self):
        pass

    @transition(
        field=state,
        source=[State.UNDER_REVIEW, State.RECOMMENDED],
        target=State.SUBMITTED,
        permission=RoleAllowed(BANK_OFFICER),
    )
    def request_revaluation(self):
        pass

    @transition(field=state, source=State.UNDER_REVIEW, target=State.RECOMMENDED, permission=RoleAllowed(BANK_OFFICER))
    def recommend(self):
        pass

    @transition(field=state, source=State.RECOMMENDED, target=State.UNDER_REVIEW, permission=RoleAllowed(BANK_APPROVER))
    def send_back(self):
        pass

    @transition(
        field=state,
        source=State.RECOMMENDED,
        target=State.APPROVED,
        permission=RoleAllowed(BANK_APPROVER, four_eyes=True),
    )
    def approve(self):
        pass

    @transition(
        field=state,
        source=[State.UNDER_REVIEW, State.RECOMMENDED],
        target=State.REJECTED,
        permission=RoleAllowed(BANK_OFFICER, BANK_APPROVER),
    )
    def reject(self):
        pass

    @transition(field=state, source=State.APPROVED, target=State.CONTRACTED, permission=RoleAllowed(BANK_OFFICER))
    def sign_contracts(self):
        pass

    # One side signs the filing particulars; the application stays where it is (the filing is joint).
    @transition(field=state, source=State.CONTRACTED, target=State.CONTRACTED,
                permission=RoleAllowed(APPLICANT, BANK_OFFICER))
    @transition(field=state, source=State.REGISTRATION_REFUSED, target=State.REGISTRATION_REFUSED,
                permission=RoleAllowed(APPLICANT, BANK_OFFICER))
    @transition(field=state, source=State.CORRECTION_REQUESTED, target=State.CORRECTION_REQUESTED,
                permission=RoleAllowed(APPLICANT, BANK_OFFICER))
    def sign_filing(self):
        pass

    @transition(
        field=state,
        source=[State.CONTRACTED, State.REGISTRATION_REFUSED, State.CORRECTION_REQUESTED],
        target=State.REGISTRATION_FILED,
        permission=RoleAllowed(BANK_OFFICER, APPLICANT),
    )
    def file_registration(self):
        pass

    @transition(
        field=state,
        source=State.REGISTRATION_FILED,
        target=State.CORRECTION_REQUESTED,
        permission=RoleAllowed(REGISTRAR),
    )
    def request_correction(self):
        pass

    @transition(field=state, source=State.REGISTRATION_FILED, target=State.REGISTERED, permission=RoleAllowed(REGISTRAR))
    def register(self):
        pass

    @transition(
        field=state,
        source=State.REGISTRATION_FILED,
        target=State.REGISTRATION_REFUSED,
        permission=RoleAllowed(REGISTRAR),
    )
    def refuse_registration(self):
        pass

    # A change is recorded against the registration; the application stays where it is.
    @transition(field=state, source=State.REGISTERED, target=State.REGISTERED, permission=RoleAllowed(REGISTRAR))
    @transition(field=state, source=State.DISBURSED, target=State.DISBURSED, permission=RoleAllowed(REGISTRAR))
    def record_change(self):
        pass

    @transition(field=state, source=State.REGISTERED, target=State.DISBURSED, permission=RoleAllowed(BANK_OFFICER))
    def disburse(self):
        pass

    # The parties apply to cancel the registration (DOMAIN.md §3); the registrar then releases the pledge.
    @transition(
        field=state,
        source=[State.REGISTERED, State.DISBURSED],
        target=State.CANCELLATION_APPLIED,
        permission=RoleAllowed(BANK_OFFICER, APPLICANT),
    )
    def apply_cancellation(self):
        pass

    @transition(field=state, source=State.CANCELLATION_APPLIED, target=State.RELEASED, permission=RoleAllowed(REGISTRAR))
    def release(self):
        pass

    @transition(field=state, source=State.DISBURSED, target=State.DEFAULTED, permission=RoleAllowed(BANK_OFFICER))
    def declare_default(self):
        pass

    @transition(field=state, source=State.DEFAULTED, target=State.DISPOSED, permission=RoleAllowed(BANK_OFFICER))
    def dispose(self):
        pass

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.VALUED, State.UNDER_REVIEW],
        target=State.WITHDRAWN,
        permission=RoleAllowed(APPLICANT),
    )
    def withdraw(self):
        pass


TRANSITION_NAMES = (
    "submit",
    "complete_valuation",
    "start_review",
    "return_to_applicant",
    "request_revaluation",
    "recommend",
    "send_back",
    "approve",
    "reject",
    "sign_contracts",
    "sign_filing",
    "file_registration",
    "request_correction",
    "register",
    "refuse_registration",
    "record_change",
    "disburse",
    "apply_cancellation",
    "release",
    "declare_default",
    "dispose",
    "withdraw",
)


class PledgedPatent(models.Model):
    """One patent in an application's pledge (a portfolio pledge has several)."""

    application = models.ForeignKey(PledgeApplication, on_delete=models.CASCADE, related_name="pledged_patents")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="pledges")
    co_owner_consent = models.BooleanField(
        default=False, help_text="Every co-owner of a co-owned patent has consented to the pledge"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "patent"], name="patent_once_per_application")]
        ordering = ["id"]


class LoanTerms(models.Model):
    """What the bank offers and what then happens to the loan."""

    application = models.OneToOneField(PledgeApplication, on_delete=models.CASCADE, related_name="terms")
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    annual_rate = models.DecimalField(max_digits=7, decimal_places=6, help_text="A fraction: 0.0435 is 4.35%")
    term_months = models.PositiveSmallIntegerField()
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    disbursed_on = models.DateField(null=True, blank=True)
    repaid_on = models.DateField(null=True, blank=True)
    default_reason = models.TextField(blank=True)
    disposal_method = models.CharField(max_length=16, blank=True)
    disposal_proceeds = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)

    @property
    def maturity_date(self):
        """The loan's last day, counted from signing (None before signing): financing.dates.loan_end."""
        if not self.signed_on:
            return None
        return loan_end(start=self.signed_on, term_months=self.term_months)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are never updated")

    def delete(self):
        raise PermissionError("audit entries are never deleted")


class AuditEntry(models.Model):
    """One attempt at a transition, succeeded or refused. Append-only."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded"
        REFUSED = "refused"

    application = models.ForeignKey(PledgeApplication, on_delete=models.PROTECT, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=20, blank=True)
    transition = models.CharField(max_length=40)
    source_state = models.CharField(max_length=24)
    target_state = models.CharField(max_length=24, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error_code = models.CharField(max_length=60, blank=True)
    message = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "audit entries"
        # Append-only in the database itself, for any client with the service's credentials (a
        # PostgreSQL trigger from migration 0002; pgtrigger installs nothing on another database).
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are never deleted")
