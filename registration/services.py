"""Registration desk writes: file, pre-check, register or refuse, record changes and cancellations, UCC-1s."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.roles import APPLICANT, BANK_OFFICER, role_of
from core.errors import Conflict, PermissionRefused, ValidationFailed
from core.json import as_json
from patents.models import Patent
from registration import recordation, refusals, deadlines
from registration.refusals import Ground, PatentOnRegister, PledgeFiling
from registration.items import CHANGEABLE_ITEM_TYPES, CHANGEABLE_ITEMS, DEBT_KIND_LOAN, RELEASE_PATENTS, US_STATES
from registration.models import (
    DECISION_FIELDS,
    FiledPatent,
    Filing,
    FilingSignature,
    CancellationRequest,
    RegistrationChange,
    RegistrationNumberCounter,
    UccFiling,
)
from registration.selectors import registration_particulars

REGISTRATION_NUMBER_PREFIX = "PR"


# --- calendar -------------------------------------------------------------------------------


def registrar_calendar() -> dict[str, Any]:
    """The registrar's working calendar from settings: holidays and make-up weekend working days."""
    return {
        "holidays": deadlines.holiday_dates(settings.PLEDGEFLOW_HOLIDAYS),
        "workdays": deadlines.holiday_dates(settings.PLEDGEFLOW_MAKEUP_WORKDAYS),
    }


def filing_deadline_for(filed_on: dt.date) -> dt.date:
    return deadlines.filing_deadline(
        filed_on,
        working_days=settings.PLEDGEFLOW_REGISTRATION_WORKING_DAYS,
        **registrar_calendar(),
    )


# --- helpers --------------------------------------------------------------------------------


def _filing_of(application, *, status: str, lock: bool = True) -> Filing:
    qs = Filing.objects.filter(application=application, status=status).order_by("-sequence")
    if lock:
        qs = qs.select_for_update()
    filing = qs.first()
    if filing is None:
        what = {"pending": "no filing waiting for a decision", "registered": "no registered pledge"}[status]
        raise Conflict(f"application {application.pk} has {what}", code=f"no_{status}_filing")
    return filing


def _filed_patents(filing: Filing) -> list[FiledPatent]:
    return list(filing.filed_patents.select_related("patent").prefetch_related("patent__owners").order_by("id"))


# --- filing ---------------------------------------------------------------------------------


def _particulars(application) -> tuple[dict[str, Any], list]:
    """What a filing of `application` would state now, as Filing fields, and its pledged patents."""
    terms = getattr(application, "terms", None)
    pledged = list(application.pledged_patents.select_related("patent").order_by("id"))
    pledgor, pledgee = application.enterprise, application.bank
    fields = {
        "pledgor": pledgor,
        "pledgee": pledgee,
        "pledgor_name": pledgor.name,
        "pledgor_name_zh": pledgor.name_zh,
        "pledgor_address": pledgor.address,
        "pledgee_name": pledgee.name,
        "pledgee_name_zh": pledgee.name_zh,
        "pledgee_address": pledgee.address,
        "debt_kind": DEBT_KIND_LOAN,
        "debt_amount": terms.amount if terms else None,
        "debt_currency": application.currency,
        "term_start": terms.signed_on if terms else None,
        "term_end": terms.maturity_date if terms else None,
        "patent_count": len(pledged),
        "security_scope": list(refusals.SECURITY_SCOPE),
    }
    return fields, pledged


def filing_particulars(application) -> dict[str, Any]:
    """What both sides sign before filing (DOMAIN.md §3), as JSON: the parties, the debt, the term, the patents."""
    fields, pledged = _particulars(application)
    particulars = {k: v for k, v in fields.items() if k not in ("pledgor", "pledgee")}
    particulars["patents"] = [
        {
            "number": pp.patent.number, "title": pp.patent.title, "filing_date": pp.patent.filing_date,
            "grant_date": pp.patent.grant_date, "co_owner_consent": pp.co_owner_consent,
        }
        for pp in pledged
    ]
    return as_json(particulars)


def filing_particulars_sha256(application) -> str:
    """The hash a signature holds: any change to the particulars gives another, and so lapses the signature."""
    canonical = json.dumps(filing_particulars(application), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The side of the pledge each role signs for.
SIDES = {APPLICANT: FilingSignature.Side.PLEDGOR, BANK_OFFICER: FilingSignature.Side.PLEDGEE}


def _side_of(by) -> str:
    side = SIDES.get(role_of(by))
    if side is None:
        raise PermissionRefused("only the pledgor's applicant or the pledgee's officer signs a filing",
                                code="role_not_allowed")
    return side


def filing_signatures_valid(application) -> dict[str, FilingSignature]:
    """Each side's latest unused signature of the particulars as they stand now (a lapsed one is left out)."""
    current = filing_particulars_sha256(application)
    valid: dict[str, FilingSignature] = {}
    for signature in FilingSignature.objects.filter(application=application, filing__isnull=True).order_by("id"):
        if signature.particulars_sha256 == current:
            valid[signature.side] = signature
    return valid


@transaction.atomic
def filing_sign(*, application, by) -> FilingSignature:
    """Record the caller's side's signature of the filing particulars as they stand now."""
    return FilingSignature.objects.create(
        application=application, side=_side_of(by), signed_by=by,
        particulars_sha256=filing_particulars_sha256(application),
    )


def _other_side_signed(application, *, by) -> tuple[str, FilingSignature, FilingSignature | None]:
    """The caller's side, the other side's valid signature (409 filing_not_signed without one), and the caller's."""
    side = _side_of(by)
    other = next(s for s in FilingSignature.Side.values if s != side)
    valid = filing_signatures_valid(application)
    if other not in valid:
        lapsed = FilingSignature.objects.filter(application=application, filing__isnull=True, side=other).exists()
        message = (
            f"the {other} signed other particulars; they changed since, so the {other} must sign again"
            if lapsed else f"the {other} has not signed the filing; the filing is joint"
        )
        raise Conflict(
            message, code="filing_not_signed",
            details={"missing_side": other, "lapsed": lapsed,
                     "particulars_sha256": filing_particulars_sha256(application)},
        )
    return side, valid[other], valid.get(side)


@transaction.atomic
def filing_create(
    *,
    application,
    by,
    acknowledged: list[str],
    ucc1_state: str = "",
    ucc1_file_number: str = "",
) -> Filing:
    """File the application's pledge for registration: copy the particulars, start the registrar's clock.

    Filing counts as the caller's side's signature; the other side must have signed the same
    particulars first (409 "filing_not_signed").
    """
    unknown = [code for code in acknowledged if code not in refusals.ACKNOWLEDGEABLE]
    if unknown:
        raise ValidationFailed(
            f"acknowledged: only {', '.join(sorted(refusals.ACKNOWLEDGEABLE))} can be acknowledged, not {', '.join(unknown)}",
            details={"acknowledged": [f"not acknowledgeable: {code}" for code in unknown]},
        )
    if Filing.objects.filter(application=application, status=Filing.Status.PENDING).exists():
        raise Conflict("this pledge is already filed and waiting for the registrar", code="filing_pending")
    side, other_signature, own_signature = _other_side_signed(application, by=by)

    fields, pledged = _particulars(application)
    filed_on = timezone.localdate()
    sequence = (Filing.objects.filter(application=application).aggregate(m=Max("sequence"))["m"] or 0) + 1
    filing = Filing.objects.create(
        application=application,
        sequence=sequence,
        filed_by=by,
        acknowledged=list(dict.fromkeys(acknowledged)),
        deadline=filing_deadline_for(filed_on),
        particulars_sha256=other_signature.particulars_sha256,
        **fields,
    )
    if own_signature is None:
        own_signature = FilingSignature.objects.create(
            application=application, side=side, signed_by=by, particulars_sha256=other_signature.particulars_sha256
        )
    FilingSignature.objects.filter(pk__in=[other_signature.pk, own_signature.pk]).update(filing=filing)
    FiledPatent.objects.bulk_create(
        FiledPatent(filing=filing, patent=pp.patent, co_owner_consent=pp.co_owner_consent) for pp in pledged
    )
    if ucc1_state or ucc1_file_number:
        _ucc_create(filing=filing, by=by, state=ucc1_state, file_number=ucc1_file_number, filed_on=None)
    return filing


# --- the pre-check ----------------------------------------------------------------------------


def _patent_on_register(filed: FiledPatent, pledged_elsewhere: dict[int, list[str]]) -> PatentOnRegister:
    patent = filed.patent
    owner_ids = frozenset(o.pk for o in patent.owners.all())
    return PatentOnRegister(
        facts=patent.facts,
        owner_ids=owner_ids,
        # The application records one consent flag for all co-owners of a patent.
        consenting_owner_ids=owner_ids if filed.co_owner_consent else frozenset(),
        registered_pledges=tuple(pledged_elsewhere.get(patent.pk, ())),
    )


def pledge_filing_of(filing: Filing, *, term_end: dt.date | None = None) -> PledgeFiling:
    """The filing as the pure pre-check sees it, read fresh from the register."""
    filed = _filed_patents(filing)
    elsewhere: dict[int, list[str]] = {}
    others = (
        FiledPatent.objects.filter(patent_id__in=[f.patent_id for f in filed], registered=True)
        .exclude(filing=filing)
        .select_related("filing")
    )
    for other in others:
        elsewhere.setdefault(other.patent_id, []).append(other.filing.registration_number)
    return PledgeFiling(
        pledgor_id=filing.pledgor_id,
        pledgee_id=filing.pledgee_id,
        debt_kind=filing.debt_kind,
        debt_amount=filing.debt_amount,
        debt_currency=filing.debt_currency,
        term_end=term_end or filing.term_end,
        patents=tuple(_patent_on_register(f, elsewhere) for f in filed),
        acknowledged=frozenset(filing.acknowledged),
        pledgor_name=filing.pledgor_name,
        pledgor_address=filing.pledgor_address,
        pledgee_name=filing.pledgee_name,
        pledgee_address=filing.pledgee_address,
        patent_count=filing.patent_count,
        security_scope=tuple(filing.security_scope) if filing.patent_count is not None else None,
    )


def us_cover_sheet_of(filing: Filing) -> recordation.CoverSheet:
    """The recordation cover sheet a US filing puts before the USPTO (37 CFR 3.31), from what was filed."""
    filed = _filed_patents(filing)
    signed = filing.filed_by
    return recordation.CoverSheet(
        conveying_party=filing.pledgor_name,
        receiving_party=filing.pledgee_name,
        receiving_party_address=filing.pledgee_address,
        nature_of_conveyance=recordation.SECURITY_AGREEMENT,
        patents=tuple(
            recordation.CoverPatent(fp.patent.number, fp.patent.jurisdiction, fp.patent.grant_date is not None)
            for fp in filed
        ),
        execution_date=filing.term_start,
        # The lender's counsel receives the USPTO's notices: the pledgee's address.
        correspondence_address=filing.pledgee_address,
        number_of_properties=filing.patent_count,
        total_fee=recordation.recording_fee(len(filed)),
        signed_by=(signed.get_full_name() or signed.username) if signed else "",
    )


def filing_precheck(*, filing: Filing, on: dt.date | None = None) -> list[Ground]:
    """Every ground that applies to `filing` today, each with its patent and evidence: for a US filing the
    cover sheet's items (a notice of non-recordation's codes), else the refusal grounds of DOMAIN.md §3."""
    if filing.office == "US":
        return recordation.non_recordation_grounds(us_cover_sheet_of(filing))
    return refusals.refusal_grounds(pledge_filing_of(filing), on=on or timezone.localdate())


def _precheck_record(grounds: list[Ground], on: dt.date) -> dict:
    return {"checked_on": on.isoformat(), "grounds": as_json([g.as_dict() for g in grounds])}


# --- deciding -------------------------------------------------------------------------------


def registration_number_issue(*, on: dt.date) -> str:
    """The next registration number of `on`'s year, e.g. "PR-2026-000001". Call inside a transaction."""
    try:
        with transaction.atomic():
            RegistrationNumberCounter.objects.get_or_create(year=on.year)
    except IntegrityError:
        pass  # another registrar created this year's counter first; use theirs
    counter = RegistrationNumberCounter.objects.select_for_update().get(year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{REGISTRATION_NUMBER_PREFIX}-{on.year}-{counter.last:06d}"


def _refusal(grounds: list[Ground]) -> Conflict:
    listed = ", ".join(f"{g.code} ({g.patent})" if g.patent else g.code for g in grounds)
    us = bool(grounds) and all(g.office == "US" for g in grounds)
    return Conflict(
        (f"the USPTO would not record the security agreement (37 CFR 3.31): {listed}" if us
         else f"the filing cannot be registered under the {refusals.MEASURES[1]}: {listed}"),
        code="registration_refused",
        details={"grounds": as_json([g.as_dict() for g in grounds])},
    )


RECORDATION_FIELDS = ("reel", "frame", "recorded_on")


def _recordation_checked(filing: Filing, *, reel, frame, recorded_on) -> dict[str, Any]:
    """The notice of recordation's reel, frame and date: required for a US filing, refused for a Chinese one (400)."""
    given = {"reel": reel, "frame": frame, "recorded_on": recorded_on}
    if filing.office != "US":
        named = [name for name, value in given.items() if value is not None]
        if named:
            message = "only a US recordation has a reel, frame and recordation date"
            raise ValidationFailed(f"{named[0]}: {message}", code="not_a_us_filing",
                                   details={name: [message] for name in named})
        return {}
    missing = [name for name, value in given.items() if value is None]
    if missing:
        message = "required for a US filing: the notice of recordation's reel, frame and date"
        raise ValidationFailed(f"{missing[0]}: {message}", code="recordation_required",
                               details={name: [message] for name in missing})
    if recorded_on > timezone.localdate():
        raise ValidationFailed("recorded_on: may not be in the future", details={"recorded_on": ["may not be in the future"]})
    if filing.term_start and recorded_on < filing.term_start:
        message = f"may not be before the security agreement was executed ({filing.term_start.isoformat()})"
        raise ValidationFailed(f"recorded_on: {message}", details={"recorded_on": [message]})
    return given


@transaction.atomic
def filing_register(
    *, application, by, reel: int | None = None, frame: int | None = None, recorded_on: dt.date | None = None
) -> Filing:
    """Register the pending filing: lock its patents, rerun the pre-check, issue a number.

    A US filing is recorded, not examined: the registrar enters the reel, frame and date of the USPTO's
    notice of recordation, and the pre-check is the cover sheet's (registration.recordation).
    Raises Conflict "registration_refused" with every ground in details["grounds"] if any applies;
    nothing is written then.
    """
    filing = _filing_of(application, status=Filing.Status.PENDING)
    recorded = _recordation_checked(filing, reel=reel, frame=frame, recorded_on=recorded_on)
    patent_ids = sorted(filing.filed_patents.values_list("patent_id", flat=True))
    # Lock the patents in id order, so two registrars registering overlapping portfolios queue
    # behind each other instead of deadlocking; the second then sees the first's pledge.
    list(Patent.objects.select_for_update().filter(pk__in=patent_ids).order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()
    grounds = filing_precheck(filing=filing, on=today)
    if grounds:
        raise _refusal(grounds)

    try:
        with transaction.atomic():
            FiledPatent.objects.filter(filing=filing).update(registered=True)
    except IntegrityError:
        # The database's own guard: another registration of one of these patents committed first.
        grounds = [g for g in filing_precheck(filing=filing, on=today) if g.code == refusals.ALREADY_PLEDGED] or [
            Ground(refusals.ALREADY_PLEDGED, None, {"registrations": []})
        ]
        raise _refusal(grounds) from None

    filing.register(
        by=by, on=today, number=registration_number_issue(on=today), precheck=_precheck_record(grounds, today),
        **recorded,
    )
    filing.save(update_fields=DECISION_FIELDS["register"])
    return filing


@transaction.atomic
def filing_refuse(*, application, by, grounds: list[str], note: str, reason: str = "") -> Filing:
    """Refuse the pending filing on the registrar's grounds and on every ground the pre-check finds.

    DOMAIN.md §3 has the refusal name every ground that applies: grounds the register shows are added
    to those the registrar names (which may rest on the contract itself, like CONTRACT_INCOMPLETE).
    OTHER is the registrar's alone and needs the `reason` the law does not allow the pledge for.
    A US filing is refused by a notice of non-recordation: its codes (registration.recordation), not
    the Chinese grounds, and the other way round (400 naming the codes of the wrong office).
    """
    codes = list(dict.fromkeys(grounds))
    if not codes:
        message = "name at least one ground"
        raise ValidationFailed(f"grounds: {message}", details={"grounds": [message]})
    filing = _filing_of(application, status=Filing.Status.PENDING)
    office_codes = recordation.NON_RECORDATION_CODES if filing.office == "US" else refusals.GROUND_CODES
    unknown = [code for code in codes if code not in office_codes]
    if unknown:
        what = "a notice of non-recordation (US filing)" if filing.office == "US" else "the 2021 Measures (Chinese filing)"
        message = f"not a ground of {what}: {', '.join(unknown)}; one of {', '.join(office_codes)}"
        raise ValidationFailed(f"grounds: {message}", code="ground_of_other_office", details={"grounds": [message]})
    reason = (reason or "").strip()
    if refusals.OTHER in codes and not reason:
        message = "state the reason for the OTHER ground"
        raise ValidationFailed(f"reason: {message}", code="reason_required", details={"reason": [message]})

    today = timezone.localdate()
    found = filing_precheck(filing=filing, on=today)
    stated: list[dict] = []
    for code in codes:
        matching = [g for g in found if g.code == code]
        if matching:
            stated.extend({**g.as_dict(), "source": "registrar"} for g in matching)
        else:
            evidence = {"reason": reason} if code == refusals.OTHER else {}
            stated.append({**Ground(code, None, evidence, office=filing.office).as_dict(), "source": "registrar"})
    stated.extend({**g.as_dict(), "source": "precheck"} for g in found if g.code not in codes)
    order = {code: i for i, code in enumerate(office_codes)}
    stated.sort(key=lambda g: order[g["code"]])

    filing.refuse(by=by, grounds=as_json(stated), precheck=_precheck_record(found, today), note=note or "")
    filing.save(update_fields=DECISION_FIELDS["refuse"])
    return filing


@transaction.atomic
def filing_request_correction(*, application, by, defects: list[dict], note: str = "") -> Filing:
    """Ask the parties to correct the pending filing: each defect names the item and what is wrong.

    The registrar's clock stops: the filing is no longer pending, and the refiling (file_registration
    from correction_requested) is a new filing whose deadline runs from the day it arrives complete.
    """
    cleaned = []
    for defect in defects if isinstance(defects, list) else []:
        item = str((defect or {}).get("item", "")).strip() if isinstance(defect, dict) else ""
        message = str((defect or {}).get("message", "")).strip() if isinstance(defect, dict) else ""
        if item and message:
            cleaned.append({"item": item, "message": message})
    if not cleaned or len(cleaned) != len(defects):
        message = "list each defect as {item, message}, neither blank"
        raise ValidationFailed(f"defects: {message}", details={"defects": [message]})
    filing = _filing_of(application, status=Filing.Status.PENDING)
    filing.request_correction(by=by, defects=cleaned, note=note or "")
    filing.save(update_fields=DECISION_FIELDS["request_correction"])
    return filing


# --- after registration ---------------------------------------------------------------------


def _checked_changes(changes: dict) -> dict[str, Any]:
    """The changed items as JSON for the register, refusing what no registered pledge has.

    The API validates the payload (registration.inputs.PledgeChangesSerializer) and passes typed
    values; this keeps a Python caller to the same items and value types.
    """
    if not isinstance(changes, dict) or not changes:
        raise ValidationFailed(
            "changes: name at least one item that changed", details={"changes": ["name at least one item that changed"]}
        )
    unknown = sorted(str(item) for item in changes if item not in CHANGEABLE_ITEM_TYPES)
    mistyped = sorted(
        item for item, value in changes.items()
        if item in CHANGEABLE_ITEM_TYPES and not _is_typed(value, CHANGEABLE_ITEM_TYPES[item])
    )
    if unknown or mistyped:
        details = {item: [f"not an item of a registered pledge; changeable: {', '.join(CHANGEABLE_ITEMS)}"] for item in unknown}
        details |= {item: [f"expected a {CHANGEABLE_ITEM_TYPES[item].__name__}"] for item in mistyped}
        raise ValidationFailed.from_details({"changes": details})
    if "debt_amount" in changes and changes["debt_amount"] <= 0:
        message = "the secured debt is a positive amount"
        raise ValidationFailed(f"changes.debt_amount: {message}", details={"changes": {"debt_amount": [message]}})
    return as_json({item: changes[item] for item in CHANGEABLE_ITEMS if item in changes})


def _is_typed(value: Any, expected: type) -> bool:
    if expected is dt.date:  # a datetime is a date too, but not a day on the register
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, expected)


@transaction.atomic
def registration_change_record(
    *, application, by, changes: dict, note: str, effective_on: dt.date | None = None
) -> RegistrationChange:
    """Record a change to the registered pledge as a new row; the registration itself is not edited.

    A new term end is checked against every pledged patent's expiry (409 "change_refused").
    """
    changes = dict(changes) if isinstance(changes, dict) else changes
    release = changes.pop(RELEASE_PATENTS, None) if isinstance(changes, dict) else None
    new = _checked_changes(changes) if (changes or release is None) else {}

    filing = _filing_of(application, status=Filing.Status.REGISTERED)
    current = registration_particulars(filing)
    new = {item: value for item, value in new.items() if current.get(item) != value}
    previous = {item: current.get(item) for item in new}
    if release is not None:
        released, remaining, pledged = _partial_release(filing, release)
        new |= {RELEASE_PATENTS: released, "patents": remaining}
        previous |= {"patents": pledged}
    if not new:
        raise ValidationFailed(
            "changes: every item given already stands so on the register", details={"changes": ["nothing differs"]}
        )
    if "term_end" in new:
        term_end = dt.date.fromisoformat(new["term_end"])
        if filing.term_start and term_end <= filing.term_start:
            message = f"the term must end after it starts ({filing.term_start.isoformat()})"
            raise ValidationFailed(f"changes.term_end: {message}", details={"changes": {"term_end": [message]}})
        exceeding = [
            g
            for g in refusals.refusal_grounds(pledge_filing_of(filing, term_end=term_end), on=timezone.localdate())
            if g.code == refusals.TERM_EXCEEDS_PATENT
        ]
        if exceeding:
            error = _refusal(exceeding)
            error.code = "change_refused"
            error.message = "the new term ends after a pledged patent expires"
            raise error
    return RegistrationChange.objects.create(
        filing=filing,
        kind=RegistrationChange.Kind.CHANGE,
        recorded_by=by,
        effective_on=effective_on,
        changes=new,
        previous=previous,
        note=note or "",
    )


def _partial_release(filing: Filing, numbers) -> tuple[list[str], list[str], list[str]]:
    """Release `numbers` from the registered pledge; the others stay pledged. (released, remaining, before)

    A number the pledge does not hold (or no longer holds) is 409 "patent_not_pledged"; releasing every
    patent still pledged is 409 "release_all_patents": that is a cancellation, applied for by the parties.
    """
    if not isinstance(numbers, (list, tuple)) or not numbers or not all(isinstance(n, str) for n in numbers):
        message = "list the numbers of the patents to release"
        raise ValidationFailed(f"changes.release_patents: {message}",
                               details={"changes": {RELEASE_PATENTS: [message]}})
    wanted = list(dict.fromkeys(numbers))
    standing = list(
        FiledPatent.objects.filter(filing=filing, registered=True).select_related("patent").order_by("id")
    )
    pledged = [fp.patent.number for fp in standing]
    outside = [number for number in wanted if number not in pledged]
    if outside:
        raise Conflict(
            f"not pledged under registration {filing.registration_number}: {', '.join(outside)}",
            code="patent_not_pledged",
            details={"release_patents": outside, "pledged": pledged},
        )
    remaining = [number for number in pledged if number not in wanted]
    if not remaining:
        raise Conflict(
            "a change cannot release every patent of the pledge; the parties apply for cancellation instead",
            code="release_all_patents",
            details={"release_patents": wanted, "pledged": pledged},
        )
    FiledPatent.objects.filter(pk__in=[fp.pk for fp in standing if fp.patent.number in wanted]).update(registered=False)
    return [number for number in pledged if number in wanted], remaining, pledged


@transaction.atomic
def cancellation_apply(
    *, application, by, ground: str, repaid_on: dt.date | None = None, reason: str = "", evidence: str = ""
) -> CancellationRequest:
    """The parties apply to cancel the registered pledge: debt_discharged needs `repaid_on`, other a `reason`.

    The registration stands until the registrar releases it (registration_cancel).
    """
    if ground not in CancellationRequest.Ground.values:
        message = f"one of {', '.join(CancellationRequest.Ground.values)}"
        raise ValidationFailed(f"ground: {message}", details={"ground": [message]})
    reason = (reason or "").strip()
    if ground == CancellationRequest.Ground.DEBT_DISCHARGED and repaid_on is None:
        message = "give the day the debt was repaid"
        raise ValidationFailed(f"repaid_on: {message}", code="repaid_on_required", details={"repaid_on": [message]})
    if ground == CancellationRequest.Ground.OTHER and not reason:
        message = "state the lawful reason for cancelling"
        raise ValidationFailed(f"reason: {message}", code="reason_required", details={"reason": [message]})
    filing = _filing_of(application, status=Filing.Status.REGISTERED)
    return CancellationRequest.objects.create(
        filing=filing, ground=ground, applied_by=by, reason=reason, evidence=(evidence or "").strip(),
        repaid_on=repaid_on if ground == CancellationRequest.Ground.DEBT_DISCHARGED else None,
    )


@transaction.atomic
def registration_cancel(*, application, by, on: dt.date) -> Filing:
    """Cancel the registered pledge (repaid, or enforced): its patents are free to be pledged again."""
    filing = _filing_of(application, status=Filing.Status.REGISTERED)
    FiledPatent.objects.filter(filing=filing).update(registered=False)
    filing.cancel(by=by, on=on)
    filing.save(update_fields=DECISION_FIELDS["cancel"])
    RegistrationChange.objects.create(
        filing=filing,
        kind=RegistrationChange.Kind.CANCELLATION,
        recorded_by=by,
        effective_on=on,
        changes={"status": Filing.Status.CANCELLED, "cancelled_on": on.isoformat()},
        previous={"status": Filing.Status.REGISTERED},
    )
    return filing


# --- US: the UCC-1 financing statement ------------------------------------------------------


def _ucc_create(*, filing: Filing, by, state: str, file_number: str, filed_on: dt.date | None) -> UccFiling:
    if state not in US_STATES:
        message = f"'{state}' is not a US state code"
        raise ValidationFailed(f"state: {message}", details={"state": [message]})
    if not file_number:
        raise ValidationFailed("file_number: give the UCC-1's file number", details={"file_number": ["required"]})
    if "US" not in filing.jurisdictions:
        raise Conflict("a UCC-1 financing statement concerns US patents; this filing has none", code="no_us_patents")
    if UccFiling.objects.filter(state=state, file_number=file_number).exists():
        raise Conflict(f"UCC-1 {state} {file_number} is already recorded", code="ucc_filing_exists")
    return UccFiling.objects.create(
        filing=filing, recorded_by=by, state=state, file_number=file_number, filed_on=filed_on
    )


def ucc_filing_allowed(*, filing: Filing, by) -> None:
    """Raise unless `by` may record a UCC-1 for `filing` now: the bank's officer, while the filing stands.

    The API asks before it reads the payload, so a refusal is a 403 or 409 whatever was sent.
    """
    if role_of(by) != BANK_OFFICER:
        raise PermissionRefused("only the lending bank's officer records a UCC-1", code="role_not_allowed")
    if filing.status not in (Filing.Status.PENDING, Filing.Status.REGISTERED):
        raise Conflict(f"the filing is {filing.status}", code="filing_closed", details={"status": filing.status})


@transaction.atomic
def ucc_filing_record(
    *, filing: Filing, by, state: str, file_number: str, filed_on: dt.date | None = None
) -> UccFiling:
    """Record the state and file number of the UCC-1 the lending bank filed for this pledge.

    Which filings `by` may reach is decided by registration.selectors.filing_get_for_ucc; here only
    who records and while the filing stands (ucc_filing_allowed).
    """
    ucc_filing_allowed(filing=filing, by=by)
    return _ucc_create(filing=filing, by=by, state=state, file_number=file_number, filed_on=filed_on)
