"""The loan's dates, counted once: when a loan ends and until when its collateral must stay protected.

Pure functions of dates. Approval (valuation.lending_check), the post-loan sweep
(monitoring), the registration filing's term and every document call these, so
"when the loan ends" cannot mean two days in two places.

A loan of N months from day D runs through the day before D + N months, as a Chinese
loan contract writes it ("自2026年1月15日起至2027年1月14日止"), and as a patent term or a
valuation's validity runs through the day before its anniversary. The collateral must
stay in force through the day before D + N + margin months: counted from the start, not
from the clamped end, so month ends do not drift.
"""
from __future__ import annotations

import calendar
import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def loan_end(*, start: dt.date, term_months: int) -> dt.date:
    """The loan's last day: the day before `start` + `term_months` months."""
    if term_months < 1:
        raise ValueError("a loan runs for at least one month")
    return add_months(start, term_months) - ONE_DAY


def protection_needed_until(*, start: dt.date, term_months: int, margin_months: int) -> dt.date:
    """The last day a pledged patent must still be in force: the loan's term plus the margin, from `start`."""
    if term_months < 1:
        raise ValueError("a loan runs for at least one month")
    return add_months(start, term_months + margin_months) - ONE_DAY

