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
    month_index = paid_until.month - 1 + FEE_GRACE_MONTHS
    year, month = paid_until.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(paid_until.day, calendar.monthrange(year, month)[1]))


def fee_lapse_date(*, paid_until: dt.date | None, on: dt.date) -> dt.date | None:
    """The day the patent lapsed for an unpaid fee, as known on `on`: the due date, once the grace period
    has passed unpaid; None while the fee is paid, still in its grace period, or no payment is recorded."""
    if paid_until is None or on <= fee_grace_ends(paid_until):
        return None
    return paid_until
