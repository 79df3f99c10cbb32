"""The valuation formulas against cases worked by hand, and their properties under hypothesis."""
import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from valuation.calculations import (
    HighValueCriteria,
    LendingPolicy,
    PatentFacts,
    ValuationInputError,
    LtvAdjustment,
    add_months,
    cost_value,
    high_value,
    income_value,
    loan_cap,
    ltv_breakdown,
    ltv_for,
    market_value,
    patent_valuation,
    protection_check,
    quality_score,
    reconcile,
    remaining_term_years,
    stated_value,
    valuation_valid_until,
    years_between,
)

FAR_FUTURE = dt.date(2099, 12, 31)


# ---------------------------------------------------------------- dates and terms


def test_add_months_falls_back_to_the_months_last_day():
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 12, 31), 14) == dt.date(2028, 2, 29)


def test_years_between_counts_anniversaries_then_days_of_the_next_year():
    # 2026-01-01 -> 2041-01-01 is 15 anniversaries; 2041-01-01 -> 2041-08-09
    # is 220 days of a 365-day year: 15 + 220/365 = 15.60273...
    assert years_between(dt.date(2026, 1, 1), dt.date(2041, 8, 9)).quantize(D("0.0001")) == D("15.6027")
    assert years_between(dt.date(2026, 1, 1), dt.date(2036, 1, 1)) == 10
    assert years_between(dt.date(2026, 1, 1), dt.date(2025, 1, 1)) == 0


def test_remaining_term_of_a_cn_invention():
    # Filed 2021-08-09: in force through 2041-08-08, so protection ends
    # 2041-08-09. From 2026-01-01: 15 years + 220/365 = 15.6027.
    patent = PatentFacts(number="ZL202110000001.X", jurisdiction="CN", kind="invention", filing_date=dt.date(2021, 8, 9))
    assert remaining_term_years(expiry=patent.expiry_date, valuation_date=dt.date(2026, 1, 1)) == D("15.6027")


def test_remaining_term_of_a_cn_utility_model_valued_on_its_filing_day_is_the_whole_term():
    patent = PatentFacts(number="ZL202020000001.X", jurisdiction="CN", kind="utility_model",
                         filing_date=dt.date(2020, 3, 2))
    assert remaining_term_years(expiry=patent.expiry_date, valuation_date=dt.date(2020, 3, 2)) == D("10.0000")


def test_remaining_term_of_a_us_patent_includes_its_term_adjustment():
    # Filed 2010-06-15, 20 years -> 2030-06-15, plus 100 days PTA -> last day
    # 2030-09-23, protection ends 2030-09-24. From 2026-06-15: 4 years to
    # 2030-06-15, then 101 days (15 Jun -> 24 Sep) of 365: 4 + 101/365 = 4.2767.
    patent = PatentFacts(number="US7654321B1", jurisdiction="US", kind="invention", filing_date=dt.date(2010, 6, 15),
                         term_adjustment_days=100)
    assert remaining_term_years(expiry=patent.expiry_date, valuation_date=dt.date(2026, 6, 15)) == D("4.2767")


def test_remaining_term_after_expiry_is_zero():
    # A CN utility model filed 2010-01-01 was in force through 2019-12-31.
    assert remaining_term_years(expiry=dt.date(2019, 12, 31), valuation_date=dt.date(2026, 1, 1)) == D("0.0000")


# ---------------------------------------------------------------- income approach


def test_income_value_with_the_patent_in_force_throughout():
    # royalty 5%, tax 25%, discount 10%, revenue growing 10% a year:
    # year 1: 1,000,000 x 0.05 x 0.75 = 37,500 / 1.1   = 34,090.909 -> 34,090.91
    # year 2: 1,100,000 x 0.05 x 0.75 = 41,250 / 1.21  = 34,090.909 -> 34,090.91
    # year 3: 1,210,000 x 0.05 x 0.75 = 45,375 / 1.331 = 34,090.909 -> 34,090.91
    # value = sum of the rounded rows = 102,272.73
    result = income_value(
        revenue_forecast=[D("1000000"), D("1100000"), D("1210000")],
        royalty_rate=D("0.05"), tax_rate=D("0.25"), discount_rate=D("0.10"),
        valuation_date=dt.date(2026, 1, 1), expiry=FAR_FUTURE,
    )
    assert result.value == D("102272.73")
    assert [row.present_value for row in result.cash_flows] == [D("34090.91")] * 3
    first = result.cash_flows[0]
    assert (first.period_start, first.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert first.royalty == D("50000.00")
    assert first.after_tax == D("37500.00")
    assert first.discount_factor == D("0.909091")
    assert first.protected_fraction == D("1.0000")
    assert result.protected_years == D("3.0000")


def test_income_value_cut_at_expiry_with_a_forecast_longer_than_the_remaining_term():
    # A CN utility model filed 2017-04-01: 10 years, last day 2027-03-31.
    # Valued 2025-10-01 with a 4-year forecast of 2,000,000 a year, royalty
    # 4%, tax 25%, discount 8%.
    # year 1 (2025-10-01..2026-09-30): f = 1
    #   2,000,000 x 0.04 = 80,000; x 0.75 = 60,000; / 1.08 = 55,555.56
    # year 2 (2026-10-01..2027-09-30, 365 days): protected 2026-10-01..2027-03-31
    #   = 31+30+31+31+28+31 = 182 days, f = 182/365 = 0.4986
    #   80,000 x 182/365 = 39,890.41; x 0.75 = 29,917.808...; / 1.08^2 = 1.1664
    #   -> 25,649.698... -> 25,649.70
    # years 3 and 4 lie wholly after expiry: f = 0, present value 0.
    # value = 55,555.56 + 25,649.70 = 81,205.26
    result = income_value(
        revenue_forecast=["2000000", "2000000", "2000000", "2000000"],
        royalty_rate="0.04", tax_rate="0.25", discount_rate="0.08",
        valuation_date=dt.date(2025, 10, 1), expiry=dt.date(2027, 3, 31),
    )
    rows = result.cash_flows
    assert [row.protected_fraction for row in rows] == [D("1.0000"), D("0.4986"), D("0.0000"), D("0.0000")]
    assert rows[1].royalty == D("39890.41")
    assert rows[1].after_tax == D("29917.81")
    assert [row.present_value for row in rows] == [D("55555.56"), D("25649.70"), D("0.00"), D("0.00")]
    assert result.value == D("81205.26")
    assert result.protected_years == D("1.4986")


def test_income_value_counts_the_expiry_day_as_protected():
    # Expiry is the last day in force: a one-year forecast from 2026-01-01
    # with expiry 2026-01-01 covers 1 day of 365.
    result = income_value(
        revenue_forecast=["365000"], royalty_rate="1", tax_rate="0", discount_rate="0",
        valuation_date=dt.date(2026, 1, 1), expiry=dt.date(2026, 1, 1),
    )
    # 365,000 x 1 x 1 x 1/365 / 1 = 1,000.00
    assert result.value == D("1000.00")


def test_income_value_in_a_leap_year_uses_366_days():
    # 2028-01-01..2028-12-31 has 366 days; in force through 2028-06-30:
    # 31+29+31+30+31+30 = 182 days; 366,000 x 182/366 = 182,000.00
    result = income_value(
        revenue_forecast=["366000"], royalty_rate="1", tax_rate="0", discount_rate="0",
        valuation_date=dt.date(2028, 1, 1), expiry=dt.date(2028, 6, 30),
    )
    assert result.value == D("182000.00")


@pytest.mark.parametrize("field, changes", [
    ("income.royalty_rate", {"royalty_rate": "1.5"}),
    ("income.royalty_rate", {"royalty_rate": "-0.01"}),
    ("income.tax_rate", {"tax_rate": "1"}),
    ("income.discount_rate", {"discount_rate": "abc"}),
    ("income.discount_rate", {"discount_rate": 0.1}),
    ("income.revenue_forecast[1]", {"revenue_forecast": ["10", "-1"]}),
    ("income.revenue_forecast", {"revenue_forecast": []}),
])
def test_income_value_refuses_bad_input_naming_the_field(field, changes):
    arguments = dict(revenue_forecast=["100"], royalty_rate="0.05", tax_rate="0.25", discount_rate="0.1",
                     valuation_date=dt.date(2026, 1, 1), expiry=FAR_FUTURE)
    arguments.update(changes)
    with pytest.raises(ValuationInputError) as refused:
        income_value(**arguments)
    assert refused.value.field == field


# ---------------------------------------------------------------- cost approach


def test_cost_value_scales_replacement_cost_by_remaining_over_total_life():
    # CN invention filed 2016-01-01: in force through 2035-12-31, 20 years.
    # Valued 2026-01-01: 10 years remain. 1,000,000 x 10/20 = 500,000.00
    result = cost_value(replacement_cost=D("1000000"), filing_date=dt.date(2016, 1, 1),
                        expiry=dt.date(2035, 12, 31), valuation_date=dt.date(2026, 1, 1))
    assert result.value == D("500000.00")
    assert (result.remaining_life_years, result.total_life_years, result.life_ratio) == (
        D("10.0000"), D("20.0000"), D("0.5000"))


def test_cost_value_with_a_part_year():
    # CN utility model filed 2017-04-01, in force through 2027-03-31 (10 years).
    # Valued 2025-10-01: 1 + 182/365 = 1.498630... years remain.
    # 800,000 x 1.498630.../10 = 119,890.41
    result = cost_value(replacement_cost="800000", filing_date=dt.date(2017, 4, 1),
                        expiry=dt.date(2027, 3, 31), valuation_date=dt.date(2025, 10, 1))
    assert result.value == D("119890.41")
    assert result.life_ratio == D("0.1499")


def test_cost_value_is_zero_after_expiry():
    result = cost_value(replacement_cost="800000", filing_date=dt.date(2010, 1, 1),
                        expiry=dt.date(2019, 12, 31), valuation_date=dt.date(2026, 1, 1))
    assert result.value == D("0.00")


# ---------------------------------------------------------------- market approach


def test_market_value_is_the_median_of_quality_scaled_comparables():
    # subject score 75:
    # 1,000,000 x 75/50 = 1,500,000;  900,000 x 75/75 = 900,000;
    # 1,200,000 x 75/60 = 1,500,000.  sorted 900k, 1.5M, 1.5M -> median 1,500,000
    result = market_value(comparables=[
        {"price": "1000000", "quality_score": "50"},
        {"price": "900000", "quality_score": "75"},
        {"price": "1200000", "quality_score": "60"},
    ], quality_score=D("75"))
    assert result.value == D("1500000.00")
    assert [c.adjusted_price for c in result.comparables] == [D("1500000.00"), D("900000.00"), D("1500000.00")]


def test_market_value_with_an_even_number_of_comparables_averages_the_middle_two():
    # 1,000,000 x 75/50 = 1,500,000; 900,000 x 75/75 = 900,000;
    # median = (900,000 + 1,500,000) / 2 = 1,200,000
    result = market_value(comparables=[
        {"price": "1000000", "quality_score": "50"},
        {"price": "900000", "quality_score": "75"},
    ], quality_score="75")
    assert result.value == D("1200000.00")


def test_market_value_refuses_a_comparable_scored_zero():
    with pytest.raises(ValuationInputError) as refused:
        market_value(comparables=[{"price": "1", "quality_score": "0"}], quality_score="50")
    assert refused.value.field == "market.comparables[0].quality_score"


# ---------------------------------------------------------------- reconciliation


def test_reconcile_with_weights():
    # 1,000,000 x 0.5 + 400,000 x 0.2 + 700,000 x 0.3 = 500,000 + 80,000 + 210,000 = 790,000
    result = reconcile(values={"income": D("1000000"), "cost": D("400000"), "market": D("700000")},
                       weights={"income": "0.5", "cost": "0.2", "market": "0.3"})
    assert result.value == D("790000.00")


def test_reconcile_without_weights_shares_equally():
    # (100 + 100 + 101) / 3 = 100.333... -> 100.33; each weight 1/3 -> 0.3333
    result = reconcile(values={"income": D("100"), "cost": D("100"), "market": D("101")})
    assert result.value == D("100.33")
    assert set(result.weights.values()) == {D("0.3333")}


def test_reconcile_counts_a_given_approach_left_out_of_the_weights_as_zero():
    # 1,000,000 x 1 + 400,000 x 0 = 1,000,000
    result = reconcile(values={"income": D("1000000"), "cost": D("400000")}, weights={"income": "1"})
    assert result.value == D("1000000.00")
    assert result.weights == {"income": D("1.0000"), "cost": D("0.0000")}


@pytest.mark.parametrize("weights, field", [
    ({"income": "0.5", "cost": "0.4"}, "weights"),
    ({"income": "0.5", "market": "0.5"}, "weights.market"),
    ({"income": "1.2", "cost": "-0.2"}, "weights.income"),
])
def test_reconcile_refuses_weights_that_do_not_fit(weights, field):
    with pytest.raises(ValuationInputError) as refused:
        reconcile(values={"income": D("1"), "cost": D("1")}, weights=weights)
    assert refused.value.field == field


# ---------------------------------------------------------------- quality score


def test_quality_score_with_nothing_rated_is_neutral_and_lists_every_indicator_as_defaulted():
    # every indicator 3 -> (3 - 1) x 25 = 50 in each dimension -> 50
    result = quality_score()
    assert result.score == D("50.00")
    assert len(result.defaulted) == 16
    assert "legal.claim_stability" in result.defaulted


def test_quality_score_combines_the_dimensions_with_the_default_weights():
    # legal: all six rated 5 -> mean 5 -> 100; technical: all five rated 1 -> 0;
    # economic: none rated -> 3 -> 50.  0.4 x 100 + 0.3 x 0 + 0.3 x 50 = 55.00
    legal = {name: 5 for name in ("claim_stability", "non_circumventability", "infringement_detectability",
                                  "remaining_term", "family_coverage", "licensing_status")}
    technical = {name: 1 for name in ("advancement", "maturity", "breadth_of_application",
                                      "substitutability", "dependence")}
    result = quality_score(ratings={"legal": legal, "technical": technical})
    assert result.score == D("55.00")
    assert result.dimensions == {"legal": D("100.00"), "technical": D("0.00"), "economic": D("50.00")}
    assert result.defaulted == ("economic.market_size", "economic.market_share", "economic.competition",
                                "economic.policy_fit", "economic.realisability")
    # with weights 0.5/0.25/0.25: 50 + 0 + 12.5 = 62.50
    reweighted = quality_score(ratings={"legal": legal, "technical": technical},
                               weights={"legal": "0.5", "technical": "0.25", "economic": "0.25"})
    assert reweighted.score == D("62.50")


def test_quality_score_with_a_partly_rated_dimension():
    # legal: claim_stability 5, the other five default to 3: mean 20/6 = 3.333...
    # -> (3.333... - 1) x 25 = 58.333...; 0.4 x 58.333... + 0.3 x 50 + 0.3 x 50 = 53.33
    result = quality_score(ratings={"legal": {"claim_stability": 5}})
    assert result.score == D("53.33")
    assert "legal.claim_stability" not in result.defaulted
    assert len(result.defaulted) == 15


@pytest.mark.parametrize("ratings, weights, field", [
    ({"legal": {"claim_stability": 6}}, None, "quality.legal.claim_stability"),
    ({"legal": {"claim_stability": 0}}, None, "quality.legal.claim_stability"),
    ({"legal": {"beauty": 4}}, None, "quality.legal.beauty"),
    ({"aesthetic": {}}, None, "quality.aesthetic"),
    (None, {"legal": "0.5", "technical": "0.3", "economic": "0.3"}, "quality_weights"),
])
def test_quality_score_refuses_bad_ratings_and_weights(ratings, weights, field):
    with pytest.raises(ValuationInputError) as refused:
        quality_score(ratings=ratings, weights=weights)
    assert refused.value.field == field


# ---------------------------------------------------------------- high-value invention patents


def _high_value(**overrides):
    arguments = dict(kind="invention", granted=True, in_force=True, filing_date=dt.date(2014, 5, 1),
                     on=dt.date(2026, 1, 1))
    arguments.update(overrides)
    return high_value(**arguments)


def test_high_value_lists_every_category_met():
    # filed 2014-05-01, tenth anniversary 2024-05-01 < 2026-01-01: maintained > 10 years
    result = _high_value(strategic_industry=True, foreign_family=True, award="national_patent_award",
                         pledge_secured=D("10000000"))
    assert result.is_high_value
    assert result.reasons == ("strategic_emerging_industry", "foreign_family", "maintained_long",
                              "pledge_secured", "national_award")


def test_high_value_maintenance_must_exceed_the_years():
    assert not _high_value(filing_date=dt.date(2016, 1, 1)).is_high_value  # on the 10th anniversary exactly
    assert _high_value(filing_date=dt.date(2015, 12, 31)).reasons == ("maintained_long",)


def test_high_value_pledge_threshold_counts_only_in_its_currency():
    recent = dt.date(2022, 1, 1)
    assert not _high_value(filing_date=recent, pledge_secured=D("9999999.99")).is_high_value
    assert not _high_value(filing_date=recent, pledge_secured=D("20000000"), currency="USD").is_high_value
    lower = HighValueCriteria(pledge_threshold=D("5000000"))
    assert _high_value(filing_date=recent, pledge_secured=D("5000000"), criteria=lower).reasons == ("pledge_secured",)


def test_only_a_granted_invention_in_force_can_be_high_value():
    features = dict(strategic_industry=True, foreign_family=True)
    assert not _high_value(kind="utility_model", **features).is_high_value
    assert not _high_value(granted=False, **features).is_high_value
    assert not _high_value(in_force=False, **features).is_high_value


def test_high_value_categories_can_be_switched_off():
    criteria = HighValueCriteria(strategic_industry=False, maintained_years=None)
    assert not _high_value(strategic_industry=True, criteria=criteria).is_high_value


# ---------------------------------------------------------------- lending policy


@pytest.mark.parametrize("kind, score, is_high_value, expected", [
    ("invention", D("85"), True, D("0.5500")),  # 0.40 + 0.10 + 0.05
    ("invention", D("80"), False, D("0.5000")),  # 0.40 + 0.10 (80 counts as high)
    ("invention", D("79.99"), False, D("0.4000")),  # no adjustment
    ("invention", D("40"), False, D("0.3000")),  # 0.40 - 0.10
    ("utility_model", D("90"), False, D("0.3500")),  # 0.25 + 0.10
    ("utility_model", D("50"), False, D("0.2500")),  # 50 is not below 50
    ("design", D("45"), False, D("0.0500")),  # 0.15 - 0.10
])
def test_ltv_by_kind_with_adjustments(kind, score, is_high_value, expected):
    assert ltv_for(kind=kind, quality_score=score, high_value=is_high_value) == expected


def test_ltv_stays_within_the_bounds():
    # 0.40 + 0.10 + 0.05 = 0.55, ceiling 0.50 -> 0.50
    assert ltv_for(kind="invention", quality_score=D("90"), high_value=True,
                   policy=LendingPolicy(ltv_ceiling=D("0.50"))) == D("0.5000")
    # 0.15 - 0.10 = 0.05 with design base 0.05: 0.05 - 0.10 = -0.05 -> floor 0
    policy = LendingPolicy(ltv_by_kind={"invention": D("0.4"), "utility_model": D("0.25"), "design": D("0.05")})
    assert ltv_for(kind="design", quality_score=D("10"), high_value=False, policy=policy) == D("0.0000")


def test_ltv_breakdown_names_each_adjustment_in_percentage_points():
    # invention 40 + 10 (score 92 >= 80) + 5 (high value) = 55; ceiling 50 takes 5 off
    breakdown = ltv_breakdown(kind="invention", quality_score=D("92"), high_value=True,
                              policy=LendingPolicy(ltv_ceiling=D("0.50")))
    assert breakdown.base == D("0.4000")
    assert breakdown.adjustments == (
        LtvAdjustment("high_quality", D("10.0000")), LtvAdjustment("high_value", D("5.0000")),
        LtvAdjustment("ceiling", D("-5.0000")),
    )
    assert breakdown.ltv == D("0.5000")


def test_loan_cap_sums_value_times_ltv_rounding_each_line_down():
    # 1,000,000.00 x 0.55 = 550,000.00; 333,333.35 x 0.25 = 83,333.3375 -> 83,333.33
    # (down; half-up would give .34).  cap = 633,333.33
    cap = loan_cap([("ZL1", D("1000000.00"), D("0.55")), ("ZL2", D("333333.35"), D("0.25"))])
    assert cap.cap == D("633333.33")
    assert cap.total_value == D("1333333.35")
    assert [line.max_loan for line in cap.lines] == [D("550000.00"), D("83333.33")]


def test_protection_must_outlast_the_loan_by_the_margin():
    # on 2026-01-15 for 12 months: the loan ends 2027-01-14; with the 12-month
    # margin the patent must be in force through 2028-01-14.
    check = protection_check(expiry=dt.date(2028, 1, 14), on=dt.date(2026, 1, 15), term_months=12)
    assert check.ok
    assert check.loan_ends_on == dt.date(2027, 1, 14)
    assert check.protection_needed_until == dt.date(2028, 1, 14)
    assert not protection_check(expiry=dt.date(2028, 1, 13), on=dt.date(2026, 1, 15), term_months=12).ok
    shorter_margin = LendingPolicy(protection_margin_months=6)
    assert protection_check(expiry=dt.date(2027, 7, 14), on=dt.date(2026, 1, 15), term_months=12,
                            policy=shorter_margin).ok


def test_valuation_valid_until_is_the_day_before_the_validity_months_run_out():
    assert valuation_valid_until(dt.date(2026, 3, 1)) == dt.date(2027, 2, 28)
    assert valuation_valid_until(dt.date(2024, 2, 29)) == dt.date(2025, 2, 27)
    assert valuation_valid_until(dt.date(2026, 3, 1), LendingPolicy(valuation_validity_months=6)) == dt.date(2026, 8, 31)


# ---------------------------------------------------------------- one patent, every approach


CN_INVENTION = PatentFacts(number="ZL201610000001.1", jurisdiction="CN", kind="invention",
                           filing_date=dt.date(2016, 1, 1), grant_date=dt.date(2018, 5, 2), strategic_industry=True)


def test_patent_valuation_combines_the_approaches_and_the_policy():
    # income: 2 years of 4,000,000 at royalty 5%, tax 25%, discount 10%:
    #   150,000 / 1.1 = 136,363.64; 150,000 / 1.21 = 123,966.94 -> 260,330.58
    # cost: 1,000,000 x 10/20 = 500,000.00 (see test_cost_value_...)
    # equal weights: (260,330.58 + 500,000.00) / 2 = 380,165.29
    # quality: nothing rated -> 50; high value (strategic industry) -> LTV 0.40 + 0.05 = 0.45
    # max loan: 380,165.29 x 0.45 = 171,074.3805 -> 171,074.38
    result = patent_valuation(
        patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
        income={"revenue_forecast": ["4000000", "4000000"], "royalty_rate": "0.05",
                "tax_rate": "0.25", "discount_rate": "0.10"},
        cost={"replacement_cost": "1000000"},
    )
    assert result.income.value == D("260330.58")
    assert result.cost.value == D("500000.00")
    assert result.value == D("380165.29")
    assert result.high_value.reasons == ("strategic_emerging_industry",)
    assert result.ltv == D("0.4500")
    assert result.max_loan == D("171074.38")
    assert result.remaining_term_years == D("10.0000")
    assert result.valid_until == dt.date(2026, 12, 31)


def test_patent_valuation_of_an_expired_patent_secures_nothing():
    result = patent_valuation(
        patent=CN_INVENTION, valuation_date=dt.date(2036, 1, 2),
        market={"comparables": [{"price": "100000", "quality_score": "50"}]},
    )
    assert result.value == D("100000.00")
    assert result.ltv == D("0.0000")
    assert result.ltv_breakdown.adjustments[-1] == LtvAdjustment("not_in_force", D("-40.0000"))
    assert result.max_loan == D("0.00")


def test_patent_valuation_needs_an_approach_and_a_sane_date():
    with pytest.raises(ValuationInputError) as refused:
        patent_valuation(patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1))
    assert refused.value.field == "approaches"
    with pytest.raises(ValuationInputError) as refused:
        patent_valuation(patent=CN_INVENTION, valuation_date=dt.date(2015, 1, 1), cost={"replacement_cost": "1"})
    assert refused.value.field == "valuation_date"


# ---------------------------------------------------------------- value type and sensitivity

TWO_YEARS_INCOME = {"revenue_forecast": ["4000000", "4000000"], "royalty_rate": "0.05",
                    "tax_rate": "0.25", "discount_rate": "0.10"}


def test_a_market_value_is_stated_as_reconciled():
    result = patent_valuation(patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
                              income=TWO_YEARS_INCOME, cost={"replacement_cost": "1000000"})
    assert result.value_type == "market"
    assert result.liquidation is None
    assert result.value == result.reconciliation.value == D("380165.29")


def test_a_liquidation_value_takes_the_kinds_discount_and_the_loan_rests_on_it():
    # market value as in test_patent_valuation_combines_...: 380,165.29
    # liquidation: 380,165.29 x (1 - 0.30) = 266,115.703 -> 266,115.70; discount taken 114,049.59
    # max loan: 266,115.70 x 0.45 = 119,752.065 -> rounded down 119,752.06
    result = patent_valuation(
        patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
        income=TWO_YEARS_INCOME, cost={"replacement_cost": "1000000"},
        policy=LendingPolicy(value_type="liquidation"),
    )
    assert result.value_type == "liquidation"
    assert result.reconciliation.value == D("380165.29")
    assert result.liquidation.market_value == D("380165.29")
    assert result.liquidation.liquidation_discount == D("0.3000")
    assert result.liquidation.discount_amount == D("114049.59")
    assert result.value == D("266115.70")
    assert result.income.value == D("260330.58")  # the approaches keep their own results
    assert result.ltv == D("0.4500")
    assert result.max_loan == D("119752.06")


@pytest.mark.parametrize("kind, discount, value", [
    ("invention", D("0.30"), D("70000.00")),
    ("utility_model", D("0.40"), D("60000.00")),
    ("design", D("0.50"), D("50000.00")),
])
def test_the_liquidation_discount_follows_the_kind(kind, discount, value):
    stated = stated_value(market_value=D("100000.00"), kind=kind, policy=LendingPolicy(value_type="liquidation"))
    assert (stated.liquidation_discount, stated.value) == (discount, value)


def test_a_liquidation_value_rounds_half_up_to_the_cent():
    # 123,456.78 x 0.70 = 86,419.746 -> 86,419.75
    stated = stated_value(market_value=D("123456.78"), kind="invention", policy=LendingPolicy(value_type="liquidation"))
    assert stated.value == D("86419.75")
    assert stated.discount_amount == D("37037.03")


def test_an_unknown_value_type_is_refused():
    with pytest.raises(ValuationInputError) as refused:
        stated_value(market_value=D("1"), kind="invention", policy=LendingPolicy(value_type="fire_sale"))
    assert refused.value.field == "value_type"


def _cell(result, shift, scale):
    return next(c for c in result.sensitivity
                if (c.discount_rate_shift, c.royalty_rate_scale) == (D(shift), D(scale)))


def test_the_sensitivity_grid_is_worked_by_the_same_engine():
    # discount 8% (-2 points), royalty 6% (+20%): 4,000,000 x 0.06 x 0.75 = 180,000 a year
    #   180,000 / 1.08 = 166,666.67; 180,000 / 1.1664 = 154,320.99 -> 320,987.66
    #   reconciled with cost 500,000.00: (320,987.66 + 500,000.00) / 2 = 410,493.83
    # discount 12% (+2 points), royalty 4% (-20%): 120,000 a year
    #   120,000 / 1.12 = 107,142.86; 120,000 / 1.2544 = 95,663.27 -> 202,806.13
    #   reconciled: 702,806.13 / 2 = 351,403.065 -> 351,403.07
    result = patent_valuation(patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
                              income=TWO_YEARS_INCOME, cost={"replacement_cost": "1000000"})
    assert len(result.sensitivity) == 9
    low_rate_high_royalty = _cell(result, "-0.02", "0.20")
    assert (low_rate_high_royalty.discount_rate, low_rate_high_royalty.royalty_rate) == (D("0.0800"), D("0.0600"))
    assert low_rate_high_royalty.income_value == D("320987.66")
    assert low_rate_high_royalty.value == D("410493.83")
    high_rate_low_royalty = _cell(result, "0.02", "-0.20")
    assert high_rate_low_royalty.income_value == D("202806.13")
    assert high_rate_low_royalty.value == D("351403.07")
    middle = _cell(result, "0", "0")
    assert (middle.income_value, middle.value) == (result.income.value, result.value)
    # The value falls as the discount rate rises and rises with the royalty rate.
    for scale in ("-0.20", "0", "0.20"):
        assert _cell(result, "-0.02", scale).value > _cell(result, "0", scale).value > _cell(result, "0.02", scale).value
    for shift in ("-0.02", "0", "0.02"):
        assert _cell(result, shift, "-0.20").value < _cell(result, shift, "0").value < _cell(result, shift, "0.20").value


def test_the_sensitivity_of_a_liquidation_value_is_of_liquidation_values():
    # 351,403.07 (the cell above) x 0.70 = 245,982.149 -> 245,982.15
    result = patent_valuation(patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
                              income=TWO_YEARS_INCOME, cost={"replacement_cost": "1000000"},
                              policy=LendingPolicy(value_type="liquidation"))
    assert _cell(result, "0.02", "-0.20").value == D("245982.15")
    assert _cell(result, "0", "0").value == result.value


def test_a_shifted_rate_is_held_within_bounds():
    result = patent_valuation(
        patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
        income={**TWO_YEARS_INCOME, "discount_rate": "0.01", "royalty_rate": "0.9"},
    )
    low = _cell(result, "-0.02", "0.20")
    assert (low.discount_rate, low.royalty_rate) == (D("0.0000"), D("1.0000"))
    # at 0% discount and 100% royalty: 2 x 4,000,000 x 0.75 = 6,000,000.00
    assert low.income_value == D("6000000.00")


def test_without_the_income_approach_there_is_no_sensitivity():
    result = patent_valuation(patent=CN_INVENTION, valuation_date=dt.date(2026, 1, 1),
                              cost={"replacement_cost": "1000000"})
    assert result.sensitivity is None


# ---------------------------------------------------------------- properties

money = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
rate = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)
tax = st.decimals(min_value=0, max_value=D("0.9999"), places=4, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))
forecasts = st.lists(money, min_size=1, max_size=25)


def _income(forecast, royalty="0.05", tax_rate="0.25", discount="0.10", valuation_date=dt.date(2026, 1, 1),
            expiry=dt.date(2040, 6, 30)):
    return income_value(revenue_forecast=forecast, royalty_rate=royalty, tax_rate=tax_rate,
                        discount_rate=discount, valuation_date=valuation_date, expiry=expiry).value


@settings(max_examples=150, deadline=None)
@given(forecast=forecasts, royalty=rate, tax_rate=tax, discount=rate, valued=days, expiry=days)
def test_income_value_is_never_negative(forecast, royalty, tax_rate, discount, valued, expiry):
    assert _income(forecast, royalty, tax_rate, discount, valued, expiry) >= 0


@settings(max_examples=150, deadline=None)
@given(forecast=forecasts, year=st.integers(min_value=0, max_value=24), extra=money,
       royalty=rate, discount=rate, expiry=days)
def test_income_value_rises_with_revenue(forecast, year, extra, royalty, discount, expiry):
    more = list(forecast)
    more[year % len(more)] += extra
    assert _income(more, royalty, discount=discount, expiry=expiry) >= _income(
        forecast, royalty, discount=discount, expiry=expiry)


@settings(max_examples=150, deadline=None)
@given(forecast=forecasts, low=rate, high=rate, discount=rate, expiry=days)
def test_income_value_rises_with_the_royalty_rate(forecast, low, high, discount, expiry):
    low, high = sorted((low, high))
    assert _income(forecast, high, discount=discount, expiry=expiry) >= _income(
        forecast, low, discount=discount, expiry=expiry)


@settings(max_examples=150, deadline=None)
@given(forecast=forecasts, royalty=rate, low=rate, high=rate, expiry=days)
def test_income_value_falls_as_the_discount_rate_rises(forecast, royalty, low, high, expiry):
    low, high = sorted((low, high))
    assert _income(forecast, royalty, discount=high, expiry=expiry) <= _income(
        forecast, royalty, discount=low, expiry=expiry)


@settings(max_examples=150, deadline=None)
@given(forecast=forecasts, royalty=rate, discount=rate, expiry=days, gap=st.integers(min_value=1, max_value=4000))
def test_income_value_is_zero_after_expiry(forecast, royalty, discount, expiry, gap):
    valued = expiry + dt.timedelta(days=gap)
    assert _income(forecast, royalty, discount=discount, valuation_date=valued, expiry=expiry) == 0


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(
    st.tuples(money, st.sampled_from(["invention", "utility_model", "design"]),
              st.decimals(min_value=0, max_value=100, places=2), st.booleans()),
    min_size=1, max_size=10))
def test_loan_cap_is_never_above_the_value(lines):
    priced = [(f"P{i}", value, ltv_for(kind=kind, quality_score=score, high_value=hv))
              for i, (value, kind, score, hv) in enumerate(lines)]
    cap = loan_cap(priced)
    assert 0 <= cap.cap <= cap.total_value
    assert all(D("0") <= line.ltv <= D("0.60") for line in cap.lines)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(money, min_size=1, max_size=3))
def test_reconciled_value_lies_between_the_approaches(values):
    named = dict(zip(("income", "cost", "market"), values))
    result = reconcile(values=named)
    assume(len(named) == len(values))
    assert min(values) <= result.value <= max(values)


@settings(max_examples=100, deadline=None)
@given(ratings=st.dictionaries(
    st.sampled_from(["claim_stability", "non_circumventability", "remaining_term"]),
    st.integers(min_value=1, max_value=5)))
def test_quality_score_stays_within_0_and_100(ratings):
    assert D("0") <= quality_score(ratings={"legal": ratings}).score <= D("100")


@settings(max_examples=60, deadline=None)
@given(forecast=forecasts, royalty=rate, tax_rate=tax, discount=rate, replacement=money,
       value_type=st.sampled_from(["market", "liquidation"]),
       kind=st.sampled_from(["invention", "utility_model", "design"]))
def test_the_sensitivity_grid_centres_on_the_valuation_and_moves_the_right_way(
        forecast, royalty, tax_rate, discount, replacement, value_type, kind):
    patent = PatentFacts(number="ZL201610000001.1", jurisdiction="CN", kind=kind, filing_date=dt.date(2016, 1, 1))
    result = patent_valuation(
        patent=patent, valuation_date=dt.date(2026, 1, 1), cost={"replacement_cost": replacement},
        income={"revenue_forecast": forecast, "royalty_rate": royalty, "tax_rate": tax_rate, "discount_rate": discount},
        policy=LendingPolicy(value_type=value_type),
    )
    grid = {(c.discount_rate_shift, c.royalty_rate_scale): c for c in result.sensitivity}
    assert len(grid) == 9
    assert (grid[D("0"), D("0")].income_value, grid[D("0"), D("0")].value) == (result.income.value, result.value)
    assert result.value <= result.reconciliation.value
    assert grid[D("-0.02"), D("0")].income_value >= result.income.value >= grid[D("0.02"), D("0")].income_value
    assert grid[D("0"), D("-0.20")].income_value <= result.income.value <= grid[D("0"), D("0.20")].income_value
