"""The registrar's time limit: working days after filing, weekends and configured holidays skipped."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

DEFAULT_WORKING_DAYS = 5
SATURDAY = 5


def holiday_dates(values: Iterable[str | dt.date]) -> frozenset[dt.date]:
    """Dates from settings, as dates or ISO strings ("2026-10-01"); a bad entry is a ValueError naming it."""
    dates = set()
    for value in values:
        if isinstance(value, dt.date):
            dates.add(value)
            continue
        text = str(value).strip()
        if not text:
            continue
        try:
            dates.add(dt.date.fromisoformat(text))
        except ValueError:
            raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None
    return frozenset(dates)


def is_working_day(
    day: dt.date, *, holidays: frozenset[dt.date] = frozenset(), workdays: frozenset[dt.date] = frozenset()
) -> bool:
    """Monday to Friday unless a holiday; `workdays` are weekend days worked in exchange for a holiday (调休)."""
    if day in workdays:
        return True
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(
    start: dt.date,
    days: int,
    *,
    holidays: frozenset[dt.date] = frozenset(),
    workdays: frozenset[dt.date] = frozenset(),
) -> dt.date:
    """The date on which the `days`-th working day after `start` falls; `start` itself does not count."""
    if days < 0:
        raise ValueError("a time limit cannot be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays=holidays, workdays=workdays):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date,
    end: dt.date,
    *,
    holidays: frozenset[dt.date] = frozenset(),
    workdays: frozenset[dt.date] = frozenset(),
) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start, holidays=holidays, workdays=workdays)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays=holidays, workdays=workdays):
            count += 1
    return count


def filing_deadline(
    filed_on: dt.date,
    *,
    working_days: int = DEFAULT_WORKING_DAYS,
    holidays: frozenset[dt.date] = frozenset(),
    workdays: frozenset[dt.date] = frozenset(),
) -> dt.date:
    """The last day the registrar has to decide a filing made on `filed_on`."""
    return add_working_days(filed_on, working_days, holidays=holidays, workdays=workdays)


def is_overdue(deadline: dt.date, *, today: dt.date) -> bool:
    """Overdue once the deadline day has passed undecided; the deadline day itself is still in time."""
    return today > deadline
