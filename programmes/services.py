"""Writes of public programmes: create a programme, enrol a loan, record a repayment, claim, decide a claim.

Every rule of DOMAIN.md §7 lives here; the figures come from programmes.calculations and the reads
from programmes.selectors. Services take Python values and raise core.errors.DomainError.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.roles import BANK_OFFICER, IP_OFFICE, role_of
from core.errors import Conflict, PermissionRefused, ValidationFailed
from documents.services import documents_create
from financing.models import AuditEntry, PledgeApplication, State
from programmes import calculations as calc
from programmes import selectors
from programmes.models import Claim, Enrolment, Kind, Programme, Repayment
from registration import selectors as register

CLAIM_MADE = "make_claim"  # the audit entry (and document stage, "claim made") of a claim
LOSS_KINDS = (Kind.RISK_POOL, Kind.GUARANTEE_INSURANCE)
CLAIMABLE_LOSS_STATES = (State.DEFAULTED, State.DISPOSED)
REPAYABLE_STATES = (State.DISBURSED, State.DEFAULTED, "cancellation_applied")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details={field: [message]})


def _positive(value: Decimal | None, field: str, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise _invalid(field, "is required")
        return
    if value <= 0:
        raise _invalid(field, "must be more than 0")


def _share_between_0_and_1(value: Decimal | None, field: str) -> None:
    if value is None:
        raise _invalid(field, "is required")
    if not 0 < value <= 1:
        raise _invalid(field, "must be more than 0 and at most 1")


def _lending_officer(*, application: PledgeApplication, by, what: str) -> None:
    if role_of(by) != BANK_OFFICER or by.bank_id != application.bank_id:
        raise PermissionRefused(f"only the lending bank's officer may {what}", code="role_not_allowed",
                                details={"allowed_roles": [BANK_OFFICER]})


def _office(by):
    office = selectors.office_of(by)
    if office is None:
        raise PermissionRefused("only a local IP office may do this", code="role_not_allowed",
                                details={"allowed_roles": [IP_OFFICE]})
    return office


# --- programmes ----------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    by,
    kind: str,
    name: str,
    region: str,
    valid_from: dt.date,
    valid_until: dt.date,
    budget: Decimal,
    shares: dict[str, Decimal] | None = None,
    cap_per_loan: Decimal | None = None,
    share: Decimal | None = None,
    rate_cap: Decimal | None = None,
) -> Programme:
    """An office's programme for its own region, with the parameters its kind needs (DOMAIN.md §7)."""
    office = _office(by)
    if region != office.region:
        raise PermissionRefused(f"an office runs programmes for its own region ({office.region}) only",
                                code="not_your_region", details={"region": region, "office_region": office.region})
    if kind not in Kind.values:
        raise _invalid("kind", f"one of {', '.join(Kind.values)}")
    if not (name or "").strip():
        raise _invalid("name", "may not be blank")
    if valid_until < valid_from:
        raise _invalid("valid_until", "may not be before valid_from")
    _positive(budget, "budget")
    _positive(cap_per_loan, "cap_per_loan", required=kind in (Kind.RISK_POOL, Kind.EVALUATION_FEE_SUBSIDY))
    fields: dict = {"cap_per_loan": cap_per_loan}
    if kind == Kind.RISK_POOL:
        if not shares:
            raise _invalid("shares", "is required for a risk pool")
        problems = calc.shares_valid(shares)
        if problems:
            raise ValidationFailed(f"shares: {problems[0]}", details={"shares": problems})
        fields.update({f"share_{party}": shares.get(party, Decimal(0)) for party in calc.SHARE_PARTIES})
    else:
        _share_between_0_and_1(share, "share")
        fields["share"] = share
    if kind == Kind.INTEREST_SUBSIDY:
        _positive(rate_cap, "rate_cap")
        fields["rate_cap"] = rate_cap
    return Programme.objects.create(
        office=office, kind=kind, name=name.strip(), region=region, valid_from=valid_from, valid_until=valid_until,
        budget=budget, created_by=by, **fields,
    )


# --- enrolment -----------------------------------------------------------------------------------


def _exposure(programme: Programme, application: PledgeApplication, ip_secured_amount: Decimal) -> Decimal:
    terms = application.terms
    shares = programme.shares or {}
    return calc.exposure(
        kind=programme.kind, ip_secured_amount=ip_secured_amount, annual_rate=terms.annual_rate,
        term_months=terms.term_months, share=programme.share, pool_share=shares.get("pool"),
        cap_per_loan=programme.cap_per_loan, rate_cap=programme.rate_cap,
    )


def enrolment_refusals(
    *, programme: Programme, application: PledgeApplication, ip_secured_amount: Decimal | None
) -> list[dict]:
    """Every reason the loan may not join the programme, as {"code", "message"}; empty when it may."""
    reasons = []

    def refuse(code: str, message: str) -> None:
        reasons.append({"code": code, "message": message})

    terms = getattr(application, "terms", None)
    disbursed_on = terms.disbursed_on if terms else None
    if application.state != State.DISBURSED or disbursed_on is None:
        refuse("not_disbursed", f"only a running disbursed loan may be enrolled; this one is {application.state}")
    region = application.enterprise.region
    if region != programme.region:
        refuse("region", f"the enterprise's region ({region or 'none'}) is not the programme's ({programme.region})")
    if disbursed_on and not programme.valid_from <= disbursed_on <= programme.valid_until:
        refuse("outside_validity", f"disbursed on {disbursed_on}, outside the programme's validity "
                                   f"({programme.valid_from} to {programme.valid_until})")
    filing = register.filing_latest(application, "registered", "cancelled")
    registered_on = filing.registered_on if filing else None
    if registered_on is None or (disbursed_on and registered_on > disbursed_on):
        refuse("not_registered_before_disbursement",
               "the pledge must have been registered before the loan was disbursed")
    if ip_secured_amount is None or ip_secured_amount <= 0:
        refuse("ip_secured_amount_missing", "state the IP-secured amount of the loan")
    elif terms and ip_secured_amount > terms.amount:
        refuse("ip_secured_amount_exceeds_loan", f"the IP-secured amount may not exceed the loan ({terms.amount})")
    if programme.enrolments.filter(application=application).exists():
        refuse("already_enrolled", "the loan is already enrolled in this programme")
    if terms and ip_secured_amount and ip_secured_amount > 0:
        needed = _exposure(programme, application, min(ip_secured_amount, terms.amount))
        available = selectors.budget_use(programme).available(programme.budget)
        if needed > available:
            refuse("budget_exhausted", f"the programme has {available} of its budget left; this loan needs {needed}")
    return reasons


@transaction.atomic
def enrolment_create(
    *, application: PledgeApplication, programme: Programme, ip_secured_amount: Decimal | None, by
) -> Enrolment:
    _lending_officer(application=application, by=by, what="enrol its loan")
    # Enrolments of one programme queue here, so two cannot both spend its last budget.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    reasons = enrolment_refusals(programme=programme, application=application, ip_secured_amount=ip_secured_amount)
    if reasons:
        raise Conflict("the loan is not eligible: " + "; ".join(r["message"] for r in reasons),
                       code="not_eligible", details={"reasons": reasons})
    return Enrolment.objects.create(
        programme=programme, application=application, ip_secured_amount=ip_secured_amount,
        exposure=_exposure(programme, application, ip_secured_amount), enrolled_by=by,
    )


# --- repayments ----------------------------------------------------------------------------------


@transaction.atomic
def repayment_record(
    *, application: PledgeApplication, by, paid_on: dt.date, principal: Decimal, interest: Decimal
) -> Repayment:
    """What the borrower paid on one day; never more principal than is unpaid, never before disbursement."""
    _lending_officer(application=application, by=by, what="record a repayment")
    PledgeApplication.objects.select_for_update().filter(pk=application.pk).first()
    terms = getattr(application, "terms", None)
    if application.state not in REPAYABLE_STATES or terms is None or terms.disbursed_on is None:
        raise Conflict(f"repayments are recorded on a disbursed loan; this one is {application.state}",
                       code="not_disbursed", details={"state": application.state})
    if principal < 0 or interest < 0:
        raise _invalid("principal" if principal < 0 else "interest", "may not be negative")
    if principal == 0 and interest == 0:
        raise _invalid("principal", "a repayment pays some principal or some interest")
    if paid_on > timezone.localdate():
        raise _invalid("paid_on", "may not be in the future")
    if paid_on < terms.disbursed_on:
        raise _invalid("paid_on", f"may not be before disbursement ({terms.disbursed_on})")
    unpaid = calc.principal_unpaid(amount=terms.amount, repayments=selectors.repayments_of(application))
    if principal > unpaid:
        raise Conflict(f"only {unpaid} of the principal is unpaid", code="overpaid",
                       details={"principal_unpaid": str(unpaid)})
    return Repayment.objects.create(application=application, paid_on=paid_on, principal=principal, interest=interest,
                                    recorded_by=by)


# --- claims --------------------------------------------------------------------------------------


def _claims_standing(enrolment: Enrolment):
    return enrolment.claims.exclude(status=Claim.Status.REJECTED)


def _loss_figures(enrolment: Enrolment) -> dict:
    application, programme = enrolment.application, enrolment.programme
    terms = application.terms
    if application.state not in CLAIMABLE_LOSS_STATES:
        raise Conflict(f"a loss is claimed on a defaulted or disposed loan; this one is {application.state}",
                       code="not_in_default", details={"state": application.state})
    if _claims_standing(enrolment).exists():
        raise Conflict("this loan's loss is already claimed", code="already_claimed")
    repayments = selectors.repayments_of(application)
    defaulted_on = selectors.default_declared_on(application) or timezone.localdate()
    principal_unpaid = calc.principal_unpaid(amount=terms.amount, repayments=repayments)
    interest_due = calc.interest_due(amount=terms.amount, annual_rate=terms.annual_rate,
                                     disbursed_on=terms.disbursed_on, until=defaulted_on, repayments=repayments)
    proceeds = calc.cents(terms.disposal_proceeds or 0)
    loss = calc.loss(principal_unpaid=principal_unpaid, interest_due=interest_due, proceeds=proceeds)
    covered = calc.covered_loss(loss=loss, ip_secured_amount=enrolment.ip_secured_amount, loan_amount=terms.amount)
    if programme.kind == Kind.RISK_POOL:
        split = calc.loss_split(loss=covered, shares=programme.shares, cap_per_loan=programme.cap_per_loan)
        amount = split["pool"]
    else:  # guarantee insurance: the insurer's share, capped; the rest stays with the bank
        amount = calc.capped(covered * programme.share, programme.cap_per_loan)
        split = {"insurer": amount, "bank": covered - amount}
    return {
        "principal_unpaid": principal_unpaid, "interest_due": interest_due, "proceeds": proceeds, "loss": loss,
        "covered_loss": covered, "split": {party: str(part) for party, part in split.items()}, "amount": amount,
    }


def _subsidy_figures(enrolment: Enrolment, appraisal_fee: Decimal | None) -> dict:
    programme, terms = enrolment.programme, enrolment.application.terms
    earlier = sum((c.amount for c in _claims_standing(enrolment)), calc.ZERO)
    if programme.kind == Kind.INTEREST_SUBSIDY:
        paid = selectors.interest_paid(enrolment.application)
        total = calc.interest_subsidy(
            interest_paid=paid, annual_rate=terms.annual_rate, rate_cap=programme.rate_cap, share=programme.share,
            ip_secured_amount=enrolment.ip_secured_amount, loan_amount=terms.amount,
        )
        basis = paid
    else:  # evaluation fee subsidy: a share of the appraisal fee, capped per loan
        if appraisal_fee is None or appraisal_fee <= 0:
            raise _invalid("appraisal_fee", "state the appraisal fee paid")
        total = calc.capped(appraisal_fee * programme.share, programme.cap_per_loan)
        basis = appraisal_fee
    amount = calc.cents(min(total, enrolment.exposure) - earlier)
    if amount <= 0:
        raise Conflict("nothing more to claim on this loan", code="nothing_to_claim",
                       details={"claimed_before": str(earlier)})
    return {"basis": basis, "amount": amount}


@transaction.atomic
def claim_create(*, enrolment: Enrolment, by, appraisal_fee: Decimal | None = None) -> Claim:
    """The lending bank claims on an enrolled loan; its claim dossier is made with the claim."""
    application = enrolment.application
    _lending_officer(application=application, by=by, what="claim on its loan")
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()  # one claim at a time per loan
    if enrolment.programme.kind in LOSS_KINDS:
        figures = _loss_figures(enrolment)
    else:
        figures = _subsidy_figures(enrolment, appraisal_fee)
    claim = Claim.objects.create(enrolment=enrolment, claimed_by=by, **figures)
    entry = AuditEntry.objects.create(
        application=application, actor=by, actor_role=role_of(by) or "", transition=CLAIM_MADE,
        source_state=application.state, target_state=application.state,
        payload={"claim": claim.pk, "programme": enrolment.programme_id,
                 **{k: str(v) if isinstance(v, Decimal) else v for k, v in figures.items()}},
        outcome=AuditEntry.Outcome.SUCCEEDED,
    )
    claim.audit_entry = entry
    claim.save(update_fields=["audit_entry"])
    documents_create(application=application, audit_entry=entry)
    return claim


def _decidable(claim: Claim, by) -> Claim:
    office = _office(by)
    if claim.enrolment.programme.office_id != office.pk:
        raise PermissionRefused("only the programme's own office decides its claims", code="not_your_programme")
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING:
        raise Conflict(f"the claim is already {claim.status}", code="already_decided", details={"status": claim.status})
    return claim


@transaction.atomic
def claim_approve(*, claim: Claim, by, note: str = "") -> Claim:
    """Approve within the budget: what is paid already and this claim may not exceed it."""
    claim = _decidable(claim, by)
    programme = Programme.objects.select_for_update().get(pk=claim.enrolment.programme_id)
    paid = selectors.budget_use(programme).paid
    if paid + claim.amount > programme.budget:
        raise Conflict(f"the programme has paid {paid} of its budget of {programme.budget}; this claim would exceed it",
                       code="budget_exhausted", details={"paid": str(paid), "budget": str(programme.budget)})
    claim.status, claim.decided_by, claim.decided_at, claim.decision_note = (
        Claim.Status.APPROVED, by, timezone.now(), note)
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, by, note: str) -> Claim:
    claim = _decidable(claim, by)
    if not (note or "").strip():
        raise _invalid("note", "give the reason for rejecting the claim")
    claim.status, claim.decided_by, claim.decided_at, claim.decision_note = (
        Claim.Status.REJECTED, by, timezone.now(), note)
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return claim
