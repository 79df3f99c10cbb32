"""Reads of pledge applications, scoped to what the user may see. Every view starts here."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.roles import APPLICANT, BANK_ROLES, REGISTRAR, role_of
from core.errors import NotVisible
from financing.models import REGISTRAR_STATES, AuditEntry, PledgeApplication, PledgedPatent
from valuation.selectors import valuations_prefetch


# What a registrar sees of the loan: the secured debt, never the bank's pricing or its valuation.
REGISTRAR_TERMS = ("amount", "term_months", "signed_on", "maturity_date", "repaid_on")


@dataclass(frozen=True)
class CreditView:
    """How much of an application's credit internals a user sees (DOMAIN.md §1)."""

    terms: tuple[str, ...] | None  # the LoanTerms fields shown; None: all of them
    valuation: bool


def credit_view_of(user) -> CreditView:
    """Registrars see registrations, not credit internals; everyone who sees an application otherwise sees all."""
    if role_of(user) == REGISTRAR:
        return CreditView(terms=REGISTRAR_TERMS, valuation=False)
    return CreditView(terms=None, valuation=True)


def applications_visible_to(user) -> QuerySet[PledgeApplication]:
    """Applicants see their enterprise's; bank staff their bank's; registrars filed ones; admins all."""
    qs = PledgeApplication.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    role = role_of(user)
    if role == APPLICANT and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    if role in BANK_ROLES and user.bank_id:
        return qs.filter(bank_id=user.bank_id)
    if role == REGISTRAR:
        return qs.filter(state__in=REGISTRAR_STATES)
    if user.is_superuser:
        return qs
    return qs.none()


def applications_for_listing(user) -> QuerySet[PledgeApplication]:
    """Visible applications with everything the API shows fetched in a fixed number of queries."""
    return applications_visible_to(user).select_related("bank", "enterprise", "terms").prefetch_related(
        Prefetch("pledged_patents", queryset=PledgedPatent.objects.select_related("patent").order_by("id")),
        "filings",
        valuations_prefetch(),
        "documents",
    )


def application_get_visible(*, user, pk) -> PledgeApplication:
    """The application if `user` may see it; 404 otherwise (never 403: others' ids are not confirmed)."""
    try:
        return applications_for_listing(user).get(pk=pk)
    except (PledgeApplication.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such application", code="not_found") from None


def audit_entries_for(*, application: PledgeApplication) -> QuerySet[AuditEntry]:
    return application.audit_entries.select_related("actor").order_by("at", "id")


def deadline_of(application: PledgeApplication):
    """The registrar's deadline while a filing awaits a decision (filings prefetched or not); None otherwise."""
    if application.state != "registration_filed":
        return None
    filings = sorted(application.filings.all(), key=lambda f: f.sequence)
    return filings[-1].deadline if filings else None
