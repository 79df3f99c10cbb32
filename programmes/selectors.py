"""Reads of programmes, enrolments, repayments, claims and loan ledgers, scoped to who may see them.

An office sees its own programmes and its region's enrolments and claims; a bank's staff read the
programmes of their regions (the bank's own and its borrowers') and only their own bank's loans.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Enterprise
from accounts.roles import BANK_ROLES, IP_OFFICE, role_of
from core.errors import NotVisible
from financing.models import PledgeApplication, State
from programmes import calculations as calc
from programmes.models import Claim, Enrolment, Kind, Programme, Repayment

# Loans whose debt the bank still carries on its books; a released loan was repaid, a disposed one enforced.
OPEN_LOAN_STATES = (State.DISBURSED, State.DEFAULTED, "cancellation_applied")
NON_PERFORMING_STATES = (State.DEFAULTED, State.DISPOSED)


def office_of(user):
    return user.ip_office if role_of(user) == IP_OFFICE and user.ip_office_id else None


def bank_regions(bank) -> QuerySet:
    """The regions a bank lends in: its own and its borrowers'."""
    borrowers = Enterprise.objects.filter(applications__bank=bank).exclude(region="").values("region")
    return Q(region=bank.region) | Q(region__in=borrowers) if bank.region else Q(region__in=borrowers)


def programmes_visible_to(user) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("office").prefetch_related(
        Prefetch("enrolments", queryset=Enrolment.objects.prefetch_related("claims"))
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if office := office_of(user):
        return qs.filter(office=office)
    if role_of(user) in BANK_ROLES and user.bank_id:
        return qs.filter(bank_regions(user.bank))
    return qs if user.is_superuser else qs.none()


def programme_get_visible(*, user, pk) -> Programme:
    try:
        return programmes_visible_to(user).get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such programme", code="not_found") from None


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.select_related("programme", "application__enterprise", "application__bank",
                                          "application__terms")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if office := office_of(user):
        return qs.filter(programme__office=office)
    if role_of(user) in BANK_ROLES and user.bank_id:
        return qs.filter(application__bank_id=user.bank_id)
    return qs if user.is_superuser else qs.none()


def enrolment_get_visible(*, user, pk) -> Enrolment:
    try:
        return enrolments_visible_to(user).get(pk=pk)
    except (Enrolment.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such enrolment", code="not_found") from None


def claims_visible_to(user) -> QuerySet[Claim]:
    qs = Claim.objects.select_related(
        "enrolment__programme", "enrolment__application__enterprise", "enrolment__application__bank",
        "claimed_by", "decided_by", "audit_entry",
    ).prefetch_related("audit_entry__documents")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if office := office_of(user):
        return qs.filter(enrolment__programme__office=office)
    if role_of(user) in BANK_ROLES and user.bank_id:
        return qs.filter(enrolment__application__bank_id=user.bank_id)
    return qs if user.is_superuser else qs.none()


def claims_visible_to_system() -> QuerySet[Claim]:
    """Every claim, for the documents service gathering a dossier (it acts for no user)."""
    return Claim.objects.select_related("enrolment__programme__office")


def claim_get_visible(*, user, pk) -> Claim:
    try:
        return claims_visible_to(user).get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such claim", code="not_found") from None


# --- a programme's budget ------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetUse:
    committed: Decimal
    paid: Decimal

    def available(self, budget: Decimal) -> Decimal:
        return calc.cents(budget - self.committed - self.paid)


def budget_use(programme: Programme) -> BudgetUse:
    """Paid: approved claims. Committed: what enrolled loans may still draw, each at most its exposure.

    A loss claim settles its loan, so once one is approved nothing more stays committed for it.
    """
    committed = paid = calc.ZERO
    for enrolment in programme.enrolments.all():
        approved = [c for c in enrolment.claims.all() if c.status == Claim.Status.APPROVED]
        drawn = sum((c.amount for c in approved), calc.ZERO)
        paid += drawn
        settled = approved and programme.kind in (Kind.RISK_POOL, Kind.GUARANTEE_INSURANCE)
        if not settled:
            committed += max(enrolment.exposure - drawn, calc.ZERO)
    return BudgetUse(committed=calc.cents(committed), paid=calc.cents(paid))


# --- a loan's ledger -----------------------------------------------------------------------------


def repayments_of(application) -> list[calc.Repayment]:
    prefetched = getattr(application, "_prefetched_objects_cache", {}).get("repayments")
    rows = prefetched if prefetched is not None else Repayment.objects.filter(application=application)
    return [calc.Repayment(paid_on=r.paid_on, principal=r.principal, interest=r.interest) for r in rows]


def _terms(application):
    return getattr(application, "terms", None) if application.pk else None


def outstanding_principal(application, repayments: list[calc.Repayment] | None = None) -> Decimal:
    """Principal the bank still carries: none before disbursement, nor once the loan was repaid or enforced."""
    terms = _terms(application)
    if terms is None or terms.disbursed_on is None or application.state not in OPEN_LOAN_STATES:
        return calc.ZERO
    repayments = repayments_of(application) if repayments is None else repayments
    return calc.principal_unpaid(amount=terms.amount, repayments=repayments)


def interest_paid(application, repayments: list[calc.Repayment] | None = None) -> Decimal:
    return calc.interest_paid(repayments_of(application) if repayments is None else repayments)


def default_declared_on(application) -> dt.date | None:
    entry = application.audit_entries.filter(transition="declare_default", outcome="succeeded").order_by("-id").first()
    return timezone.localdate(entry.at) if entry else None


def non_performing(application, *, on: dt.date, repayments: list[calc.Repayment] | None = None) -> bool:
    """Defaulted or enforced, or principal unpaid more than PLEDGEFLOW_NPL_OVERDUE_DAYS past the loan's last day."""
    if application.state in NON_PERFORMING_STATES:
        return True
    terms = _terms(application)
    if terms is None or terms.disbursed_on is None or application.state not in OPEN_LOAN_STATES:
        return False
    repayments = repayments_of(application) if repayments is None else repayments
    overdue = calc.days_overdue(
        maturity=terms.maturity_date, principal_unpaid=calc.principal_unpaid(amount=terms.amount, repayments=repayments),
        on=on,
    )
    return overdue > settings.PLEDGEFLOW_NPL_OVERDUE_DAYS


def applications_for_office(user) -> QuerySet[PledgeApplication]:
    """The disbursed loans of the office's region (what its statistics count)."""
    office = office_of(user)
    if office is None:
        return PledgeApplication.objects.none()
    return PledgeApplication.objects.filter(enterprise__region=office.region, terms__disbursed_on__isnull=False)


# --- statistics ----------------------------------------------------------------------------------


def statistics_loans(*, user, region: str | None, bank: int | None, date_from: dt.date | None,
                     date_to: dt.date | None) -> QuerySet[PledgeApplication]:
    """The loans disbursed in the period that `user` may count: an office its region's, a bank its own."""
    from core.errors import PermissionRefused

    loans = PledgeApplication.objects.filter(terms__disbursed_on__isnull=False)
    role = role_of(user)
    if office := office_of(user):
        if region and region != office.region:
            raise PermissionRefused(f"an office reads its own region's statistics ({office.region}) only",
                                    code="not_your_region")
        loans = loans.filter(enterprise__region=office.region)
    elif role in BANK_ROLES and user.bank_id:
        if bank and bank != user.bank_id:
            raise PermissionRefused("a bank reads its own statistics only", code="not_your_bank")
        loans = loans.filter(bank_id=user.bank_id)
    elif not getattr(user, "is_superuser", False):
        raise PermissionRefused("statistics are for local IP offices and banks", code="role_not_allowed")
    if region:
        loans = loans.filter(enterprise__region=region)
    if bank:
        loans = loans.filter(bank_id=bank)
    if date_from:
        loans = loans.filter(terms__disbursed_on__gte=date_from)
    if date_to:
        loans = loans.filter(terms__disbursed_on__lte=date_to)
    return loans


def loan_rows(loans: QuerySet[PledgeApplication], *, on: dt.date) -> list[calc.LoanRow]:
    """Each loan as the statistics count it, as it stands on `on`; a fixed number of queries."""
    from valuation.models import PatentValuation

    loans = list(loans.select_related("bank", "terms").prefetch_related("repayments").order_by("id"))
    high_value: dict[int, set[str]] = {}
    for application_id, number in PatentValuation.objects.filter(
        valuation__application__in=[a.pk for a in loans], valuation__superseded_at__isnull=True, high_value=True,
    ).values_list("valuation__application_id", "patent__number"):
        high_value.setdefault(application_id, set()).add(number)
    rows = []
    for application in loans:
        repayments = repayments_of(application)
        rows.append(calc.LoanRow(
            bank_id=application.bank_id, bank_name=application.bank.name, enterprise_id=application.enterprise_id,
            amount=application.terms.amount, disbursed_on=application.terms.disbursed_on,
            outstanding_principal=outstanding_principal(application, repayments),
            non_performing=non_performing(application, on=on, repayments=repayments),
            high_value_patents=frozenset(high_value.get(application.pk, ())),
        ))
    return rows


def statistics_for(*, user, region: str | None = None, bank: int | None = None, date_from: dt.date | None = None,
                   date_to: dt.date | None = None, on: dt.date | None = None) -> dict:
    loans = statistics_loans(user=user, region=region, bank=bank, date_from=date_from, date_to=date_to)
    rows = loan_rows(loans, on=on or timezone.localdate())
    return calc.statistics(rows, inclusive_limit=settings.PLEDGEFLOW_INCLUSIVE_LOAN_LIMIT)
