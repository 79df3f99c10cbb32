"""The pure post-loan checks: one patent's facts and the loan's end in, findings out."""
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from monitoring import watch
from monitoring.watch import PatentFacts, WatchPolicy, pledge_findings

TODAY = dt.date(2026, 3, 1)
POLICY = WatchPolicy(fee_notice_days=90, protection_margin_months=12)


def facts(**overrides) -> PatentFacts:
    values = dict(
        number="ZL202110921116.9", jurisdiction="CN", kind="invention", filing_date=dt.date(2021, 3, 1),
        status="in_force", annual_fee_paid_until=dt.date(2027, 3, 1), invalidation_pending=False,
        ownership_frozen=False,
    )
    values.update(overrides)
    return PatentFacts(**values)


# A 12-month loan from 2026-03-02 runs through 2027-03-01; its patents must last through 2028-03-01.
LOAN_START = dt.date(2026, 3, 2)


def kinds(patent, loan_start=LOAN_START, today=TODAY):
    found = pledge_findings(patent=patent, loan_start=loan_start, term_months=12, today=today, policy=POLICY)
    return {f.kind: f for f in found}


def test_a_healthy_patent_raises_nothing():
    assert kinds(facts()) == {}


def test_fee_due_within_the_notice_period_is_a_warning():
    found = kinds(facts(annual_fee_paid_until=TODAY + dt.timedelta(days=90)))
    assert set(found) == {watch.ANNUAL_FEE_DUE}
    assert found[watch.ANNUAL_FEE_DUE].severity == watch.WARNING
    assert found[watch.ANNUAL_FEE_DUE].details == {"due_on": "2026-05-30", "notice_days": 90}


def test_fee_due_after_the_notice_period_is_not_yet_news():
    assert kinds(facts(annual_fee_paid_until=TODAY + dt.timedelta(days=91))) == {}


def test_fee_due_today_is_due_not_unpaid():
    assert set(kinds(facts(annual_fee_paid_until=TODAY))) == {watch.ANNUAL_FEE_DUE}


def test_fee_past_its_due_date_is_unpaid_with_the_grace_period_end():
    found = kinds(facts(annual_fee_paid_until=dt.date(2026, 2, 28)))
    assert set(found) == {watch.ANNUAL_FEE_UNPAID}
    unpaid = found[watch.ANNUAL_FEE_UNPAID]
    assert unpaid.severity == watch.CRITICAL
    assert unpaid.details == {"due_on": "2026-02-28", "grace_period_ends": "2026-08-28"}
    assert "ZL202110921116.9" in unpaid.message and "2026-08-28" in unpaid.message


def test_unknown_fee_status_raises_nothing():
    assert kinds(facts(annual_fee_paid_until=None)) == {}


def test_expiry_before_the_loan_ends_is_critical():
    # A CN utility model filed 2016-06-01 expires 2026-05-31, before a loan ending 2027-03-01.
    found = kinds(facts(kind="utility_model", filing_date=dt.date(2016, 6, 1)))
    assert found[watch.EXPIRY_WITHIN_TERM].severity == watch.CRITICAL
    assert found[watch.EXPIRY_WITHIN_TERM].details == {
        "expiry_date": "2026-05-31", "loan_ends": "2027-03-01", "margin_months": 12,
    }


def test_expiry_inside_the_margin_after_the_loan_is_a_warning():
    # Expires 2027-05-31: after the loan ends (2027-03-01) but before the 12-month margin runs out.
    found = kinds(facts(kind="utility_model", filing_date=dt.date(2017, 6, 1)))
    assert found[watch.EXPIRY_WITHIN_TERM].severity == watch.WARNING


def test_expiry_exactly_at_the_end_of_the_margin_is_enough():
    # Expires 2028-03-01 == loan end + 12 months.
    assert kinds(facts(kind="utility_model", filing_date=dt.date(2018, 3, 2))) == {}


def test_us_term_adjustment_counts():
    # A US utility patent filed 2008-02-01 ends 2028-02-01, a month short of the loan end plus
    # margin (2028-03-01); 40 days of term adjustment carry it past.
    us = facts(number="US10123456B2", jurisdiction="US", filing_date=dt.date(2008, 2, 1))
    assert watch.EXPIRY_WITHIN_TERM in kinds(us)
    assert watch.EXPIRY_WITHIN_TERM not in kinds(facts(
        number="US10123456B2", jurisdiction="US", filing_date=dt.date(2008, 2, 1), term_adjustment_days=40,
    ))


def test_invalidation_and_frozen_ownership_are_critical():
    found = kinds(facts(invalidation_pending=True, ownership_frozen=True))
    assert set(found) == {watch.INVALIDATION_PENDING, watch.OWNERSHIP_FROZEN}
    assert {f.severity for f in found.values()} == {watch.CRITICAL}


def test_a_patent_no_longer_in_force_says_so_and_not_that_a_fee_is_due():
    found = kinds(facts(status="lapsed", annual_fee_paid_until=dt.date(2025, 1, 1)))
    assert set(found) == {watch.NOT_IN_FORCE}
    assert found[watch.NOT_IN_FORCE].details == {"status": "lapsed"}


def test_a_kind_without_a_known_term_skips_only_the_expiry_check():
    found = kinds(facts(jurisdiction="US", kind="utility_model", invalidation_pending=True))
    assert set(found) == {watch.INVALIDATION_PENDING}


@given(
    paid_until=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2032, 1, 1))),
    filing=st.dates(dt.date(2005, 1, 1), dt.date(2025, 1, 1)),
    kind=st.sampled_from(["invention", "utility_model", "design"]),
    today=st.dates(dt.date(2024, 1, 1), dt.date(2030, 1, 1)),
)
def test_findings_are_deterministic_unique_per_kind_and_json_safe(paid_until, filing, kind, today):
    import json

    patent = facts(kind=kind, filing_date=filing, annual_fee_paid_until=paid_until)
    first = pledge_findings(patent=patent, loan_start=today, term_months=12, today=today, policy=POLICY)
    again = pledge_findings(patent=patent, loan_start=today, term_months=12, today=today, policy=POLICY)
    assert first == again
    assert len({f.kind for f in first}) == len(first)
    assert not ({watch.ANNUAL_FEE_DUE, watch.ANNUAL_FEE_UNPAID} <= {f.kind for f in first})
    json.dumps([f.details for f in first])
