"""Writes to the patent register: add a patent, change one. Every write goes through the register's rules (patents.rules)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Enterprise
from accounts.roles import REGISTRAR, role_of
from core.errors import PermissionRefused, ValidationFailed
from patents import rules
from patents.models import Patent

NUMBER_TAKEN = "a patent with this number is already on the register"


class PatentChanges(TypedDict, total=False):
    """What `patent_update` may change; a field left out keeps its value."""

    number: str
    jurisdiction: str
    kind: str
    title: str
    filing_date: dt.date
    grant_date: dt.date | None
    owners: Iterable[Enterprise]
    status: str
    annual_fee_paid_until: dt.date | None
    ownership_frozen: bool
    invalidation_pending: bool
    same_day_twin: bool
    foreign_family: bool
    strategic_industry: bool
    award: str
    term_adjustment_days: int


def may_write_register(user) -> bool:
    """Registrars and administrators keep the register; everyone else reads it."""
    return bool(getattr(user, "is_superuser", False) or role_of(user) == REGISTRAR)


def patent_create(
    *,
    by,
    number: str,
    title: str,
    filing_date: dt.date,
    grant_date: dt.date | None = None,
    owners: Iterable[Enterprise] = (),
    jurisdiction: str | None = None,
    kind: str | None = None,
    status: str = Patent.Status.IN_FORCE,
    annual_fee_paid_until: dt.date | None = None,
    ownership_frozen: bool = False,
    invalidation_pending: bool = False,
    same_day_twin: bool = False,
    foreign_family: bool = False,
    strategic_industry: bool = False,
    award: str = "",
    term_adjustment_days: int = 0,
) -> Patent:
    """Add a patent to the register. `by` is the registrar or administrator, or None for the server
    itself (a management command run by its operator).

    Jurisdiction and kind are read from the number; given ones must agree. Raises PermissionRefused
    (403), or ValidationFailed (400) naming every field that breaks a rule.
    """
    _authorise(by)
    values = {
        "number": number, "jurisdiction": jurisdiction, "kind": kind, "title": title, "filing_date": filing_date,
        "grant_date": grant_date, "status": status, "annual_fee_paid_until": annual_fee_paid_until,
        "ownership_frozen": ownership_frozen, "invalidation_pending": invalidation_pending,
        "same_day_twin": same_day_twin, "foreign_family": foreign_family, "strategic_industry": strategic_industry,
        "award": award, "term_adjustment_days": term_adjustment_days,
    }
    with transaction.atomic():
        checked = _checked(values)
        if Patent.objects.filter(number=checked["number"]).exists():
            raise ValidationFailed.from_details({"number": [NUMBER_TAKEN]})
        return _save(Patent(), checked, owners=owners)


def patent_update(*, patent: Patent, by, **changes: Unpack[PatentChanges]) -> Patent:
    """Change a patent on the register: the changed values and the ones kept are judged together.

    `owners`, when given, replaces the owners. Raises as patent_create.
    """
    _authorise(by)
    owners = changes.pop("owners", None)
    with transaction.atomic():
        patent = Patent.objects.select_for_update().get(pk=patent.pk)
        values = {name: getattr(patent, name) for name in _VALUE_FIELDS}
        values.update(changes)
        checked = _checked(values)
        if Patent.objects.filter(number=checked["number"]).exclude(pk=patent.pk).exists():
            raise ValidationFailed.from_details({"number": [NUMBER_TAKEN]})
        return _save(patent, checked, owners=owners)


_VALUE_FIELDS = tuple(name for name in PatentChanges.__annotations__ if name != "owners")


def _authorise(by) -> None:
    if by is not None and not may_write_register(by):
        raise PermissionRefused("only registrars and administrators may change the patent register")


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    check = rules.check_patent(values, today=timezone.localdate())
    if not check.ok:
        raise ValidationFailed.from_details(check.problems)
    return check.values


def _save(patent: Patent, values: dict[str, Any], *, owners: Iterable[Enterprise] | None) -> Patent:
    for name, value in values.items():
        setattr(patent, name, value)
    try:
        # The model's own limits (lengths, choices) the rules leave to it; uniqueness was checked above.
        patent.full_clean(exclude=["owners"], validate_unique=False)
    except DjangoValidationError as error:
        raise ValidationFailed.from_details(error.message_dict) from None
    try:
        with transaction.atomic():
            patent.save()
    except IntegrityError:  # the same number added at the same moment by someone else
        raise ValidationFailed.from_details({"number": [NUMBER_TAKEN]}) from None
    if owners is not None:
        patent.owners.set(owners)
    return patent
