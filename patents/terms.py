"""Terms of protection: when a patent expires, by jurisdiction and kind (DOMAIN.md §3)."""
from __future__ import annotations

import calendar
import datetime as dt

# Years of protection from the filing date.
TERM_YEARS: dict[tuple[str, str], int] = {
    ("CN", "invention"): 20,
    ("CN", "utility_model"): 10,
    ("CN", "design"): 15,
    ("US", "invention"): 20,
    ("US", "design"): 15,
}

# US design patents run from grant: 15 years if filed on or after this date (PLT implementation), else 14.
US_DESIGN_15_YEARS_FROM = dt.date(2015, 5, 13)

# China's 2021 amendment lengthened design terms from 10 to 15 years for
# designs filed on or after this date.
CN_DESIGN_15_YEARS_FROM = dt.date(2021, 6, 1)

# Where the law lengthens a term by a number of days, and the most days the register accepts.
# US utility patents: patent term adjustment (35 USC 154(b)); it has no statutory cap, and the
# largest adjustments granted run to a few thousand days, so 5000 (about 13.7 years) is refused as
# implausible above it. Chinese inventions: term compensation (Patent Law art. 42), for an
# unreasonable delay in granting or, for a new drug, up to 5 years; the delay compensation has
# no statutory cap either, and the 5 years of the new-drug limit bound both here (1826 days).
TERM_ADJUSTMENT_MAX_DAYS: dict[tuple[str, str], int] = {
    ("US", "invention"): 5000,
    ("CN", "invention"): 5 * 365 + 1,
}


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_years(*, jurisdiction: str, kind: str, filing_date: dt.date) -> int:
    if jurisdiction == "CN" and kind == "design" and filing_date < CN_DESIGN_15_YEARS_FROM:
        return 10
    try:
        return TERM_YEARS[(jurisdiction, kind)]
    except KeyError:
        raise ValueError(f"no term of protection for a {jurisdiction} {kind}") from None


def expiry_date(
    *,
    jurisdiction: str,
    kind: str,
    filing_date: dt.date,
    term_adjustment_days: int = 0,
    grant_date: dt.date | None = None,
) -> dt.date:
    """The last day the patent is in force.

    A Chinese term runs N years from the filing date, so it ends the day before the Nth
    anniversary, and an invention's term compensation (Patent Law art. 42) adds its days to that;
    a US utility term ends on the 20th anniversary of filing, extended by any recorded patent term
    adjustment (PTA) days. A US design runs from grant (15 years, 14 if filed before 2015-05-13);
    while its grant date is unknown the term is counted from filing, which can only understate it.
    Days of adjustment on a kind whose term the law does not lengthen are not counted (the
    register refuses them: patents.rules).
    """
    if jurisdiction == "US" and kind == "design":
        years = 15 if filing_date >= US_DESIGN_15_YEARS_FROM else 14
        return add_years(grant_date or filing_date, years)
    years = term_years(jurisdiction=jurisdiction, kind=kind, filing_date=filing_date)
    anniversary = add_years(filing_date, years)
    adjustment = dt.timedelta(days=term_adjustment_days if term_adjustable(jurisdiction, kind) else 0)
    if jurisdiction == "CN":
        return anniversary - dt.timedelta(days=1) + adjustment
    return anniversary + adjustment


def term_adjustable(jurisdiction: str, kind: str) -> bool:
    """Whether the law lengthens this kind of patent's term by days (US PTA, CN art. 42 compensation)."""
    return (jurisdiction, kind) in TERM_ADJUSTMENT_MAX_DAYS


# An annual fee (CN; a US maintenance fee likewise) may still be paid, with a surcharge, for six months
# after it falls due; after that the patent lapses as from the day the fee fell due (DOMAIN.md §3).
FEE_GRACE_MONTHS = 6


def fee_grace_ends(paid_until: dt.date) -> dt.date:
    """The last day a fee that fell due on `paid_until` may still be paid: six months on, clamped to the month's end."""
    return add_months(paid_until, FEE_GRACE_MONTHS)


def fee_lapse_date(
    *, paid_until: dt.date | None, on: dt.date, jurisdiction: str = "CN", grant_date: dt.date | None = None
) -> dt.date | None:
    """The first day the patent is out of force for an unpaid fee, as known on `on`; None while the fee is
    paid, still in its grace period, or no payment is recorded.

    A Chinese patent lapses as from the day the annual fee fell due (DOMAIN.md §3); a US patent whose
    maintenance fee stays unpaid expires at the end of the surcharge period (35 USC 41(b)).
    """
    if jurisdiction == "US":
        due = us_maintenance_fee_next_due(grant_date=grant_date, paid_until=paid_until)
        if due is None or on <= fee_grace_ends(due):
            return None
        return fee_grace_ends(due) + dt.timedelta(days=1)
    if paid_until is None or on <= fee_grace_ends(paid_until):
        return None
    return paid_until


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier, if negative), clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# US maintenance fees (35 USC 41(b)) fall due 3.5, 7.5 and 11.5 years from grant, in months; each may be
# paid without surcharge in the 6 months before it falls due, and with a surcharge in the 6 months after
# (FEE_GRACE_MONTHS); unpaid by then, the patent expires at the end of that grace period.
US_MAINTENANCE_FEE_MONTHS: tuple[int, ...] = (42, 90, 138)
US_MAINTENANCE_WINDOW_MONTHS = 6


def us_maintenance_fee_dates(grant_date: dt.date) -> tuple[dt.date, ...]:
    """The days a US patent's three maintenance fees fall due: 3.5, 7.5 and 11.5 years from `grant_date`."""
    return tuple(add_months(grant_date, months) for months in US_MAINTENANCE_FEE_MONTHS)


def us_maintenance_fee_next_due(*, grant_date: dt.date | None, paid_until: dt.date | None) -> dt.date | None:
    """The next maintenance fee's due date for a US patent whose fees keep it in force until `paid_until`.

    `paid_until` (the register's annual_fee_paid_until) is, for a US patent, the day the fees paid so far
    run to: the grant date before the first is paid, the 7.5-year date once the 3.5-year fee is paid.
    None when no payment is recorded (the register says nothing), the patent is not granted, or all
    three fees are paid.
    """
    if grant_date is None or paid_until is None:
        return None
    return next((due for due in us_maintenance_fee_dates(grant_date) if due >= paid_until), None)
