"""What the post-loan watch looks for in one pledged patent: plain facts in, findings out (no database)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from financing.dates import loan_end, protection_needed_until
from patents.facts import PatentFacts
from patents.terms import (
    FEE_GRACE_MONTHS,
    US_MAINTENANCE_WINDOW_MONTHS,
    add_months,
    add_years,
    fee_grace_ends,
    us_maintenance_fee_next_due,
)

# Kinds of alert (monitoring.models.Alert.Kind has the same values).
ANNUAL_FEE_DUE = "annual_fee_due"
ANNUAL_FEE_UNPAID = "annual_fee_unpaid"
EXPIRY_WITHIN_TERM = "expiry_within_term"
INVALIDATION_PENDING = "invalidation_pending"
OWNERSHIP_FROZEN = "ownership_frozen"
NOT_IN_FORCE = "not_in_force"
FEE_LAPSED = "fee_lapsed"
# The US path (DOMAIN.md §3): maintenance fees in place of annual fees, recording within 3 months of
# execution (35 USC 261), and the UCC-1's 5-year life (UCC 9-515).
MAINTENANCE_FEE_DUE = "maintenance_fee_due"
MAINTENANCE_FEE_UNPAID = "maintenance_fee_unpaid"
US_RECORDING_DUE = "us_recording_due"
UCC1_CONTINUATION_WINDOW = "ucc1_continuation_window"
UCC1_LAPSED = "ucc1_lapsed"

# 35 USC 261: a security interest recorded within 3 months of its execution prevails over a later
# buyer or lender; recorded later, only from its recording.
US_RECORDING_MONTHS = 3
# UCC 9-515: a financing statement is effective for 5 years from filing; a continuation may be filed
# only in the last 6 months, and adds another 5 years.
UCC1_YEARS = 5
UCC1_CONTINUATION_MONTHS = 6

WARNING = "warning"
CRITICAL = "critical"

# An unpaid fee may still be paid for patents.terms.FEE_GRACE_MONTHS after it falls due; after that the
# patent has lapsed as from the due date and the collateral is gone.


@dataclass(frozen=True)
class WatchPolicy:
    """How far ahead the bank wants to hear (settings PLEDGEFLOW_MONITOR_FEE_NOTICE_DAYS, ...)."""

    fee_notice_days: int
    protection_margin_months: int


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    message: str
    # Stable facts only (dates, not "days overdue"), so a daily sweep rewrites nothing that
    # has not changed.
    details: dict = field(default_factory=dict)


def pledge_findings(
    *, patent: PatentFacts, loan_start: dt.date, term_months: int, today: dt.date, policy: WatchPolicy
) -> list[Finding]:
    """Every finding for one patent pledged to a loan of `term_months` months from `loan_start`."""
    findings: list[Finding] = []
    loan_ends = loan_end(start=loan_start, term_months=term_months)
    number = patent.number

    if not patent.in_force:
        findings.append(Finding(
            NOT_IN_FORCE, CRITICAL,
            f"{number} is no longer in force on the register ({patent.status}); the pledge secures nothing.",
            {"status": patent.status},
        ))

    if patent.jurisdiction == "US":
        findings.extend(_maintenance_fee_findings(patent, today))
    else:
        findings.extend(_annual_fee_findings(patent, today, policy))

    try:
        expires = patent.expiry_date
    except ValueError:  # a kind with no known term (e.g. a US plant patent): nothing to compare
        expires = None
    needed_until = protection_needed_until(
        start=loan_start, term_months=term_months, margin_months=policy.protection_margin_months
    )
    if expires is not None and expires < needed_until:
        before_maturity = expires <= loan_ends
        findings.append(Finding(
            EXPIRY_WITHIN_TERM, CRITICAL if before_maturity else WARNING,
            (f"{number} expires on {expires.isoformat()}, "
             + ("before the loan falls due" if before_maturity else "within the safety margin after the loan falls due")
             + f" ({loan_ends.isoformat()}, margin {policy.protection_margin_months} months)."),
            {"expiry_date": expires.isoformat(), "loan_ends": loan_ends.isoformat(),
             "margin_months": policy.protection_margin_months},
        ))

    if patent.invalidation_pending:
        findings.append(Finding(
            INVALIDATION_PENDING, CRITICAL,
            f"An invalidation request against {number} is pending; if it succeeds the collateral is void.",
            {},
        ))

    if patent.ownership_frozen:
        findings.append(Finding(
            OWNERSHIP_FROZEN, CRITICAL,
            f"Ownership of {number} is frozen (an ownership dispute or a court preservation order); "
            "the pledge cannot be enforced until it is lifted.",
            {},
        ))
    return findings


def _annual_fee_findings(patent: PatentFacts, today: dt.date, policy: WatchPolicy) -> list[Finding]:
    """A Chinese patent's annual fee: due soon, unpaid in its grace period, or lapsed as from its due date."""
    findings: list[Finding] = []
    number = patent.number
    paid_until = patent.annual_fee_paid_until
    lapsed_on = patent.fee_lapse_date(today) if patent.in_force else None
    if lapsed_on is not None:
        grace_ends = fee_grace_ends(lapsed_on)
        findings.append(Finding(
            FEE_LAPSED, CRITICAL,
            f"The annual fee for {number} fell due on {lapsed_on.isoformat()} and was not paid by the end of its "
            f"grace period ({grace_ends.isoformat()}): the patent has lapsed as from {lapsed_on.isoformat()} and "
            f"the collateral is gone.",
            {"due_on": lapsed_on.isoformat(), "grace_period_ended": grace_ends.isoformat(),
             "lapsed_on": lapsed_on.isoformat()},
        ))
    elif paid_until is not None and patent.in_force:
        grace_ends = fee_grace_ends(paid_until)
        if paid_until < today:
            findings.append(Finding(
                ANNUAL_FEE_UNPAID, CRITICAL,
                f"The annual fee for {number} fell due on {paid_until.isoformat()} and is unpaid; the patent "
                f"lapses unless it is paid with the surcharge by {grace_ends.isoformat()}.",
                {"due_on": paid_until.isoformat(), "grace_period_ends": grace_ends.isoformat()},
            ))
        elif paid_until <= today + dt.timedelta(days=policy.fee_notice_days):
            findings.append(Finding(
                ANNUAL_FEE_DUE, WARNING,
                f"The annual fee for {number} falls due on {paid_until.isoformat()}.",
                {"due_on": paid_until.isoformat(), "notice_days": policy.fee_notice_days},
            ))
    return findings


def _maintenance_fee_findings(patent: PatentFacts, today: dt.date) -> list[Finding]:
    """A US patent's maintenance fee (3.5, 7.5, 11.5 years from grant): warning in the 6 months before it
    falls due, critical in the 6-month surcharge period after, and the collateral gone once that ends."""
    if not patent.in_force:
        return []
    number = patent.number
    due = us_maintenance_fee_next_due(grant_date=patent.grant_date, paid_until=patent.annual_fee_paid_until)
    if due is None:
        return []
    opens, grace_ends = add_months(due, -US_MAINTENANCE_WINDOW_MONTHS), fee_grace_ends(due)
    details = {"due_on": due.isoformat(), "window_opens": opens.isoformat(), "surcharge_period_ends": grace_ends.isoformat()}
    if today > grace_ends:
        return [Finding(
            FEE_LAPSED, CRITICAL,
            f"The maintenance fee for {number} fell due on {due.isoformat()} and was not paid by the end of the "
            f"{FEE_GRACE_MONTHS}-month surcharge period ({grace_ends.isoformat()}): the patent has expired and the "
            f"collateral is gone.",
            {**details, "lapsed_on": (grace_ends + dt.timedelta(days=1)).isoformat()},
        )]
    if today > due:
        return [Finding(
            MAINTENANCE_FEE_UNPAID, CRITICAL,
            f"The maintenance fee for {number} fell due on {due.isoformat()} and is unpaid; the patent expires "
            f"unless it is paid with the surcharge by {grace_ends.isoformat()}.",
            details,
        )]
    if today >= opens:
        return [Finding(
            MAINTENANCE_FEE_DUE, WARNING,
            f"The maintenance fee for {number} falls due on {due.isoformat()}; it may be paid without surcharge "
            f"from {opens.isoformat()}.",
            details,
        )]
    return []


def us_recording_deadline(executed_on: dt.date) -> dt.date:
    """The last day to record a security agreement at the USPTO and keep its priority (35 USC 261)."""
    return add_months(executed_on, US_RECORDING_MONTHS)


def us_recording_findings(*, number: str, executed_on: dt.date, recorded_on: dt.date | None,
                          today: dt.date) -> list[Finding]:
    """A US security agreement not yet recorded: warning until 3 months after execution, critical after."""
    if recorded_on is not None:
        return []
    deadline = us_recording_deadline(executed_on)
    details = {"executed_on": executed_on.isoformat(), "record_by": deadline.isoformat()}
    if today > deadline:
        return [Finding(
            US_RECORDING_DUE, CRITICAL,
            f"The security agreement over {number}, executed on {executed_on.isoformat()}, is still not recorded at "
            f"the USPTO 3 months on ({deadline.isoformat()}): a later buyer or lender who records first takes "
            f"free of it (35 USC 261).",
            details,
        )]
    return [Finding(
        US_RECORDING_DUE, WARNING,
        f"Record the security agreement over {number} at the USPTO by {deadline.isoformat()} "
        f"(3 months from its execution on {executed_on.isoformat()}, 35 USC 261).",
        details,
    )]


def ucc1_lapse_date(filed_on: dt.date, continuations: tuple[dt.date, ...] = ()) -> dt.date:
    """The day a UCC-1 filed on `filed_on` stops being effective: 5 years on, 5 more for each continuation
    filed within the last 6 months before the lapse it continues; one filed at any other time is ineffective."""
    lapses = add_years(filed_on, UCC1_YEARS)
    for continued_on in sorted(continuations):
        if add_months(lapses, -UCC1_CONTINUATION_MONTHS) <= continued_on < lapses:
            lapses = add_years(lapses, UCC1_YEARS)
    return lapses


def ucc1_findings(*, number: str, filed_on: dt.date, continuations: tuple[dt.date, ...] = (),
                  today: dt.date) -> list[Finding]:
    """A UCC-1 in its 6-month continuation window (warning), or lapsed without continuation (critical)."""
    lapses = ucc1_lapse_date(filed_on, continuations)
    opens = add_months(lapses, -UCC1_CONTINUATION_MONTHS)
    details = {"filed_on": filed_on.isoformat(), "window_opens": opens.isoformat(), "lapses_on": lapses.isoformat()}
    if today >= lapses:
        return [Finding(
            UCC1_LAPSED, CRITICAL,
            f"The UCC-1 financing statement perfecting the security interest in {number} lapsed on "
            f"{lapses.isoformat()} without continuation: the interest is unperfected (UCC 9-515).",
            details,
        )]
    if today >= opens:
        return [Finding(
            UCC1_CONTINUATION_WINDOW, WARNING,
            f"The UCC-1 financing statement for {number} lapses on {lapses.isoformat()}; file a continuation "
            f"now, within the window that opened on {opens.isoformat()} (UCC 9-515).",
            details,
        )]
    return []
