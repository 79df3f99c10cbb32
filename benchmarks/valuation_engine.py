"""How much the Decimal-exact valuation engine costs, as ratios to a float sketch of the same formula run alongside.

Run: .venv/bin/python benchmarks/valuation_engine.py   (no database needed)
Absolute times vary by machine; the ratios are what to compare between runs.
"""
from __future__ import annotations

import datetime as dt
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from patents.facts import PatentFacts  # noqa: E402
from valuation.calculations import income_value, patent_valuation  # noqa: E402

VALUED_ON = dt.date(2026, 3, 1)
FORECAST = [str(20_000_000 + 1_000_000 * year) for year in range(20)]
INCOME = {"revenue_forecast": FORECAST, "royalty_rate": "0.05", "tax_rate": "0.25", "discount_rate": "0.12"}
PATENT = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                     filing_date=dt.date(2021, 7, 20), grant_date=dt.date(2023, 3, 14),
                     strategic_industry=True)
QUALITY = {"legal": {"claim_stability": 5, "remaining_term": 4}, "technical": {"advancement": 4},
           "economic": {"market_size": 5}}
MARKET = {"comparables": [{"price": "5000000", "quality_score": "60"}, {"price": "6500000", "quality_score": "70"},
                          {"price": "3000000", "quality_score": "45"}]}


def float_sketch() -> float:
    """The relief-from-royalty sum in binary floats, without expiry cut or rounding: the floor to compare with."""
    revenue = [float(r) for r in FORECAST]
    return sum(r * 0.05 * 0.75 / 1.12 ** t for t, r in enumerate(revenue, start=1))


def income_only():
    return income_value(valuation_date=VALUED_ON, expiry=PATENT_EXPIRY, **INCOME)


def every_approach():
    return patent_valuation(patent=PATENT, valuation_date=VALUED_ON, income=INCOME,
                            cost={"replacement_cost": "4000000"}, market=MARKET, quality=QUALITY)


PATENT_EXPIRY = every_approach().expiry


def per_call_us(function, number: int) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6


def main() -> None:
    baseline = per_call_us(float_sketch, 5000)
    rows = [
        ("float sketch, 20 years (baseline)", baseline),
        ("income approach, 20 years, Decimal + cash-flow table", per_call_us(income_only, 500)),
        ("one patent, all approaches + quality + LTV + 3x3 sensitivity", per_call_us(every_approach, 300)),
    ]
    print(f"{'case':<62} {'µs/call':>10} {'× baseline':>11}")
    for name, micros in rows:
        print(f"{name:<62} {micros:>10.1f} {micros / baseline:>11.1f}")


if __name__ == "__main__":
    main()
