"""Reads of pledge applications, scoped to what the user may see. Every view starts here."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet

from accounts.roles import APPLICANT, BANK_ROLES, REGISTRAR, role_of
from core.compiled import CompiledQuery
from core.errors import NotVisible
from core.prefetch import RelatedRows, Rows, attach, related_query
from financing.models import REGISTRAR_STATES, AuditEntry, PledgeApplication, PledgedPatent, State
from valuation.selectors import valuations_current_attach


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


def scope_of(user) -> tuple[str, int | None]:
    """Which applications `user` sees, as (kind, the organisation's id): applicants their enterprise's,
    bank staff their bank's, registrars filed ones, admins all, anyone else none."""
    if not getattr(user, "is_authenticated", False):
        return "none", None
    role = role_of(user)
    if role == APPLICANT and user.enterprise_id:
        return "enterprise", user.enterprise_id
    if role in BANK_ROLES and user.bank_id:
        return "bank", user.bank_id
    if role == REGISTRAR:
        return "registrar", None
    if user.is_superuser:
        return "all", None
    return "none", None


def applications_in_scope(kind: str, organisation: int | None) -> QuerySet[PledgeApplication]:
    """The applications of a scope (scope_of): its filter, and nothing that depends on the user beyond it."""
    qs = PledgeApplication.objects.all()
    if kind == "enterprise":
        return qs.filter(enterprise_id=organisation)
    if kind == "bank":
        return qs.filter(bank_id=organisation)
    if kind == "registrar":
        return qs.filter(state__in=REGISTRAR_STATES)
    if kind == "all":
        return qs
    return qs.none()


def applications_visible_to(user) -> QuerySet[PledgeApplication]:
    """Applicants see their enterprise's; bank staff their bank's; registrars filed ones; admins all."""
    return applications_in_scope(*scope_of(user))


def _related(name: str):
    """The model of PledgeApplication's reverse relation `name` (filings, documents, ...), without
    importing the apps that own them."""
    return PledgeApplication._meta.get_field(name).related_model


# What details_attach reads, each compiled once per page size (core.prefetch.RelatedRows).
_PLEDGED_PATENTS = RelatedRows(lambda: PledgedPatent.objects.select_related("patent").order_by("id"), fk="application")
_FILINGS = RelatedRows(lambda: _related("filings").objects.all(), fk="application")
_DOCUMENTS = RelatedRows(lambda: _related("documents").objects.all(), fk="application")
_REPAYMENTS = RelatedRows(lambda: _related("repayments").objects.all(), fk="application")


def details_attach(applications: list[PledgeApplication]) -> list[PledgeApplication]:
    """Read onto already loaded applications (with their terms) what the API shows of them beyond
    their own row, bank, enterprise and terms: at most one query per relation for the whole page
    (core.prefetch, no QuerySet per application). Filings only of applications whose state says
    they have any, repayments only of disbursed loans; for one application its current valuation
    rides along with its patent rows (one query instead of two)."""
    for application in applications:
        cached = application.__dict__.setdefault("_prefetched_objects_cache", {})
        for name in ("pledged_patents", "filings", "valuations", "documents", "repayments"):
            cached[name] = Rows(query=related_query(application, name))
    attach(applications, "pledged_patents", _PLEDGED_PATENTS)
    after_filing = states_after_filing()
    attach([a for a in applications if a.state in after_filing], "filings", _FILINGS)
    valuations_current_attach(applications)
    attach(applications, "documents", _DOCUMENTS)
    disbursed = [a for a in applications if getattr(getattr(a, "terms", None), "disbursed_on", None)]
    attach(disbursed, "repayments", _REPAYMENTS)
    return applications


# The applications `ids` names within a scope, with bank, enterprise and terms: compiled once per
# scope kind and number of ids (core.compiled); compiling the three joins cost more than running them.
_with_joins = CompiledQuery(
    lambda kind, organisation, ids: applications_in_scope(kind, organisation)
    .select_related("bank", "enterprise", "terms").filter(pk__in=ids).order_by()
)


def _visible_with_joins(user, ids: list[int]) -> list[PledgeApplication]:
    kind, organisation = scope_of(user)
    return _with_joins(kind, organisation or 0, ids)  # 0: a scope without an organisation leaves it unused


def applications_in_order(*, user, ids: list[int]) -> list[PledgeApplication]:
    """A list page: the applications `ids` names (chosen and ordered on the index beforehand), with
    their details. Joining and prefetching only the page's rows is what keeps page 1000 as cheap as page 1."""
    by_id = {a.pk: a for a in _visible_with_joins(user, ids)}
    return details_attach([by_id[pk] for pk in ids if pk in by_id])


def application_for_transition(*, user, pk) -> PledgeApplication:
    """The application if `user` may see it, with what the transition rules read (the terms, for the
    four-eyes rule and the loan's dates): one query. 404 otherwise."""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise NotVisible("no such application", code="not_found") from None
    for application in _visible_with_joins(user, [pk]):
        return application
    raise NotVisible("no such application", code="not_found")


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
    """Read onto an already loaded application what the API shows of it, as the list does: after a
    transition the row itself is current in memory, only the related rows are read."""
    return details_attach([application])[0]


def application_get_visible(*, user, pk) -> PledgeApplication:
    """The application if `user` may see it; 404 otherwise (never 403: others' ids are not confirmed)."""
    try:
        application = applications_visible_to(user).select_related("bank", "enterprise", "terms").get(pk=pk)
    except (PledgeApplication.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such application", code="not_found") from None
    return details_attach([application])[0]


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
