"""Reads of the registration desk and the public register, scoped to who may see what."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.roles import BANK_OFFICER, REGISTRAR, role_of
from core.errors import NotVisible, PermissionRefused
from patents.models import Patent
from patents.numbers import US_KIND_CODES, parse_patent_number
from registration.models import FiledPatent, Filing, RegistrationChange

PUBLIC_STATUSES = (Filing.Status.REGISTERED, Filing.Status.CANCELLED)


def _may_use_desk(user) -> bool:
    return role_of(user) == REGISTRAR or bool(getattr(user, "is_superuser", False))


def filings_for_desk(
    user, *, status: str | None = None, overdue: bool | None = None, today: dt.date | None = None
) -> QuerySet[Filing]:
    """Filings the registrar works on, soonest deadline first; 403 for anyone but registrars and admins."""
    if not _may_use_desk(user):
        raise PermissionRefused("the registration desk is for registrars", code="role_not_allowed")
    today = today or timezone.localdate()
    qs = Filing.objects.select_related("application", "filed_by").prefetch_related(
        Prefetch("filed_patents", queryset=FiledPatent.objects.select_related("patent").order_by("id")),
        "changes",
        "ucc_filings",
    )
    if status:
        qs = qs.filter(status=status)
    if overdue is True:
        qs = qs.filter(status=Filing.Status.PENDING, deadline__lt=today)
    elif overdue is False:
        qs = qs.exclude(status=Filing.Status.PENDING, deadline__lt=today)
    return qs.order_by("deadline", "id")


def filing_get_for_desk(user, *, pk) -> Filing:
    try:
        return filings_for_desk(user).get(pk=pk)
    except (Filing.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such filing", code="not_found") from None


def filing_get_for_bank(user, *, pk) -> Filing:
    """A filing of the officer's bank (for the UCC-1 record); 403 for other roles, 404 for other banks' filings."""
    if role_of(user) != BANK_OFFICER:
        raise PermissionRefused("only the lending bank's officer records a UCC-1", code="role_not_allowed")
    bank_id = getattr(user, "bank_id", None)
    try:
        return Filing.objects.select_related("pledgee").get(pk=pk, pledgee_id=bank_id)
    except (Filing.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such filing", code="not_found") from None


def _number_lookup(number) -> Q:
    """Match a patent whichever way the register spells it: a US number with or without its kind code."""
    if number.jurisdiction == "US":
        codes = "|".join(sorted(set().union(*US_KIND_CODES.values())))
        return Q(number=number.normalised) | Q(number__regex=rf"^{re.escape(number.base)}({codes})?$")
    return Q(number=number.normalised)


def public_register(*, patent: str) -> dict[str, Any]:
    """What a public gazette shows about a patent's pledges: parties, registration number, dates, status.

    Never the loan's amount, rate or term: those stay between the parties and the registrar.
    """
    number = parse_patent_number(patent)
    found = Patent.objects.filter(_number_lookup(number)).order_by("number").first()
    if found is None:
        return {"patent": {"number": number.normalised}, "on_register": False, "pledged": False, "registrations": []}
    filings = (
        Filing.objects.filter(filed_patents__patent=found, status__in=PUBLIC_STATUSES)
        .prefetch_related(
            Prefetch("filed_patents", queryset=FiledPatent.objects.select_related("patent").order_by("id")),
            Prefetch("changes", queryset=RegistrationChange.objects.order_by("recorded_at", "id")),
        )
        .order_by("-registered_on", "-id")
        .distinct()
    )
    registrations = [_gazette_entry(filing) for filing in filings]
    return {
        "patent": {
            "number": found.number,
            "title": found.title,
            "jurisdiction": found.jurisdiction,
            "kind": found.kind,
        },
        "on_register": True,
        "pledged": any(r["status"] == Filing.Status.REGISTERED for r in registrations),
        "registrations": registrations,
    }


# Items a gazette names when a party changes; a change to the debt is published only as "changed".
PUBLIC_PARTY_ITEMS = ("pledgor_name", "pledgor_name_zh", "pledgee_name", "pledgee_name_zh")


def _gazette_entry(filing: Filing) -> dict[str, Any]:
    pledgor = {"name": filing.pledgor_name, "name_zh": filing.pledgor_name_zh}
    pledgee = {"name": filing.pledgee_name, "name_zh": filing.pledgee_name_zh}
    changes = []
    for change in filing.changes.all():
        if change.kind != RegistrationChange.Kind.CHANGE:
            continue
        parties = {item: change.changes[item] for item in PUBLIC_PARTY_ITEMS if item in change.changes}
        pledgor.update({k.removeprefix("pledgor_"): v for k, v in parties.items() if k.startswith("pledgor_")})
        pledgee.update({k.removeprefix("pledgee_"): v for k, v in parties.items() if k.startswith("pledgee_")})
        changes.append(
            {
                "recorded_on": timezone.localdate(change.recorded_at).isoformat(),
                "effective_on": change.effective_on.isoformat() if change.effective_on else None,
                "parties": parties,
            }
        )
    return {
        "registration_number": filing.registration_number,
        "status": filing.status,
        "registered_on": filing.registered_on.isoformat() if filing.registered_on else None,
        "cancelled_on": filing.cancelled_on.isoformat() if filing.cancelled_on else None,
        "pledgor": pledgor,
        "pledgee": pledgee,
        "patents": [fp.patent.number for fp in filing.filed_patents.all()],
        "changes": changes,
    }


def us_cover_sheet(filing: Filing, *, release: bool = False) -> dict[str, Any] | None:
    """The fields of the USPTO recordation cover sheet for this filing's US patents (None if it has none).

    "Security Agreement" when filed; "Release by Secured Party" when the pledge is released, where the
    bank (secured party) conveys back to the enterprise.
    """
    from registration.services import registration_particulars

    us_numbers = [fp.patent.number for fp in filing.filed_patents.select_related("patent") if fp.patent.jurisdiction == "US"]
    if not us_numbers:
        return None
    now = registration_particulars(filing)
    debtor = {"name": now["pledgor_name"], "address": now["pledgor_address"]}
    secured = {"name": now["pledgee_name"], "address": now["pledgee_address"]}
    return {
        "nature_of_conveyance": "Release by Secured Party" if release else "Security Agreement",
        "conveying_party": secured if release else debtor,
        "receiving_party": debtor if release else secured,
        "patent_numbers": us_numbers,
        "execution_date": (filing.cancelled_on if release else filing.term_start),
        "correspondence_address": secured,
        "ucc_filings": [
            {"state": u.state, "file_number": u.file_number, "filed_on": u.filed_on} for u in filing.ucc_filings.all()
        ],
        "registration_number": filing.registration_number,
    }
