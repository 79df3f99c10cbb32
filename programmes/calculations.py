"""Pure arithmetic of public programmes: a loan's ledger, the claim split, subsidies and statistics ratios.

Plain Decimals and dates in, Decimals out; nothing here reads the database (DOMAIN.md §7, §8).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DAYS_IN_YEAR = Decimal(365)  # interest accrues actual/365, as CNY loans are quoted
SHARE_PARTIES = ("pool", "bank", "insurer", "appraiser", "guarantor")


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Repayment:
    paid_on: dt.date
    principal: Decimal
    interest: Decimal


def principal_repaid(repayments: list[Repayment]) -> Decimal:
    return cents(sum((r.principal for r in repayments), ZERO))


def interest_paid(repayments: list[Repayment]) -> Decimal:
    return cents(sum((r.interest for r in repayments), ZERO))


def principal_unpaid(*, amount: Decimal, repayments: list[Repayment]) -> Decimal:
    """What the borrower still owes of the principal, never below zero."""
    return max(cents(amount - principal_repaid(repayments)), ZERO)


def interest_accrued(
    *, amount: Decimal, annual_rate: Decimal, disbursed_on: dt.date, until: dt.date, repayments: list[Repayment]
) -> Decimal:
    """Interest run up from disbursement to `until` on the principal as it stood each day (actual/365).

    Principal repaid on a day stops bearing interest from that day.
    """
    balance, start, accrued = Decimal(amount), disbursed_on, Decimal(0)
    for repayment in sorted(repayments, key=lambda r: r.paid_on):
        if repayment.paid_on >= until:
            break
        days = max((repayment.paid_on - start).days, 0)
        accrued += balance * annual_rate * days / DAYS_IN_YEAR
        balance -= repayment.principal
        start = max(start, repayment.paid_on)
    accrued += max(balance, Decimal(0)) * annual_rate * max((until - start).days, 0) / DAYS_IN_YEAR
    return cents(accrued)


def interest_due(
    *, amount: Decimal, annual_rate: Decimal, disbursed_on: dt.date, until: dt.date, repayments: list[Repayment]
) -> Decimal:
    """Interest accrued up to `until` (the day of default) less the interest paid by then, never below zero."""
    accrued = interest_accrued(
        amount=amount, annual_rate=annual_rate, disbursed_on=disbursed_on, until=until, repayments=repayments
    )
    paid = interest_paid([r for r in repayments if r.paid_on <= until])
    return max(cents(accrued - paid), ZERO)


def loss(*, principal_unpaid: Decimal, interest_due: Decimal, proceeds: Decimal) -> Decimal:
    """Outstanding principal + interest due − what disposal recovered, never below zero."""
    return max(cents(principal_unpaid + interest_due - proceeds), ZERO)


def covered_loss(*, loss: Decimal, ip_secured_amount: Decimal, loan_amount: Decimal) -> Decimal:
    """Only the IP-secured part of a loan counts: its proportion of the loss."""
    if loan_amount <= 0:
        return ZERO
    proportion = min(Decimal(ip_secured_amount) / Decimal(loan_amount), Decimal(1))
    return cents(loss * proportion)


def shares_valid(shares: dict[str, Decimal]) -> list[str]:
    """What is wrong with a pool's shares: unknown parties, a share outside [0, 1], a sum other than exactly 1."""
    problems = [f"unknown party {party!r}" for party in shares if party not in SHARE_PARTIES]
    problems += [f"{party}: must be between 0 and 1" for party, share in shares.items() if not 0 <= share <= 1]
    total = sum(shares.values(), Decimal(0))
    if total != 1:
        problems.append(f"the shares must sum to 1 exactly, not {total}")
    return problems


def loss_split(*, loss: Decimal, shares: dict[str, Decimal], cap_per_loan: Decimal | None) -> dict[str, Decimal]:
    """Each party's part of `loss`: loss × share rounded to the cent; the pool's part capped per loan.

    What the cap takes off the pool, and whatever rounding leaves over (positive or negative), falls
    to the bank, so the parts always sum to the loss exactly.
    """
    split = {party: cents(loss * shares.get(party, Decimal(0))) for party in SHARE_PARTIES}
    if cap_per_loan is not None and split["pool"] > cap_per_loan:
        split["pool"] = cents(cap_per_loan)
    split["bank"] += cents(loss) - sum(split.values(), ZERO)
    return split


def interest_subsidy(
    *, interest_paid: Decimal, annual_rate: Decimal, rate_cap: Decimal | None, share: Decimal,
    ip_secured_amount: Decimal, loan_amount: Decimal,
) -> Decimal:
    """A share of the interest actually paid, counted at a rate no higher than the cap, on the IP-secured part."""
    eligible = Decimal(interest_paid)
    if rate_cap is not None and annual_rate > rate_cap and annual_rate > 0:
        eligible = eligible * rate_cap / annual_rate
    if loan_amount > 0:
        eligible = eligible * min(Decimal(ip_secured_amount) / Decimal(loan_amount), Decimal(1))
    return cents(eligible * share)


def capped(amount: Decimal, cap: Decimal | None) -> Decimal:
    return cents(amount if cap is None else min(amount, cap))


def exposure(
    *, kind: str, ip_secured_amount: Decimal, annual_rate: Decimal, term_months: int, share: Decimal | None,
    pool_share: Decimal | None, cap_per_loan: Decimal | None, rate_cap: Decimal | None,
) -> Decimal:
    """The most a programme can pay on one enrolled loan: what enrolling it commits of the budget."""
    if kind == "risk_pool":
        return capped(ip_secured_amount * (pool_share or 0), cap_per_loan)
    if kind == "interest_subsidy":
        rate = min(annual_rate, rate_cap) if rate_cap is not None else annual_rate
        return cents(ip_secured_amount * rate * term_months / 12 * (share or 0))
    if kind == "evaluation_fee_subsidy":
        return cents(cap_per_loan or 0)
    return capped(ip_secured_amount * (share or 0), cap_per_loan)  # guarantee insurance: its share of a total loss


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole to four places; None when there is no whole to divide."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def days_overdue(*, maturity: dt.date | None, principal_unpaid: Decimal, on: dt.date) -> int:
    """Days past the loan's last day with principal still unpaid; 0 while it runs or once it is paid."""
    if maturity is None or principal_unpaid <= 0 or on <= maturity:
        return 0
    return (on - maturity).days


# --- statistics (DOMAIN.md §8) --------------------------------------------------------------------


@dataclass(frozen=True)
class LoanRow:
    """One disbursed loan as the statistics count it."""

    bank_id: int
    bank_name: str
    enterprise_id: int
    amount: Decimal
    disbursed_on: dt.date
    outstanding_principal: Decimal
    non_performing: bool
    high_value_patents: frozenset[str]


def _figures(rows: list[LoanRow], *, inclusive_limit: Decimal) -> dict:
    outstanding = sum((r.outstanding_principal for r in rows), ZERO)
    npl = sum((r.outstanding_principal for r in rows if r.non_performing), ZERO)
    inclusive = sum(1 for r in rows if r.amount < inclusive_limit)
    return {
        "loans": len(rows),
        "amount": cents(sum((r.amount for r in rows), ZERO)),
        "enterprises": len({r.enterprise_id for r in rows}),
        "inclusive_loans": inclusive,
        "inclusive_share": ratio(inclusive, len(rows)),
        "outstanding_principal": cents(outstanding),
        "npl_ratio": ratio(npl, outstanding),
        "high_value_patents": len(frozenset().union(*(r.high_value_patents for r in rows))),
    }


def statistics(rows: list[LoanRow], *, inclusive_limit: Decimal) -> dict:
    """WORKFLOW.md's figures over the loans disbursed in the period, with the same figures by bank and by month.

    The NPL ratio is by balance: the outstanding principal of non-performing loans over all outstanding principal.
    """
    by_bank, by_month = {}, {}
    for row in rows:
        by_bank.setdefault((row.bank_name, row.bank_id), []).append(row)
        by_month.setdefault(row.disbursed_on.strftime("%Y-%m"), []).append(row)
    return {
        **_figures(rows, inclusive_limit=inclusive_limit),
        "by_bank": [
            {"bank": bank_id, "bank_name": name, **_figures(group, inclusive_limit=inclusive_limit)}
            for (name, bank_id), group in sorted(by_bank.items())
        ],
        "by_month": [
            {"month": month, **_figures(group, inclusive_limit=inclusive_limit)}
            for month, group in sorted(by_month.items())
        ],
    }
