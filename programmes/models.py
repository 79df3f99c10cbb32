"""Public programmes of a local IP office, the loans enrolled in them, repayments and claims (DOMAIN.md §7)."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from accounts.models import region_code
from programmes.calculations import SHARE_PARTIES


class Kind(models.TextChoices):
    RISK_POOL = "risk_pool"
    INTEREST_SUBSIDY = "interest_subsidy"
    EVALUATION_FEE_SUBSIDY = "evaluation_fee_subsidy"
    GUARANTEE_INSURANCE = "guarantee_insurance"


def _share(**kwargs):
    return models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True, **kwargs)


class Programme(models.Model):
    """One programme with its parameters, budget and validity; what it committed and paid is derived."""

    office = models.ForeignKey("accounts.IpOffice", on_delete=models.PROTECT, related_name="programmes")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=6, validators=[region_code], db_index=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    budget = models.DecimalField(max_digits=16, decimal_places=2)
    # risk_pool: each party's share of a loss, summing to 1 exactly
    share_pool = _share()
    share_bank = _share()
    share_insurer = _share()
    share_appraiser = _share()
    share_guarantor = _share()
    # per loan: the pool's part of a loss (risk_pool), the insurer's (guarantee_insurance), the fee subsidy
    cap_per_loan = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    # interest_subsidy, evaluation_fee_subsidy, guarantee_insurance: the programme's share
    share = _share()
    rate_cap = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True,
                                   help_text="interest_subsidy: the highest annual rate subsidised, a fraction")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.region})"

    @property
    def shares(self) -> dict[str, Decimal] | None:
        if self.kind != Kind.RISK_POOL:
            return None
        return {party: getattr(self, f"share_{party}") or Decimal(0) for party in SHARE_PARTIES}


class Enrolment(models.Model):
    """A disbursed loan enrolled in a programme by its lending bank."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    application = models.ForeignKey("financing.PledgeApplication", on_delete=models.PROTECT, related_name="enrolments")
    ip_secured_amount = models.DecimalField(max_digits=16, decimal_places=2)
    exposure = models.DecimalField(max_digits=16, decimal_places=2,
                                   help_text="The most the programme can pay on this loan, committed at enrolment")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "application"], name="loan_enrolled_once_per_programme")
        ]


class Repayment(models.Model):
    """Principal and interest the borrower paid on one day, recorded by the lending bank."""

    application = models.ForeignKey("financing.PledgeApplication", on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField()
    principal = models.DecimalField(max_digits=16, decimal_places=2)
    interest = models.DecimalField(max_digits=16, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]


class Claim(models.Model):
    """A claim on an enrolment: a loss shared by a risk pool, or a subsidy; the office decides it."""

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    # a loss claim's workings (risk_pool, guarantee_insurance); null on a subsidy claim
    principal_unpaid = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    interest_due = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    proceeds = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    loss = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    covered_loss = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    split = models.JSONField(null=True, blank=True, help_text="Each party's part, decimal strings")
    # a subsidy claim's basis: the interest paid, or the appraisal fee
    basis = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, help_text="What the programme pays")
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    audit_entry = models.ForeignKey("financing.AuditEntry", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="The claim_made entry its dossier belongs to")

    class Meta:
        ordering = ["-claimed_at", "-id"]
