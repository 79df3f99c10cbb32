"""Writes to pledge applications: every state change goes through here."""
from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any, Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed
from rest_framework import serializers

from accounts.roles import APPLICANT, role_of
from core.errors import Conflict, DomainError, NotVisible, PermissionRefused, ValidationFailed
from documents.services import documents_queue
from financing.models import TRANSITION_NAMES, AuditEntry, LoanTerms, PledgeApplication, PledgedPatent, State
from financing.serializers import TRANSITION_PAYLOADS
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
def application_update(*, application: PledgeApplication, by, data: dict[str, Any]) -> PledgeApplication:
    if role_of(by) != APPLICANT or by.enterprise_id != application.enterprise_id:
        raise PermissionRefused("only the enterprise's applicant may edit its application", code="role_not_allowed")
    if application.state != State.DRAFT:
        raise Conflict(
            f"an application can be edited only in draft; this one is {application.state}",
            code="not_editable",
            details={"state": application.state},
        )
    for field in ("bank", "amount_requested", "currency", "term_months", "purpose"):
        if field in data:
            setattr(application, field, data[field])
    if "patents" in data or "co_owner_consent" in data:
        numbers = data.get("patents") or [pp.patent.number for pp in application.pledged_patents.select_related("patent")]
        pledged = _patents_for(enterprise=application.enterprise, numbers=numbers)
        _pledge(application, pledged, consent=data.get("co_owner_consent") or [])
    # The state is unchanged, but the optimistic lock still refuses to save over a concurrent transition.
    application.save()
    return application


# --- the transitions ------------------------------------------------------------------------
# Each handler runs the business rules of one transition inside the transaction, before the
# state machine moves; raising rolls back everything it wrote.

Handler = Callable[..., None]


def _terms(application: PledgeApplication) -> LoanTerms:
    try:
        return application.terms
    except LoanTerms.DoesNotExist:
        raise Conflict("the application has no recommended terms", code="terms_missing") from None


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(f"{field}: may not be in the future", details={field: ["may not be in the future"]})


def _not_before(day: dt.date, earlier: dt.date | None, field: str, what: str) -> None:
    if earlier and day < earlier:
        message = f"may not be before {what} ({earlier.isoformat()})"
        raise ValidationFailed(f"{field}: {message}", details={field: [message]})


def _submit(*, application, by, data):
    if not application.pledged_patents.exists():
        raise Conflict("an application must pledge at least one patent", code="no_patents")


def _complete_valuation(*, application, by, data):
    valuation.valuation_complete(application=application, by=by, data=data)


def _recommend(*, application, by, data):
    valuation.lending_check(
        application=application, amount=data["amount"], term_months=data["term_months"], on=timezone.localdate()
    )
    terms, _ = LoanTerms.objects.update_or_create(
        application=application,
        defaults={
            "amount": data["amount"],
            "annual_rate": data["annual_rate"],
            "term_months": data["term_months"],
            "recommended_by": by,
            "recommended_at": timezone.now(),
            "approved_by": None,
            "approved_at": None,
        },
    )
    # Refresh the cached reverse relation, which the four-eyes rule reads.
    application.terms = terms


def _approve(*, application, by, data):
    terms = _terms(application)
    valuation.lending_check(
        application=application, amount=terms.amount, term_months=terms.term_months, on=timezone.localdate()
    )
    terms.approved_by = by
    terms.approved_at = timezone.now()
    terms.save(update_fields=["approved_by", "approved_at"])


def _reject(*, application, by, data):
    application.rejection_reasons = data["reasons"]


def _sign_contracts(*, application, by, data):
    terms = _terms(application)
    _not_in_future(data["signed_on"], "signed_on")
    _not_before(data["signed_on"], terms.approved_at and timezone.localdate(terms.approved_at), "signed_on", "approval")
    terms.signed_on = data["signed_on"]
    terms.save(update_fields=["signed_on"])


def _file_registration(*, application, by, data):
    registration.filing_create(
        application=application,
        by=by,
        acknowledged=data["acknowledged"],
        ucc1_state=data.get("ucc1_state", ""),
        ucc1_file_number=data.get("ucc1_file_number", ""),
    )


def _register(*, application, by, data):
    registration.filing_register(application=application, by=by)


def _refuse_registration(*, application, by, data):
    registration.filing_refuse(application=application, by=by, grounds=data["grounds"], note=data["note"])


def _record_change(*, application, by, data):
    registration.registration_change_record(
        application=application, by=by, changes=data["changes"], note=data["note"], effective_on=data.get("effective_on")
    )


def _disburse(*, application, by, data):
    terms = _terms(application)
    _not_in_future(data["disbursed_on"], "disbursed_on")
    _not_before(data["disbursed_on"], terms.signed_on, "disbursed_on", "the contracts' signing")
    terms.disbursed_on = data["disbursed_on"]
    terms.save(update_fields=["disbursed_on"])


def _release(*, application, by, data):
    terms = _terms(application)
    _not_in_future(data["repaid_on"], "repaid_on")
    _not_before(data["repaid_on"], terms.disbursed_on, "repaid_on", "disbursement")
    terms.repaid_on = data["repaid_on"]
    terms.save(update_fields=["repaid_on"])
    registration.registration_cancel(application=application, by=by, on=data["repaid_on"])


def _declare_default(*, application, by, data):
    terms = _terms(application)
    terms.default_reason = data["reason"]
    terms.save(update_fields=["default_reason"])


def _dispose(*, application, by, data):
    terms = _terms(application)
    terms.disposal_method = data["method"]
    terms.disposal_proceeds = data["proceeds"]
    terms.save(update_fields=["disposal_method", "disposal_proceeds"])
    # After enforcement the pledge has done its work: its registration is cancelled too (DOMAIN.md §2.9).
    registration.registration_cancel(application=application, by=by, on=timezone.localdate())


def _nothing(*, application, by, data):
    return None


HANDLERS: dict[str, Handler] = {
    "submit": _submit,
    "complete_valuation": _complete_valuation,
    "start_review": _nothing,
    "return_to_applicant": _nothing,
    "request_revaluation": _nothing,
    "recommend": _recommend,
    "send_back": _nothing,
    "approve": _approve,
    "reject": _reject,
    "sign_contracts": _sign_contracts,
    "file_registration": _file_registration,
    "register": _register,
    "refuse_registration": _refuse_registration,
    "record_change": _record_change,
    "disburse": _disburse,
    "release": _release,
    "declare_default": _declare_default,
    "dispose": _dispose,
    "withdraw": _nothing,
}
assert set(HANDLERS) == set(TRANSITION_NAMES) == set(TRANSITION_PAYLOADS)


def _json_safe(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        return {"unserialisable": str(value)[:2000]}


def _audit(*, application, by, name, source, target, payload, outcome, error: DomainError | None = None):
    return AuditEntry.objects.create(
        application=application,
        actor=by if getattr(by, "pk", None) else None,
        actor_role=role_of(by) or "",
        transition=name,
        source_state=source,
        target_state=target or "",
        payload=_json_safe(payload),
        outcome=outcome,
        error_code=error.code if error else "",
        message=error.message if error else "",
    )


def _authorise(application: PledgeApplication, name: str, by) -> None:
    """403 unless the caller's role may fire `name`; 409 if the state does not allow it."""
    method = getattr(application, name)
    permission = next(iter(method._django_fsm.transitions.values())).permission
    role = role_of(by)
    if role not in permission.roles:
        raise PermissionRefused(
            f"a {role or 'user without a role'} may not {name}; it is for: {', '.join(permission.roles)}",
            code="role_not_allowed",
            details={"role": role, "allowed_roles": list(permission.roles)},
        )
    if not can_proceed(method, check_conditions=False):
        allowed_from = [s for s in method._django_fsm.transitions]
        raise Conflict(
            f"cannot {name} an application that is {application.state}",
            code="transition_not_allowed",
            details={"state": application.state, "allowed_from": allowed_from},
        )
    if not permission(application, by):
        raise PermissionRefused(
            "the approver must be a different person from the officer who recommended the terms",
            code="four_eyes",
        )


def _validate(name: str, payload: dict) -> dict:
    serializer = TRANSITION_PAYLOADS[name](data=payload)
    if not serializer.is_valid():
        raise ValidationFailed.from_details(serializer.errors)
    return dict(serializer.validated_data)


def application_transition(*, application: PledgeApplication, name: str, by, payload: dict | None = None) -> PledgeApplication:
    """Fire transition `name` for `by`, with the WORKFLOW.md payload; audited whatever the outcome.

    Refusals raise a core.errors.DomainError (403, 409 or 400) after an audit entry is written;
    nothing else is changed. Documents are queued only once the change is committed.
    """
    if name not in TRANSITION_NAMES:
        raise NotVisible(f"no transition named {name!r}", code="unknown_transition")
    payload = payload if isinstance(payload, dict) else {}
    source = application.state
    try:
        _authorise(application, name, by)
        data = _validate(name, payload)
        with transaction.atomic():
            HANDLERS[name](application=application, by=by, data=data)
            getattr(application, name)()
            if application.state != source:
                application.state_changed_at = timezone.now()
            application.save()
            _audit(
                application=application, by=by, name=name, source=source, target=application.state,
                payload=payload, outcome=AuditEntry.Outcome.SUCCEEDED,
            )
            transaction.on_commit(lambda: documents_queue(application_id=application.pk, transition=name))
    except (ConcurrentTransition, TransitionNotAllowed) as exc:
        error = Conflict(
            "another change to this application was saved first; reload it and try again",
            code="concurrent_transition",
            details={"state_when_loaded": source, "reason": str(exc)},
        )
        _refused(application, by, name, source, payload, error)
        raise error from exc
    except serializers.ValidationError as exc:
        error = ValidationFailed.from_details(exc.detail)
        _refused(application, by, name, source, payload, error)
        raise error from exc
    except DomainError as error:
        _refused(application, by, name, source, payload, error)
        raise
    return application


def _refused(application, by, name, source, payload, error: DomainError) -> None:
    logger.info("refused %s on %s by %s: %s", name, application.pk, getattr(by, "pk", None), error.code)
    # The in-memory state may have moved before the save failed; the database did not.
    application.refresh_from_db(fields=["state"])
    _audit(
        application=application, by=by, name=name, source=source, target="",
        payload=payload, outcome=AuditEntry.Outcome.REFUSED, error=error,
    )
