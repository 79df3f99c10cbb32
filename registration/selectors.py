"""Reads of the registration desk and the public register, scoped to who may see what."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.roles import REGISTRAR, role_of
from core.errors import NotVisible, PermissionRefused
from core.json import as_json
from financing.selectors import applications_visible_to
from patents.models import Patent
from patents.numbers import US_KIND_CODES, parse_patent_number
from registration.items import CHANGEABLE_ITEMS
from registration.models import (
    CancellationRequest,
    FiledPatent,
    Filing,
    FilingSignature,
    RegistrationChange,
    UccFiling,
)

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


def filings_visible_to(user) -> QuerySet[Filing]:
    """The registrar's desk sees every filing; anyone else the filings of the applications they see."""
    if _may_use_desk(user):
        return Filing.objects.all()
    return Filing.objects.filter(application__in=applications_visible_to(user))


def filing_get_for_ucc(user, *, pk) -> Filing:
    """A filing `user` may reach to record its UCC-1: 404 unless visible to them (another bank's filing).

    Whether they may record one (the lending bank's officer, while the filing stands) is the rule of
    registration.services.ucc_filing_allowed.
    """
    try:
        return filings_visible_to(user).select_related("pledgee").get(pk=pk)
    except (Filing.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such filing", code="not_found") from None


# --- an application's filings and what stands on the register, for its documents ---------------


def filings_of(application, *statuses: str) -> QuerySet[Filing]:
    """The application's filings, latest first; only those in `statuses` if any are named."""
    filings = Filing.objects.filter(application=application).select_related("filed_by", "decided_by", "cancelled_by")
    if statuses:
        filings = filings.filter(status__in=statuses)
    return filings.order_by("-sequence")


def filing_latest(application, *statuses: str) -> Filing | None:
    """The application's latest filing (in `statuses`, if named), or None."""
    return filings_of(application, *statuses).first()


def filed_patents_of(filing: Filing) -> list[FiledPatent]:
    """The filing's patents with their owners, in the order filed."""
    return list(filing.filed_patents.select_related("patent").prefetch_related("patent__owners").order_by("id"))


def ucc_filing_latest(filing: Filing) -> UccFiling | None:
    """The UCC-1 recorded last for the filing's US patents, or None."""
    return filing.ucc_filings.order_by("-id").first()


def filing_signatures_of(filing: Filing) -> list[FilingSignature]:
    """The signatures a filing rests on (joint filing), pledgor first."""
    return sorted(filing.signatures.select_related("signed_by"), key=lambda s: (s.side != "pledgor", s.id))


def cancellation_request_latest(filing: Filing) -> CancellationRequest | None:
    """The parties' latest application to cancel the filing's registration, or None."""
    return filing.cancellation_requests.select_related("applied_by").order_by("-id").first()


def registration_changes(filing: Filing, *, as_of: dt.datetime | None = None) -> list[RegistrationChange]:
    """The changes (not the cancellation) recorded against the filing by `as_of` (all if None), in order."""
    return [
        change
        for change in filing.changes.all()  # prefetched by the desk's lists; ordered by recorded_at, id
        if change.kind == RegistrationChange.Kind.CHANGE and (as_of is None or change.recorded_at <= as_of)
    ]


def registration_particulars(filing: Filing, *, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """The pledge's items as they stand on the register: as filed, with every change applied in order.

    With `as_of`, as they stood then: only the changes recorded by that moment are applied, so a
    document gathered again later still shows the facts of its own stage. Values are as JSON holds
    them (amounts and dates as strings), as the recorded changes are.
    """
    particulars = as_json({item: getattr(filing, item) for item in CHANGEABLE_ITEMS})
    for change in registration_changes(filing, as_of=as_of):
        particulars.update(change.changes)
    return particulars


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
    registrations = [_gazette_entry(filing, patent=found) for filing in filings]
    return {
        "patent": {
            "number": found.number,
            "title": found.title,
            "jurisdiction": found.jurisdiction,
            "kind": found.kind,
        },
        "on_register": True,
        # Pledged while a registration stands and has not released this patent (a partial release).
        "pledged": any(r["patent_pledged"] for r in registrations),
        "registrations": registrations,
    }


# Items a gazette names when a party changes; a change to the debt is published only as "changed".
PUBLIC_PARTY_ITEMS = ("pledgor_name", "pledgor_name_zh", "pledgee_name", "pledgee_name_zh")


def _gazette_entry(filing: Filing, *, patent: Patent | None = None) -> dict[str, Any]:
    now = registration_particulars(filing)
    pledgor = {"name": now["pledgor_name"], "name_zh": now["pledgor_name_zh"]}
    pledgee = {"name": now["pledgee_name"], "name_zh": now["pledgee_name_zh"]}
    changes = []
    for change in registration_changes(filing):
        parties = {item: change.changes[item] for item in PUBLIC_PARTY_ITEMS if item in change.changes}
        changes.append(
            {
                "recorded_on": timezone.localdate(change.recorded_at).isoformat(),
                "effective_on": change.effective_on.isoformat() if change.effective_on else None,
                "parties": parties,
                "released_patents": list(change.changes.get("release_patents", [])),
            }
        )
    filed = list(filing.filed_patents.all())
    standing = [fp.patent.number for fp in filed if fp.registered]
    released = [fp.patent.number for fp in filed if not fp.registered] if filing.status == Filing.Status.REGISTERED else []
    return {
        "registration_number": filing.registration_number,
        "status": filing.status,
        # Whether the patent looked up still stands under this registration (False once released from it).
        "patent_pledged": patent is not None and patent.number in standing,
        "released_patents": released,
        "registered_on": filing.registered_on.isoformat() if filing.registered_on else None,
        # A US security agreement is found at the USPTO by its reel and frame (null for a Chinese registration).
        "office": filing.office,
        "reel": filing.reel,
        "frame": filing.frame,
        "recorded_on": filing.recorded_on.isoformat() if filing.recorded_on else None,
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
