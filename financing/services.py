"""Writes to pledge applications: create, edit, and one typed service per transition of WORKFLOW.md.

Every transition service runs through `_fire`, which authorises through django-fsm-2's own
permission and state checks, opens the atomic block, runs the transition's business rules,
fires the state machine, saves, writes the audit entry (refusals too), the stage's pending
documents and the outbox's event (events.services) in that transaction; only their queueing waits for the commit. Services take Python
values; the API validates payloads first
(financing.inputs) and `application_transition` keeps WORKFLOW.md's order of checks for it.
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
from decimal import Decimal
from typing import Any, Callable

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from accounts.roles import APPLICANT, role_of
from core.errors import Conflict, DomainError, NotVisible, PermissionRefused, ValidationFailed
from core.json import as_json
from documents.services import documents_create
from events.services import event_for_transition
from financing.models import TRANSITION_NAMES, AuditEntry, LoanTerms, PledgeApplication, PledgedPatent, State
from patents.models import Patent
from registration import services as registration
from valuation import services as valuation

logger = logging.getLogger(__name__)


# --- creating and editing a draft ---------------------------------------------------------


def _patents_for(*, enterprise, numbers: list[str]) -> list[Patent]:
    if len(set(numbers)) != len(numbers):
        raise ValidationFailed("a patent may be pledged only once per application", details={"patents": numbers})
    found = {p.number: p for p in Patent.objects.filter(number__in=numbers).prefetch_related("owners")}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise ValidationFailed(
            f"patents: not on the register: {', '.join(unknown)}", code="unknown_patent", details={"patents": unknown}
        )
    not_owned = [n for n in numbers if enterprise.pk not in {o.pk for o in found[n].owners.all()}]
    if not_owned:
        raise ValidationFailed(
            f"patents: {', '.join(not_owned)} not owned by {enterprise.name}",
            code="patent_not_owned",
            details={"patents": not_owned},
        )
    offices = {}
    for number in numbers:
        offices.setdefault("US" if found[number].jurisdiction == "US" else "CN", []).append(number)
    if len(offices) > 1:
        # One pledge is registered by one office: CNIPA under the 2021 Measures, or recorded at the USPTO,
        # each with its own papers, grounds and dates; a portfolio spanning both is two applications.
        raise ValidationFailed(
            "patents: a pledge is registered at one patent office; these span CNIPA "
            f"({', '.join(offices['CN'])}) and the USPTO ({', '.join(offices['US'])}): apply once per office",
            code="patents_span_offices",
            details={"patents": offices},
        )
    return [found[n] for n in numbers]


@transaction.atomic
def application_create(
    *,
    by,
    bank,
    patents: list[str],
    amount_requested: Decimal,
    currency: str,
    term_months: int,
    purpose: str = "",
    co_owner_consent: list[str] | None = None,
) -> PledgeApplication:
    if role_of(by) != APPLICANT or by.enterprise_id is None:
        raise PermissionRefused("only an enterprise's applicant may apply for a loan", code="role_not_allowed")
    enterprise = by.enterprise
    pledged = _patents_for(enterprise=enterprise, numbers=patents)
    application = PledgeApplication.objects.create(
        bank=bank,
        enterprise=enterprise,
        created_by=by,
        amount_requested=amount_requested,
        currency=currency,
        term_months=term_months,
        purpose=purpose,
    )
    _pledge(application, pledged, consent=co_owner_consent or [])
    return application


def _pledge(application: PledgeApplication, patents: list[Patent], *, consent: list[str]) -> None:
    """Make `patents` the application's pledge, noting which co-owned ones have every co-owner's consent."""
    consenting = set(consent)
    application.pledged_patents.all().delete()
    PledgedPatent.objects.bulk_create(
        PledgedPatent(application=application, patent=p, co_owner_consent=p.number in consenting) for p in patents
    )


@transaction.atomic
def application_update(
    *,
    application: PledgeApplication,
    by,
    bank=None,
    patents: list[str] | None = None,
    amount_requested: Decimal | None = None,
    currency: str | None = None,
    term_months: int | None = None,
    purpose: str | None = None,
    co_owner_consent: list[str] | None = None,
) -> PledgeApplication:
    """Edit a draft; an argument left None stays as it is."""
    if role_of(by) != APPLICANT or by.enterprise_id != application.enterprise_id:
        raise PermissionRefused("only the enterprise's applicant may edit its application", code="role_not_allowed")
    if application.state != State.DRAFT:
        raise Conflict(
            f"an application can be edited only in draft; this one is {application.state}",
            code="not_editable",
            details={"state": application.state},
        )
    changed = {"bank": bank, "amount_requested": amount_requested, "currency": currency,
               "term_months": term_months, "purpose": purpose}
    for field, value in changed.items():
        if value is not None:
            setattr(application, field, value)
    if patents is not None or co_owner_consent is not None:
        numbers = patents or [pp.patent.number for pp in application.pledged_patents.select_related("patent")]
        pledged = _patents_for(enterprise=application.enterprise, numbers=numbers)
        _pledge(application, pledged, consent=co_owner_consent or [])
    # The state is unchanged, but the optimistic lock still refuses to save over a concurrent transition.
    application.save()
    return application


# --- what every transition shares ------------------------------------------------------------

Rules = Callable[[], None]


def _transition_of(application: PledgeApplication, name: str):
    method = getattr(application, name)
    permission = next(iter(method._django_fsm.transitions.values())).permission
    return method, permission


def transition_authorise(*, application: PledgeApplication, name: str, by) -> None:
    """403 unless the caller's role may fire `name`; 409 if the state does not allow it; 403 four-eyes.

    Through django-fsm-2's public API: the transition's permission and `can_proceed`.
    """
    method, permission = _transition_of(application, name)
    role = role_of(by)
    if role not in permission.roles:
        raise PermissionRefused(
            f"a {role or 'user without a role'} may not {name}; it is for: {', '.join(permission.roles)}",
            code="role_not_allowed",
            details={"role": role, "allowed_roles": list(permission.roles)},
        )
    if not can_proceed(method, check_conditions=False):
        raise Conflict(
            f"cannot {name} an application that is {application.state}",
            code="transition_not_allowed",
            details={"state": application.state, "allowed_from": list(method._django_fsm.transitions)},
        )
    if not permission(application, by):
        raise PermissionRefused(
            "the approver must be a different person from the officer who recommended the terms",
            code="four_eyes",
        )


def _audit(*, application, by, name, source, target, payload, outcome, error: DomainError | None = None):
    try:
        payload = as_json(payload)
    except (TypeError, ValueError):
        payload = {"unserialisable": str(payload)[:2000]}
    return AuditEntry.objects.create(
        application=application,
        actor=by if getattr(by, "pk", None) else None,
        actor_role=role_of(by) or "",
        transition=name,
        source_state=source,
        target_state=target or "",
        payload=payload,
        outcome=outcome,
        error_code=error.code if error else "",
        message=error.message if error else "",
    )


def _refused(application, by, name, source, payload, error: DomainError) -> None:
    logger.info("refused %s on %s by %s: %s", name, application.pk, getattr(by, "pk", None), error.code)
    # The in-memory state may have moved before the save failed; the database did not.
    application.refresh_from_db(fields=["state"])
    _audit(
        application=application, by=by, name=name, source=source, target="",
        payload=payload, outcome=AuditEntry.Outcome.REFUSED, error=error,
    )


# SQLSTATEs of a lost race for a row lock: deadlock_detected, lock_not_available, serialization_failure.
LOCK_RACE_SQLSTATES = {"40P01", "55P03", "40001"}


def _lost_race(exc: DatabaseError) -> bool:
    """An IntegrityError (two writers numbered or inserted the same row) or a lost lock is a race, not a fault."""
    if isinstance(exc, IntegrityError):
        return True
    cause = exc.__cause__
    return isinstance(exc, OperationalError) and (
        getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    ) in LOCK_RACE_SQLSTATES


def _lock(application: PledgeApplication, source: str) -> None:
    """Lock the application's row for the transition; a state moved since the caller loaded it is a lost race.

    Concurrent transitions on one application queue here, so the rules that number or check rows
    (a filing's sequence, a pending filing, the latest change) see what the winner committed.
    """
    state = PledgeApplication.objects.select_for_update().filter(pk=application.pk).values_list("state", flat=True).first()
    if state != source:
        raise ConcurrentTransition(f"the application is {state} now, not {source}")


def _fire(*, application: PledgeApplication, by, name: str, values: dict, rules: Rules | None = None) -> PledgeApplication:
    """Lock, authorise, run `rules` and the state machine in one transaction, save, audit, create the documents.

    The stage's documents are rows of the same transaction, keyed on its audit entry; only handing
    them to the task queue waits for the commit. Any refusal, a lost race included, raises a
    core.errors.DomainError after one audit entry is written; nothing else changes.
    """
    source = application.state
    loaded = _row_values(application)
    try:
        transition_authorise(application=application, name=name, by=by)
        with transaction.atomic():
            if rules is not None:
                # Rules read and write other rows (filings, terms): they run behind the row lock so
                # that racing transitions queue. Without rules, the guarded UPDATE of save() alone
                # (ConcurrentTransitionMixin: ... WHERE state = source) turns a lost race into a 409.
                _lock(application, source)
                rules()
            getattr(application, name)()
            if application.state != source:
                application.state_changed_at = timezone.now()
            # Only the columns the transition changed (and updated_at): a shorter UPDATE, and no column
            # written back from what was loaded.
            application.save(update_fields=[*_changed(application, loaded), "updated_at"])
            entry = _audit(
                application=application, by=by, name=name, source=source, target=application.state,
                payload=values, outcome=AuditEntry.Outcome.SUCCEEDED,
            )
            documents_create(application=application, audit_entry=entry)
            event_for_transition(application=application, audit_entry=entry)
    except (ConcurrentTransition, TransitionNotAllowed) as exc:
        raise _race(application, by, name, source, values, exc) from exc
    except (IntegrityError, OperationalError) as exc:
        if not _lost_race(exc):
            raise
        logger.warning("%s on application %s lost a race: %s", name, application.pk, exc)
        raise _race(application, by, name, source, values, exc) from exc
    except DomainError as error:
        _refused(application, by, name, source, values, error)
        raise
    return application


def _row_values(application: PledgeApplication) -> dict[str, Any]:
    """The application's column values, mutable ones (JSON lists) copied."""
    return {
        f.attname: copy.deepcopy(value) if isinstance(value := getattr(application, f.attname), (list, dict)) else value
        for f in application._meta.concrete_fields
    }


def _changed(application: PledgeApplication, loaded: dict[str, Any]) -> list[str]:
    return [name for name, value in loaded.items() if getattr(application, name) != value and name != "updated_at"]


def _race(application, by, name, source, values, exc: Exception) -> Conflict:
    error = Conflict(
        "another change to this application was saved first; reload it and try again",
        code="concurrent_transition",
        details={"state_when_loaded": source, "reason": str(exc)[:500]},
    )
    _refused(application, by, name, source, values, error)
    return error


def _terms(application: PledgeApplication) -> LoanTerms:
    try:
        return application.terms
    except LoanTerms.DoesNotExist:
        raise Conflict("the application has no recommended terms", code="terms_missing") from None


def _required(value: str, field: str) -> None:
    if not (value or "").strip():
        raise ValidationFailed(f"{field}: may not be blank", details={field: ["may not be blank"]})


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(f"{field}: may not be in the future", details={field: ["may not be in the future"]})


def _not_before(day: dt.date, earlier: dt.date | None, field: str, what: str) -> None:
    if earlier and day < earlier:
        message = f"may not be before {what} ({earlier.isoformat()})"
        raise ValidationFailed(f"{field}: {message}", details={field: [message]})


def _loan_date(
    application: PledgeApplication, *, field: str, day: dt.date, earlier: Callable[[LoanTerms], dt.date | None],
    what: str,
) -> LoanTerms:
    """Record a day in the loan's life (signed, disbursed, repaid): not in the future, not before `earlier`."""
    terms = _terms(application)
    _not_in_future(day, field)
    _not_before(day, earlier(terms), field, what)
    setattr(terms, field, day)
    terms.save(update_fields=[field])
    return terms


# --- the transitions, in WORKFLOW.md's order ---------------------------------------------------


def application_submit(*, application: PledgeApplication, by, note: str = "") -> PledgeApplication:
    def rules():
        if not application.pledged_patents.exists():
            raise Conflict("an application must pledge at least one patent", code="no_patents")

    return _fire(application=application, by=by, name="submit", values={"note": note}, rules=rules)


def application_complete_valuation(
    *, application: PledgeApplication, by, valuation_date: dt.date, patents: list[dict], note: str = ""
) -> PledgeApplication:
    """`patents`: one entry per pledged patent, {"number", "income", "cost", "market", "quality", "weights"}."""
    values = {"valuation_date": valuation_date, "patents": patents, "note": note}

    def rules():
        valuation.valuation_complete(
            application=application, by=by, valuation_date=valuation_date, patents=patents, note=note
        )

    return _fire(application=application, by=by, name="complete_valuation", values=values, rules=rules)


def application_start_review(*, application: PledgeApplication, by, note: str = "") -> PledgeApplication:
    return _fire(application=application, by=by, name="start_review", values={"note": note})


def application_return_to_applicant(*, application: PledgeApplication, by, note: str) -> PledgeApplication:
    return _fire(application=application, by=by, name="return_to_applicant", values={"note": note},
                 rules=lambda: _required(note, "note"))


def application_request_revaluation(*, application: PledgeApplication, by, note: str) -> PledgeApplication:
    return _fire(application=application, by=by, name="request_revaluation", values={"note": note},
                 rules=lambda: _required(note, "note"))


def application_recommend(
    *, application: PledgeApplication, by, amount: Decimal, annual_rate: Decimal, term_months: int, note: str = ""
) -> PledgeApplication:
    values = {"amount": amount, "annual_rate": annual_rate, "term_months": term_months, "note": note}

    def rules():
        valuation.lending_check(application=application, amount=amount, term_months=term_months,
                                on=timezone.localdate())
        terms, _ = LoanTerms.objects.update_or_create(
            application=application,
            defaults={
                "amount": amount, "annual_rate": annual_rate, "term_months": term_months,
                "recommended_by": by, "recommended_at": timezone.now(),
                "approved_by": None, "approved_at": None,
            },
        )
        # Refresh the cached reverse relation, which the four-eyes rule reads.
        application.terms = terms

    return _fire(application=application, by=by, name="recommend", values=values, rules=rules)


def application_send_back(*, application: PledgeApplication, by, note: str) -> PledgeApplication:
    return _fire(application=application, by=by, name="send_back", values={"note": note},
                 rules=lambda: _required(note, "note"))


def application_approve(*, application: PledgeApplication, by, note: str = "") -> PledgeApplication:
    def rules():
        terms = _terms(application)
        valuation.lending_check(application=application, amount=terms.amount, term_months=terms.term_months,
                                on=timezone.localdate())
        terms.approved_by = by
        terms.approved_at = timezone.now()
        terms.save(update_fields=["approved_by", "approved_at"])

    return _fire(application=application, by=by, name="approve", values={"note": note}, rules=rules)


def application_reject(*, application: PledgeApplication, by, reasons: list[str], note: str = "") -> PledgeApplication:
    def rules():
        if not [reason for reason in reasons if reason.strip()]:
            raise ValidationFailed("reasons: give at least one reason", details={"reasons": ["give at least one reason"]})
        application.rejection_reasons = list(reasons)

    return _fire(application=application, by=by, name="reject", values={"reasons": reasons, "note": note},
                 rules=rules)


def application_sign_contracts(
    *, application: PledgeApplication, by, signed_on: dt.date, note: str = ""
) -> PledgeApplication:
    def rules():
        _loan_date(application, field="signed_on", day=signed_on, what="approval",
                   earlier=lambda terms: terms.approved_at and timezone.localdate(terms.approved_at))

    return _fire(application=application, by=by, name="sign_contracts",
                 values={"signed_on": signed_on, "note": note}, rules=rules)


def application_sign_filing(*, application: PledgeApplication, by, note: str = "") -> PledgeApplication:
    """The caller's side signs the filing particulars as they stand (registration.services.filing_sign)."""
    return _fire(application=application, by=by, name="sign_filing", values={"note": note},
                 rules=lambda: registration.filing_sign(application=application, by=by))


def application_file_registration(
    *,
    application: PledgeApplication,
    by,
    acknowledged: list[str] | tuple[str, ...] = (),
    ucc1_state: str = "",
    ucc1_file_number: str = "",
    note: str = "",
) -> PledgeApplication:
    """`acknowledged`: SAME_DAY_TWIN and/or INVALIDATION_PENDING where the parties accept them."""
    values = {"acknowledged": list(acknowledged), "note": note}
    if ucc1_state or ucc1_file_number:
        values.update(ucc1_state=ucc1_state, ucc1_file_number=ucc1_file_number)

    def rules():
        registration.filing_create(application=application, by=by, acknowledged=list(acknowledged),
                                   ucc1_state=ucc1_state, ucc1_file_number=ucc1_file_number)

    return _fire(application=application, by=by, name="file_registration", values=values, rules=rules)


def application_request_correction(
    *, application: PledgeApplication, by, defects: list[dict], note: str = ""
) -> PledgeApplication:
    """`defects`: [{"item", "message"}, ...]; the parties correct them and file again."""
    defects = [dict(defect) for defect in defects]
    return _fire(
        application=application, by=by, name="request_correction", values={"defects": defects, "note": note},
        rules=lambda: registration.filing_request_correction(
            application=application, by=by, defects=defects, note=note
        ),
    )


def application_register(
    *, application: PledgeApplication, by, reel: int | None = None, frame: int | None = None,
    recorded_on: dt.date | None = None, note: str = "",
) -> PledgeApplication:
    """A US filing needs the USPTO's notice of recordation: `reel`, `frame`, `recorded_on`; a Chinese one none."""
    values: dict[str, Any] = {"note": note}
    if reel is not None or frame is not None or recorded_on is not None:
        values.update(reel=reel, frame=frame, recorded_on=recorded_on)
    return _fire(application=application, by=by, name="register", values=values,
                 rules=lambda: registration.filing_register(
                     application=application, by=by, reel=reel, frame=frame, recorded_on=recorded_on))


def application_refuse_registration(
    *, application: PledgeApplication, by, grounds: list[str], reason: str = "", note: str = ""
) -> PledgeApplication:
    """`grounds`: codes of DOMAIN.md §3; OTHER needs `reason`."""
    values = {"grounds": grounds, "note": note}
    if reason:
        values["reason"] = reason
    return _fire(
        application=application, by=by, name="refuse_registration", values=values,
        rules=lambda: registration.filing_refuse(
            application=application, by=by, grounds=grounds, note=note, reason=reason
        ),
    )


def application_record_change(
    *, application: PledgeApplication, by, changes: dict[str, Any], effective_on: dt.date | None = None,
    note: str = "",
) -> PledgeApplication:
    """`changes`: the registered items that changed, by their names (registration CHANGEABLE_ITEMS)."""
    values = {"changes": changes, "effective_on": effective_on, "note": note}
    return _fire(
        application=application, by=by, name="record_change", values=values,
        rules=lambda: registration.registration_change_record(
            application=application, by=by, changes=changes, note=note, effective_on=effective_on
        ),
    )


def application_disburse(*, application: PledgeApplication, by, disbursed_on: dt.date, note: str = "") -> PledgeApplication:
    def rules():
        _loan_date(application, field="disbursed_on", day=disbursed_on, what="the contracts' signing",
                   earlier=lambda terms: terms.signed_on)

    return _fire(application=application, by=by, name="disburse",
                 values={"disbursed_on": disbursed_on, "note": note}, rules=rules)


def application_apply_cancellation(
    *, application: PledgeApplication, by, ground: str, repaid_on: dt.date | None = None, reason: str = "",
    evidence: str = "", note: str = "",
) -> PledgeApplication:
    """The parties apply to cancel the registration: `ground` debt_discharged (with `repaid_on`),
    pledgee_waived, contract_void or other (with `reason`). An enforced pledge is cancelled by `dispose`."""
    values = {"ground": ground, "repaid_on": repaid_on, "reason": reason, "evidence": evidence, "note": note}

    def rules():
        registration.cancellation_apply(application=application, by=by, ground=ground, repaid_on=repaid_on,
                                        reason=reason, evidence=evidence)
        if repaid_on is not None and ground == "debt_discharged":
            _loan_date(application, field="repaid_on", day=repaid_on, what="disbursement",
                       earlier=lambda terms: terms.disbursed_on or terms.signed_on)

    return _fire(application=application, by=by, name="apply_cancellation", values=values, rules=rules)


def application_release(
    *, application: PledgeApplication, by, effective_on: dt.date, note: str = ""
) -> PledgeApplication:
    """The registrar cancels the registration the parties applied to cancel, from `effective_on`."""
    def rules():
        _not_in_future(effective_on, "effective_on")
        registration.registration_cancel(application=application, by=by, on=effective_on)

    return _fire(application=application, by=by, name="release",
                 values={"effective_on": effective_on, "note": note}, rules=rules)


def application_declare_default(*, application: PledgeApplication, by, reason: str, note: str = "") -> PledgeApplication:
    def rules():
        _required(reason, "reason")
        terms = _terms(application)
        terms.default_reason = reason
        terms.save(update_fields=["default_reason"])

    return _fire(application=application, by=by, name="declare_default", values={"reason": reason, "note": note},
                 rules=rules)


DISPOSAL_METHODS = ("sale", "auction", "licence")


def application_dispose(
    *, application: PledgeApplication, by, method: str, proceeds: Decimal, note: str = ""
) -> PledgeApplication:
    def rules():
        if method not in DISPOSAL_METHODS:
            message = f"one of {', '.join(DISPOSAL_METHODS)}"
            raise ValidationFailed(f"method: {message}", details={"method": [message]})
        if proceeds < 0:
            raise ValidationFailed("proceeds: may not be negative", details={"proceeds": ["may not be negative"]})
        terms = _terms(application)
        terms.disposal_method = method
        terms.disposal_proceeds = proceeds
        terms.save(update_fields=["disposal_method", "disposal_proceeds"])
        # After enforcement the pledge has done its work: its registration is cancelled too (DOMAIN.md §2.9).
        registration.registration_cancel(application=application, by=by, on=timezone.localdate())

    return _fire(application=application, by=by, name="dispose",
                 values={"method": method, "proceeds": proceeds, "note": note}, rules=rules)


def application_withdraw(*, application: PledgeApplication, by, note: str = "") -> PledgeApplication:
    return _fire(application=application, by=by, name="withdraw", values={"note": note})


# transition name -> its service; the API and the scripted paths dispatch through this.
TRANSITIONS: dict[str, Callable[..., PledgeApplication]] = {
    "submit": application_submit,
    "complete_valuation": application_complete_valuation,
    "start_review": application_start_review,
    "return_to_applicant": application_return_to_applicant,
    "request_revaluation": application_request_revaluation,
    "recommend": application_recommend,
    "send_back": application_send_back,
    "approve": application_approve,
    "reject": application_reject,
    "sign_contracts": application_sign_contracts,
    "sign_filing": application_sign_filing,
    "file_registration": application_file_registration,
    "request_correction": application_request_correction,
    "register": application_register,
    "refuse_registration": application_refuse_registration,
    "record_change": application_record_change,
    "disburse": application_disburse,
    "apply_cancellation": application_apply_cancellation,
    "release": application_release,
    "declare_default": application_declare_default,
    "dispose": application_dispose,
    "withdraw": application_withdraw,
}
assert tuple(TRANSITIONS) == TRANSITION_NAMES


def application_transition(
    *, application: PledgeApplication, name: str, by, payload: Any, validate: Callable[[str, Any], dict]
) -> PledgeApplication:
    """Fire transition `name` from an outside payload, in WORKFLOW.md's order of checks.

    Role (403), state (409) and four-eyes (403) come before the payload: `validate(name, payload)`
    turns it into the typed service's keyword arguments or raises ValidationFailed (400). Every
    refusal is audited with the payload as sent; the typed service audits the rest.
    """
    service = TRANSITIONS.get(name)
    if service is None:
        raise NotVisible(f"no transition named {name!r}", code="unknown_transition")
    source = application.state
    try:
        transition_authorise(application=application, name=name, by=by)
        values = validate(name, payload)
    except DomainError as error:
        _refused(application, by, name, source, payload, error)
        raise
    return service(application=application, by=by, **values)
