"""A computed valuation as plain JSON: what is stored with it and what the quote endpoint answers.

Pure: a calculations.PatentValuationResult in, a dict of strings, numbers and lists out, every
figure a Decimal string with its fixed places. valuation.serializers.PatentValuationResultSerializer
declares the same shape for the API's schema and renders through this.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from valuation.calculations import HIGH_VALUE_CATEGORIES, PatentValuationResult

_PLACES = {2: Decimal("0.01"), 4: Decimal("0.0001"), 6: Decimal("0.000001")}


def _fixed(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(_PLACES[places]):f}"


def _money(value):
    return _fixed(value, 2)


def _ratio(value):
    return _fixed(value, 4)


def stored_value_type(record: dict) -> str:
    """The value type a stored valuation's workings or policy snapshot states.

    Valuations stored before the value type was stated were all of market value.
    """
    return (record or {}).get("value_type") or "market"


def workings_of(result: PatentValuationResult) -> dict[str, Any]:
    income, cost, market = result.income, result.cost, result.market
    return {
        "number": result.number,
        "jurisdiction": result.patent.jurisdiction,
        "kind": result.patent.kind,
        "currency": result.currency,
        "valuation_date": result.valuation_date.isoformat(),
        "valid_until": result.valid_until.isoformat(),
        "expiry_date": result.expiry.isoformat(),
        "remaining_term_years": _ratio(result.remaining_term_years),
        "income_value": _money(income.value) if income else None,
        "cost_value": _money(cost.value) if cost else None,
        "market_value": _money(market.value) if market else None,
        "weights": {name: _ratio(weight) for name, weight in result.reconciliation.weights.items()},
        "value": _money(result.value),
        "value_type": result.value_type,
        "liquidation": {
            "market_value": _money(result.liquidation.market_value),
            "discount": _ratio(result.liquidation.liquidation_discount),
            "discount_amount": _money(result.liquidation.discount_amount),
        } if result.liquidation else None,
        "quality_score": _money(result.quality.score),
        "quality": {
            "score": _money(result.quality.score),
            "dimensions": {name: _money(score) for name, score in result.quality.dimensions.items()},
            "weights": {name: _ratio(weight) for name, weight in result.quality.weights.items()},
            "defaulted": list(result.quality.defaulted),
        },
        "high_value": result.high_value.is_high_value,
        "high_value_categories": [
            {"code": code, "reason": HIGH_VALUE_CATEGORIES[code][0], "reason_zh": HIGH_VALUE_CATEGORIES[code][1]}
            for code in result.high_value.reasons
        ],
        "ltv_base": _ratio(result.ltv_breakdown.base),
        "ltv_adjustments": [
            {"reason": adjustment.reason, "points": _ratio(adjustment.points)}
            for adjustment in result.ltv_breakdown.adjustments
        ],
        "ltv": _ratio(result.ltv),
        "max_loan": _money(result.max_loan),
        "cash_flows": [
            {
                "year": year.year,
                "period_start": year.period_start.isoformat(),
                "period_end": year.period_end.isoformat(),
                "revenue": _money(year.revenue),
                "protected_fraction": _ratio(year.protected_fraction),
                "royalty": _money(year.royalty),
                "after_tax": _money(year.after_tax),
                "discount_factor": _fixed(year.discount_factor, 6),
                "present_value": _money(year.present_value),
            }
            for year in income.cash_flows
        ] if income else None,
        "cost": {
            "value": _money(cost.value),
            "remaining_life_years": _ratio(cost.remaining_life_years),
            "total_life_years": _ratio(cost.total_life_years),
            "life_ratio": _ratio(cost.life_ratio),
        } if cost else None,
        "sensitivity": [
            {
                "discount_rate_shift": _ratio(cell.discount_rate_shift),
                "royalty_rate_scale": _ratio(cell.royalty_rate_scale),
                "discount_rate": _ratio(cell.discount_rate),
                "royalty_rate": _ratio(cell.royalty_rate),
                "income_value": _money(cell.income_value),
                "value": _money(cell.value),
            }
            for cell in result.sensitivity
        ] if result.sensitivity is not None else None,
        "comparables": [
            {"price": _money(c.price), "quality_score": _money(c.quality_score), "adjusted_price": _money(c.adjusted_price)}
            for c in market.comparables
        ] if market else None,
    }
