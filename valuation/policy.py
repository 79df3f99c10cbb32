"""The bank's lending policy, quality weights and high-value categories, read from settings (DOMAIN.md §4-§5)."""
from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from django.conf import settings

from valuation.calculations import DEFAULT_QUALITY_WEIGHTS, NATIONAL_AWARDS, HighValueCriteria, LendingPolicy

# Settings are read on every call, not at import, so a changed setting (or a test's override) applies at once.


def _decimal(name: str, default: str) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def _decimals(mapping) -> MappingProxyType:
    return MappingProxyType({key: Decimal(str(value)) for key, value in mapping.items()})


def lending_policy() -> LendingPolicy:
    defaults = LendingPolicy()
    return LendingPolicy(
        ltv_by_kind=_decimals(getattr(settings, "PLEDGEFLOW_LTV_BY_KIND", defaults.ltv_by_kind)),
        high_score=_decimal("PLEDGEFLOW_LTV_HIGH_SCORE", defaults.high_score),
        high_score_bonus=_decimal("PLEDGEFLOW_LTV_HIGH_SCORE_BONUS", defaults.high_score_bonus),
        low_score=_decimal("PLEDGEFLOW_LTV_LOW_SCORE", defaults.low_score),
        low_score_penalty=_decimal("PLEDGEFLOW_LTV_LOW_SCORE_PENALTY", defaults.low_score_penalty),
        high_value_bonus=_decimal("PLEDGEFLOW_LTV_HIGH_VALUE_BONUS", defaults.high_value_bonus),
        ltv_floor=_decimal("PLEDGEFLOW_LTV_FLOOR", defaults.ltv_floor),
        ltv_ceiling=_decimal("PLEDGEFLOW_LTV_CEILING", defaults.ltv_ceiling),
        protection_margin_months=int(getattr(
            settings, "PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS", defaults.protection_margin_months)),
        valuation_validity_months=int(getattr(
            settings, "PLEDGEFLOW_VALUATION_VALIDITY_MONTHS", defaults.valuation_validity_months)),
    )


def quality_weights() -> MappingProxyType:
    return _decimals(getattr(settings, "PLEDGEFLOW_QUALITY_WEIGHTS", DEFAULT_QUALITY_WEIGHTS))


def high_value_criteria() -> HighValueCriteria:
    categories = set(getattr(settings, "PLEDGEFLOW_HIGH_VALUE_CATEGORIES", (
        "strategic_emerging_industry", "foreign_family", "maintained_long", "pledge_secured", "national_award",
    )))
    threshold = getattr(settings, "PLEDGEFLOW_HIGH_VALUE_PLEDGE_THRESHOLD", "10000000")
    return HighValueCriteria(
        strategic_industry="strategic_emerging_industry" in categories,
        foreign_family="foreign_family" in categories,
        maintained_years=(int(getattr(settings, "PLEDGEFLOW_HIGH_VALUE_MAINTAINED_YEARS", 10))
                          if "maintained_long" in categories else None),
        pledge_threshold=Decimal(str(threshold)) if "pledge_secured" in categories else None,
        pledge_currency=getattr(settings, "PLEDGEFLOW_HIGH_VALUE_PLEDGE_CURRENCY", "CNY"),
        awards=tuple(getattr(settings, "PLEDGEFLOW_HIGH_VALUE_AWARDS", NATIONAL_AWARDS))
        if "national_award" in categories else (),
    )
