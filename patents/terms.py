"""Terms of protection: when a patent expires, by jurisdiction and kind (DOMAIN.md §3)."""
from __future__ import annotations

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
    anniversary; a US utility term ends on the 20th anniversary of filing, extended by any
    recorded patent term adjustment (PTA) days. A US design runs from grant (15 years, 14 if filed
    before 2015-05-13); while its grant date is unknown the term is counted from filing, which
    can only understate it.
    """
    if jurisdiction == "US" and kind == "design":
        years = 15 if filing_date >= US_DESIGN_15_YEARS_FROM else 14
        return add_years(grant_date or filing_date, years)
    years = term_years(jurisdiction=jurisdiction, kind=kind, filing_date=filing_date)
    anniversary = add_years(filing_date, years)
    if jurisdiction == "CN":
        return anniversary - dt.timedelta(days=1)
    return anniversary + dt.timedelta(days=term_adjustment_days)
