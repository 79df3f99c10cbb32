"""The claim split, interest, subsidies and ratios against hand-worked figures (programmes.calculations)."""
import datetime as dt
from decimal import Decimal as D

import pytest

from programmes import calculations as calc

GUANGDONG = {"pool": D("0.54"), "bank": D("0.26"), "insurer": D("0.16"), "appraiser": D("0.04")}


def test_split_by_shares_to_the_cent():
    split = calc.loss_split(loss=D("1000000.00"), shares=GUANGDONG, cap_per_loan=None)
    assert split == {"pool": D("540000.00"), "bank": D("260000.00"), "insurer": D("160000.00"),
                     "appraiser": D("40000.00"), "guarantor": D("0.00")}


def test_the_cap_takes_the_pools_excess_to_the_bank():
    # 1,000,000 × 54% = 540,000 > cap 500,000: the pool pays 500,000, the bank 260,000 + 40,000.
    split = calc.loss_split(loss=D("1000000.00"), shares=GUANGDONG, cap_per_loan=D("500000.00"))
    assert split["pool"] == D("500000.00") and split["bank"] == D("300000.00")
    assert split["insurer"] == D("160000.00") and split["appraiser"] == D("40000.00")
    assert sum(split.values()) == D("1000000.00")


def test_the_rounding_remainder_goes_to_the_bank():
    # 100.01 × 0.3333 = 33.333333 → 33.33 (pool), 33.33 (bank); × 0.3334 = 33.343334 → 33.34 (insurer);
    # 33.33 + 33.33 + 33.34 = 100.00, so the bank takes the remaining cent: 33.34.
    shares = {"pool": D("0.3333"), "bank": D("0.3333"), "insurer": D("0.3334")}
    split = calc.loss_split(loss=D("100.01"), shares=shares, cap_per_loan=None)
    assert split == {"pool": D("33.33"), "bank": D("33.34"), "insurer": D("33.34"), "appraiser": D("0.00"),
                     "guarantor": D("0.00")}


def test_a_remainder_can_be_taken_back_from_the_bank():
    # 0.05 × 0.5 = 0.025 → 0.03 each (half up): 0.06, one cent over; the bank gives it back.
    split = calc.loss_split(loss=D("0.05"), shares={"pool": D("0.5"), "insurer": D("0.5")}, cap_per_loan=None)
    assert split["pool"] == D("0.03") and split["insurer"] == D("0.03") and split["bank"] == D("-0.01")
    assert sum(split.values()) == D("0.05")


def test_shares_must_sum_to_one_exactly():
    assert calc.shares_valid(GUANGDONG) == []
    assert calc.shares_valid({"pool": D("0.54"), "bank": D("0.26")}) == ["the shares must sum to 1 exactly, not 0.80"]
    assert calc.shares_valid({"pool": D("1"), "landlord": D("0")}) == ["unknown party 'landlord'"]


def test_loss_is_principal_plus_interest_less_proceeds_never_below_zero():
    assert calc.loss(principal_unpaid=D("2000000"), interest_due=D("21452.05"), proceeds=D("1500000")) == D("521452.05")
    assert calc.loss(principal_unpaid=D("100"), interest_due=D("0"), proceeds=D("500")) == D("0.00")


def test_interest_due_accrues_actual_365_on_the_running_balance():
    # 1,000,000 at 3.65%: 100 per day. 30 days on 1,000,000 = 3,000; then 500,000 repaid,
    # 20 more days on 500,000 = 1,000; accrued 4,000, of which 2,500 paid: 1,500 due.
    start = dt.date(2026, 1, 1)
    repayments = [calc.Repayment(start + dt.timedelta(days=30), D("500000"), D("2500"))]
    kwargs = dict(amount=D("1000000"), annual_rate=D("0.0365"), disbursed_on=start, repayments=repayments)
    assert calc.interest_accrued(until=start + dt.timedelta(days=50), **kwargs) == D("4000.00")
    assert calc.interest_due(until=start + dt.timedelta(days=50), **kwargs) == D("1500.00")


def test_only_the_ip_secured_part_of_the_loss_counts():
    assert calc.covered_loss(loss=D("900000"), ip_secured_amount=D("2000000"), loan_amount=D("3000000")) == D("600000.00")
    assert calc.covered_loss(loss=D("900000"), ip_secured_amount=D("3000000"), loan_amount=D("3000000")) == D("900000.00")


def test_interest_subsidy_counts_interest_at_rates_up_to_the_cap():
    # 60,000 paid at 6%; cap 4%: 40,000 counts; half of it: 20,000.
    assert calc.interest_subsidy(interest_paid=D("60000"), annual_rate=D("0.06"), rate_cap=D("0.04"), share=D("0.5"),
                                 ip_secured_amount=D("1"), loan_amount=D("1")) == D("20000.00")
    # Under the cap, all of it counts.
    assert calc.interest_subsidy(interest_paid=D("30000"), annual_rate=D("0.03"), rate_cap=D("0.04"), share=D("0.5"),
                                 ip_secured_amount=D("1"), loan_amount=D("1")) == D("15000.00")


@pytest.mark.parametrize("on, unpaid, expected", [
    (dt.date(2026, 12, 31), D("1"), 0), (dt.date(2027, 1, 31), D("1"), 31), (dt.date(2027, 1, 31), D("0"), 0),
])
def test_days_overdue_count_from_the_loans_last_day(on, unpaid, expected):
    assert calc.days_overdue(maturity=dt.date(2026, 12, 31), principal_unpaid=unpaid, on=on) == expected


def test_statistics_of_hand_made_rows():
    def row(bank, enterprise, amount, day, outstanding, npl, patents=()):
        return calc.LoanRow(bank_id=bank, bank_name=f"Bank {bank}", enterprise_id=enterprise, amount=D(amount),
                            disbursed_on=day, outstanding_principal=D(outstanding), non_performing=npl,
                            high_value_patents=frozenset(patents))
    rows = [
        row(1, 10, "3000000", dt.date(2026, 1, 5), "2000000", False, {"A"}),
        row(1, 11, "12000000", dt.date(2026, 1, 20), "12000000", True, {"A", "B"}),
        row(2, 10, "5000000", dt.date(2026, 2, 3), "0", False),
    ]
    stats = calc.statistics(rows, inclusive_limit=D("10000000"))
    assert {k: stats[k] for k in stats if not k.startswith("by_")} == {
        "loans": 3, "amount": D("20000000.00"), "enterprises": 2, "inclusive_loans": 2,
        "inclusive_share": D("0.6667"), "outstanding_principal": D("14000000.00"),
        "npl_ratio": D("0.8571"), "high_value_patents": 2,
    }
    assert [(b["bank"], b["loans"], b["amount"]) for b in stats["by_bank"]] == [
        (1, 2, D("15000000.00")), (2, 1, D("5000000.00"))]
    assert [(m["month"], m["loans"]) for m in stats["by_month"]] == [("2026-01", 2), ("2026-02", 1)]
    empty = calc.statistics([], inclusive_limit=D("10000000"))
    assert empty["loans"] == 0 and empty["npl_ratio"] is None and empty["inclusive_share"] is None
