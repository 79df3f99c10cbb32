"""The US rules of the post-loan watch, with dates worked by hand: recording within 3 months of execution
(35 USC 261), the UCC-1's 5 years and 6-month continuation window (UCC 9-515), maintenance fees at 3.5,
7.5 and 11.5 years from grant with a 6-month surcharge period (35 USC 41(b))."""
import datetime as dt

import pytest

from monitoring import watch
from patents import terms
from patents.facts import PatentFacts

POLICY = watch.WatchPolicy(fee_notice_days=60, protection_margin_months=6)
GRANTED = dt.date(2019, 8, 20)


def us(**fields) -> PatentFacts:
    defaults = {"number": "US10123456B2", "jurisdiction": "US", "kind": "invention",
                "filing_date": dt.date(2017, 3, 1), "grant_date": GRANTED}
    return PatentFacts(**{**defaults, **fields})


def fee_findings(patent, today):
    return [(f.kind, f.severity) for f in watch.pledge_findings(
        patent=patent, loan_start=dt.date(2022, 6, 1), term_months=12, today=today, policy=POLICY,
    ) if f.kind not in (watch.EXPIRY_WITHIN_TERM,)]


def test_maintenance_fees_fall_due_at_three_and_a_half_seven_and_a_half_and_eleven_and_a_half_years():
    # 2019-08-20 + 42 months = 2023-02-20; + 90 = 2027-02-20; + 138 = 2031-02-20.
    assert terms.us_maintenance_fee_dates(GRANTED) == (dt.date(2023, 2, 20), dt.date(2027, 2, 20), dt.date(2031, 2, 20))
    # Granted on 31 August: 3.5 years on is a 28-day February, clamped.
    assert terms.us_maintenance_fee_dates(dt.date(2019, 8, 31))[0] == dt.date(2023, 2, 28)


@pytest.mark.parametrize("paid_until, due", [
    (GRANTED, dt.date(2023, 2, 20)),                 # nothing paid since grant: the 3.5-year fee
    (dt.date(2023, 2, 20), dt.date(2023, 2, 20)),    # paid up to the day it falls due
    (dt.date(2027, 2, 20), dt.date(2027, 2, 20)),    # the 3.5-year fee paid: the 7.5-year one next
    (dt.date(2031, 2, 21), None),                    # all three paid
    (None, None),                                    # no payment recorded: the register says nothing
])
def test_the_next_maintenance_fee(paid_until, due):
    assert terms.us_maintenance_fee_next_due(grant_date=GRANTED, paid_until=paid_until) == due


@pytest.mark.parametrize("today, expected", [
    (dt.date(2022, 8, 19), []),                                                  # the window opens 2022-08-20
    (dt.date(2022, 8, 20), [(watch.MAINTENANCE_FEE_DUE, watch.WARNING)]),
    (dt.date(2023, 2, 20), [(watch.MAINTENANCE_FEE_DUE, watch.WARNING)]),        # due today, still no surcharge
    (dt.date(2023, 2, 21), [(watch.MAINTENANCE_FEE_UNPAID, watch.CRITICAL)]),    # surcharge period
    (dt.date(2023, 8, 20), [(watch.MAINTENANCE_FEE_UNPAID, watch.CRITICAL)]),    # its last day
    (dt.date(2023, 8, 21), [(watch.FEE_LAPSED, watch.CRITICAL)]),                # expired at its end
])
def test_a_us_patent_is_watched_for_its_maintenance_fee_not_an_annual_fee(today, expected):
    assert fee_findings(us(annual_fee_paid_until=GRANTED), today) == expected


def test_a_lapsed_us_patent_expires_at_the_end_of_the_surcharge_period_not_from_the_due_date():
    patent = us(annual_fee_paid_until=GRANTED)
    assert patent.fee_lapse_date(dt.date(2023, 8, 20)) is None
    assert patent.fee_lapse_date(dt.date(2023, 8, 21)) == dt.date(2023, 8, 21)
    assert patent.in_force_on(dt.date(2023, 8, 20)) and not patent.in_force_on(dt.date(2023, 8, 21))
    lapsed = watch.pledge_findings(patent=patent, loan_start=dt.date(2022, 6, 1), term_months=12,
                                   today=dt.date(2023, 9, 1), policy=POLICY)
    assert [f.details.get("lapsed_on") for f in lapsed if f.kind == watch.FEE_LAPSED] == ["2023-08-21"]


def test_a_chinese_patent_keeps_its_annual_fee_rule():
    cn = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                     filing_date=dt.date(2021, 8, 16), grant_date=dt.date(2023, 3, 10),
                     annual_fee_paid_until=dt.date(2026, 4, 15))
    assert fee_findings(cn, dt.date(2026, 3, 1)) == [(watch.ANNUAL_FEE_DUE, watch.WARNING)]


@pytest.mark.parametrize("today, severity", [
    (dt.date(2026, 1, 15), watch.WARNING),     # executed today
    (dt.date(2026, 4, 15), watch.WARNING),     # 3 months on: the last day to record in time
    (dt.date(2026, 4, 16), watch.CRITICAL),
])
def test_recording_is_due_within_three_months_of_execution(today, severity):
    found = watch.us_recording_findings(number="US10123456B2", executed_on=dt.date(2026, 1, 15), recorded_on=None,
                                        today=today)
    assert [(f.kind, f.severity) for f in found] == [(watch.US_RECORDING_DUE, severity)]
    assert found[0].details == {"executed_on": "2026-01-15", "record_by": "2026-04-15"}


def test_a_recorded_agreement_raises_nothing_and_the_deadline_clamps_to_the_month_end():
    assert watch.us_recording_findings(number="US1", executed_on=dt.date(2026, 1, 15),
                                       recorded_on=dt.date(2026, 5, 1), today=dt.date(2026, 6, 1)) == []
    assert watch.us_recording_deadline(dt.date(2025, 11, 30)) == dt.date(2026, 2, 28)


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 1, 3), []),                                                 # window opens 2026-01-04
    (dt.date(2026, 1, 4), [(watch.UCC1_CONTINUATION_WINDOW, watch.WARNING)]),
    (dt.date(2026, 7, 3), [(watch.UCC1_CONTINUATION_WINDOW, watch.WARNING)]),  # last effective day
    (dt.date(2026, 7, 4), [(watch.UCC1_LAPSED, watch.CRITICAL)]),               # 5 years from filing
])
def test_a_ucc1_warns_in_its_continuation_window_and_lapses_after_five_years(today, expected):
    found = watch.ucc1_findings(number="US10123456B2", filed_on=dt.date(2021, 7, 4), today=today)
    assert [(f.kind, f.severity) for f in found] == expected


def test_a_continuation_counts_only_inside_the_window_and_adds_five_years():
    filed = dt.date(2021, 7, 4)
    assert watch.ucc1_lapse_date(filed, (dt.date(2026, 3, 1),)) == dt.date(2031, 7, 4)
    # Filed too early (before 2026-01-04) or after the lapse: no effect.
    assert watch.ucc1_lapse_date(filed, (dt.date(2025, 12, 1),)) == dt.date(2026, 7, 4)
    assert watch.ucc1_lapse_date(filed, (dt.date(2026, 7, 4),)) == dt.date(2026, 7, 4)
    assert watch.ucc1_findings(number="US1", filed_on=filed, continuations=(dt.date(2026, 3, 1),),
                               today=dt.date(2026, 8, 1)) == []
