"""Reads of pledge applications, scoped to what the user may see. Every view starts here."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from accounts.roles import APPLICANT, BANK_ROLES, REGISTRAR, role_of
from core.errors import NotVisible
from financing.models import REGISTRAR_STATES, AuditEntry, PledgeApplication, PledgedPatent, State
from valuation.selectors import valuations_current_in_one_query, valuations_prefetch


# What a registrar sees of the loan: the secured debt, never the bank's pricing or its valuation.
REGISTRAR_TERMS = ("amount", "term_months", "signed_on", "maturity_date", "repaid_on")

# The registration itself: filed with the registrar or decided by them. Its audit entries are theirs to
# read whole; of the credit process before it they see only what it set of the terms above.
REGISTRATION_TRANSITIONS = frozenset({
    "sign_filing", "file_registration", "request_correction", "register", "refuse_registration", "record_change",
    "apply_cancellation", "release",
})


@dataclass(frozen=True)
class CreditView:
    """How much of an application's credit internals a user sees (DOMAIN.md §1)."""

    terms: tuple[str, ...] | None  # the LoanTerms fields shown; None: all of them
    valuation: bool

    def audit_entry_shown(self, entry: AuditEntry) -> AuditEntry:
        """The entry as this view may read it: whole, or cut to the terms shown.

        Cut, a credit transition keeps only the payload keys that are shown terms (a recommendation's
        amount and term, never its rate; nothing of an appraiser's inputs) and loses its message, which
        may quote credit internals (a refused recommendation names the valuation's loan cap).
        """
        if self.terms is None or entry.transition in REGISTRATION_TRANSITIONS:
            return entry
        shown = copy.copy(entry)  # a copy: the caller's instance, and the audit row, stay as recorded
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        shown.payload = {key: value for key, value in payload.items() if key in self.terms}
        shown.message = ""
        return shown


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


def _details_prefetches() -> tuple:
    """What the API shows of an application beyond its own row, bank, enterprise and terms."""
    return (
        Prefetch("pledged_patents", queryset=PledgedPatent.objects.select_related("patent").order_by("id")),
        "filings",
        valuations_prefetch(),
        "documents",
    )


def applications_for_listing(user) -> QuerySet[PledgeApplication]:
    """Visible applications with everything the API shows fetched in a fixed number of queries."""
    return applications_visible_to(user).select_related("bank", "enterprise", "terms").prefetch_related(
        *_details_prefetches(), "repayments"
    )


def applications_in_order(*, user, ids: list[int]) -> list[PledgeApplication]:
    """A list page: the applications `ids` names (chosen and ordered on the index beforehand), with
    their details. Joining and prefetching only the page's rows is what keeps page 1000 as cheap as page 1."""
    by_id = {a.pk: a for a in applications_for_listing(user).filter(pk__in=ids).order_by()}
    return [by_id[pk] for pk in ids if pk in by_id]


def application_for_transition(*, user, pk) -> PledgeApplication:
    """The application if `user` may see it, with what the transition rules read (the terms, for the
    four-eyes rule and the loan's dates): one query. 404 otherwise."""
    try:
        return applications_visible_to(user).select_related("bank", "enterprise", "terms").get(pk=pk)
    except (PledgeApplication.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such application", code="not_found") from None


@cache
def states_after_filing() -> frozenset[str]:
    """The states an application can be in once a registration was filed: those the state machine
    (financing.models, its one declaration) reaches from registration_filed. In any other state
    it has no filing, since filing is the file_registration transition."""
    transitions = PledgeApplication._meta.get_field("state").get_all_transitions(PledgeApplication)
    edges = [(t.source, t.target) for t in transitions]
    reached, frontier = {State.REGISTRATION_FILED.value}, [State.REGISTRATION_FILED.value]
    while frontier:
        state = frontier.pop()
        for source, target in edges:
            if source in (state, "*") and target and target not in reached:
                reached.add(target)
                frontier.append(target)
    return frozenset(reached)


def application_with_details(application: PledgeApplication) -> PledgeApplication:
    """Fetch onto an already loaded application what the API shows of it, as the list does: after a
    transition the row itself is current in memory, only the related rows are read (and not the
    filings of an application whose state says it has none)."""
    cached = application.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in ("pledged_patents", "filings", "valuations", "documents"):
        cached.pop(name, None)
    if application.state not in states_after_filing():
        cached["filings"] = application.filings.none()
    # The current valuation and its patents in one query rather than a prefetch's two.
    cached["valuations"] = valuations_current_in_one_query(application)
    prefetch_related_objects([application], *_details_prefetches())
    return application


def application_get_visible(*, user, pk) -> PledgeApplication:
    """The application if `user` may see it; 404 otherwise (never 403: others' ids are not confirmed)."""
    try:
        return applications_for_listing(user).get(pk=pk)
    except (PledgeApplication.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such application", code="not_found") from None


def audit_entries_for(*, application: PledgeApplication) -> QuerySet[AuditEntry]:
    """Every audit entry of the application as recorded, oldest first: for services and tasks, not for callers."""
    return application.audit_entries.select_related("actor").order_by("at", "id")


def deadline_of(application: PledgeApplication):
    """The registrar's deadline while a filing awaits a decision (filings prefetched or not); None otherwise."""
    if application.state != "registration_filed":
        return None
    filings = sorted(application.filings.all(), key=lambda f: f.sequence)
    return filings[-1].deadline if filings else None


class AuditHistory:
    """An application's audit entries as one user may read them, paged by the database.

    Slicing (what a paginator does) fetches only that slice and passes each entry through the
    user's CreditView, so a long history is never loaded whole to be cut.
    """

    def __init__(self, entries: QuerySet[AuditEntry], view: CreditView):
        self._entries, self._view = entries, view

    def count(self) -> int:
        return self._entries.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._view.audit_entry_shown(entry) for entry in self._entries[index]]
        return self._view.audit_entry_shown(self._entries[index])

    def __iter__(self):
        return (self._view.audit_entry_shown(entry) for entry in self._entries)


def audit_history_visible_to(*, user, application: PledgeApplication) -> AuditHistory:
    """The history of an application `user` already sees (application_get_visible), cut to their CreditView."""
    return AuditHistory(audit_entries_for(application=application), credit_view_of(user))
