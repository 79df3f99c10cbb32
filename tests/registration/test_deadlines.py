"""The registrar's deadline: working days, weekends, holidays and make-up working days."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registration.deadlines import (
    add_working_days,
    filing_deadline,
    holiday_dates,
    is_overdue,
    is_working_day,
    working_days_between,
)

MON = dt.date(2026, 3, 2)


def test_five_working_days_from_a_monday_is_the_next_monday():
    assert filing_deadline(MON) == dt.date(2026, 3, 9)


def test_filed_on_friday_skips_the_weekend():
    assert add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)
    assert filing_deadline(dt.date(2026, 3, 6)) == dt.date(2026, 3, 13)


def test_filed_on_a_saturday_counts_from_monday():
    assert filing_deadline(dt.date(2026, 3, 7)) == dt.date(2026, 3, 13)


def test_holidays_are_skipped():
    # National Day week
    golden_week = holiday_dates([f"2026-10-0{d}" for d in range(1, 8)])
    assert filing_deadline(dt.date(2026, 9, 30), holidays=golden_week) == dt.date(2026, 10, 14)


def test_a_make_up_weekend_working_day_counts():
    saturday = dt.date(2026, 3, 7)
    assert is_working_day(saturday, workdays=frozenset({saturday}))
    assert filing_deadline(dt.date(2026, 3, 6), workdays=frozenset({saturday})) == dt.date(2026, 3, 12)


def test_the_period_is_configurable():
    assert filing_deadline(MON, working_days=10) == dt.date(2026, 3, 16)
    assert add_working_days(MON, 0) == MON


def test_negative_period_is_refused():
    with pytest.raises(ValueError):
        add_working_days(MON, -1)


def test_overdue_only_after_the_deadline_day():
    deadline = dt.date(2026, 3, 9)
    assert not is_overdue(deadline, today=dt.date(2026, 3, 8))
    assert not is_overdue(deadline, today=deadline)
    assert is_overdue(deadline, today=dt.date(2026, 3, 10))


def test_holiday_dates_from_settings():
    assert holiday_dates(["2026-01-01", dt.date(2026, 5, 1), " "]) == {dt.date(2026, 1, 1), dt.date(2026, 5, 1)}
    with pytest.raises(ValueError, match="2026-13-01"):
        holiday_dates(["2026-13-01"])


def test_working_days_between_counts_both_ways():
    assert working_days_between(MON, dt.date(2026, 3, 9)) == 5
    assert working_days_between(dt.date(2026, 3, 9), MON) == -5
    assert working_days_between(MON, MON) == 0


days = st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31))


@given(days, st.integers(0, 40), st.sets(days, max_size=20))
def test_deadline_is_a_working_day_exactly_n_working_days_later(start, n, holidays):
    holidays = frozenset(holidays)
    deadline = add_working_days(start, n, holidays=holidays)
    assert working_days_between(start, deadline, holidays=holidays) == n
    if n:
        assert is_working_day(deadline, holidays=holidays)
