"""The loan's dates have one home (financing.dates); approval and the sweep agree on them."""
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from financing.dates import add_months, loan_end, protection_needed_until
from monitoring import watch
from monitoring.watch import PatentFacts, WatchPolicy, pledge_findings
from valuation.calculations import LendingPolicy, protection_check


def test_a_loan_runs_through_the_day_before_its_anniversary():
    assert loan_end(start=dt.date(2026, 1, 15), term_months=12) == dt.date(2027, 1, 14)
    assert loan_end(start=dt.date(2026, 1, 31), term_months=1) == dt.date(2026, 2, 27)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_protection_is_counted_from_the_start_not_from_the_clamped_end():
    # From 31 January, one month ends 27 February; a 12-month margin from the start reaches 30 January.
    assert protection_needed_until(start=dt.date(2026, 1, 31), term_months=1, margin_months=12) == dt.date(2027, 2, 27)


def test_approval_and_sweep_agree_on_the_issue_example():
    """A 12-month loan from 2026-01-15, a patent whose last day is 2028-01-14: enough for both.

    Before, approval passed it and the next morning's sweep flagged expiry_within_term.
    """
    start, last_day = dt.date(2026, 1, 15), dt.date(2028, 1, 14)
    assert protection_check(expiry=last_day, on=start, term_months=12, policy=LendingPolicy()).ok
    # A CN invention filed 2008-01-15 is in force through 2028-01-14.
    patent = PatentFacts(
        number="ZL200810000001.7", jurisdiction="CN", kind="invention", filing_date=dt.date(2008, 1, 15),
        status="in_force", annual_fee_paid_until=None, invalidation_pending=False, ownership_frozen=False,
    )
    findings = pledge_findings(
        patent=patent, loan_start=start, term_months=12, today=dt.date(2026, 1, 16),
        policy=WatchPolicy(fee_notice_days=90, protection_margin_months=12),
    )
    assert watch.EXPIRY_WITHIN_TERM not in {f.kind for f in findings}


@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31)),
    term=st.integers(1, 360),
    margin=st.integers(0, 36),
    expiry=st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
)
def test_approval_passes_exactly_when_the_sweep_finds_no_expiry_problem(start, term, margin, expiry):
    approved = protection_check(
        expiry=expiry, on=start, term_months=term, policy=LendingPolicy(protection_margin_months=margin)
    ).ok
    assert approved == (expiry >= protection_needed_until(start=start, term_months=term, margin_months=margin))
    assert loan_end(start=start, term_months=term) < protection_needed_until(
        start=start, term_months=term, margin_months=margin
    ) or margin == 0
