"""What the post-loan watch looks for in one pledged patent: plain facts in, findings out (no database)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from financing.dates import loan_end, protection_needed_until
from patents.facts import PatentFacts
from patents.terms import fee_grace_ends

# Kinds of alert (monitoring.models.Alert.Kind has the same values).
ANNUAL_FEE_DUE = "annual_fee_due"
ANNUAL_FEE_UNPAID = "annual_fee_unpaid"
EXPIRY_WITHIN_TERM = "expiry_within_term"
INVALIDATION_PENDING = "invalidation_pending"
OWNERSHIP_FROZEN = "ownership_frozen"
NOT_IN_FORCE = "not_in_force"
FEE_LAPSED = "fee_lapsed"

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
