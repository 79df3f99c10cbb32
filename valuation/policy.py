"""The bank's lending policy, quality weights and high-value categories, read from settings (DOMAIN.md §4-§5)."""
from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from django.conf import settings

from valuation.calculations import HighValueCriteria, LendingPolicy

# Settings own every default (config/settings/base.py, from the environment); they are read on every
# call, not at import, so a changed setting (or a test's override) applies at once.


def _decimals(mapping) -> MappingProxyType:
    return MappingProxyType({key: Decimal(str(value)) for key, value in mapping.items()})


def lending_policy() -> LendingPolicy:
    return LendingPolicy(
        ltv_by_kind=_decimals(settings.PLEDGEFLOW_LTV_BY_KIND),
        high_score=Decimal(settings.PLEDGEFLOW_LTV_HIGH_SCORE),
        high_score_bonus=Decimal(settings.PLEDGEFLOW_LTV_HIGH_SCORE_BONUS),
        low_score=Decimal(settings.PLEDGEFLOW_LTV_LOW_SCORE),
        low_score_penalty=Decimal(settings.PLEDGEFLOW_LTV_LOW_SCORE_PENALTY),
        high_value_bonus=Decimal(settings.PLEDGEFLOW_LTV_HIGH_VALUE_BONUS),
        ltv_floor=Decimal(settings.PLEDGEFLOW_LTV_FLOOR),
        ltv_ceiling=Decimal(settings.PLEDGEFLOW_LTV_CEILING),
        protection_margin_months=int(settings.PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS),
        valuation_validity_months=int(settings.PLEDGEFLOW_VALUATION_VALIDITY_MONTHS),
        value_type=str(settings.PLEDGEFLOW_VALUE_TYPE),
        liquidation_discount_by_kind=_decimals(settings.PLEDGEFLOW_LIQUIDATION_DISCOUNT_BY_KIND),
    )


def quality_weights() -> MappingProxyType:
    return _decimals(settings.PLEDGEFLOW_QUALITY_WEIGHTS)


def high_value_criteria() -> HighValueCriteria:
    categories = set(settings.PLEDGEFLOW_HIGH_VALUE_CATEGORIES)
    return HighValueCriteria(
        strategic_industry="strategic_emerging_industry" in categories,
        foreign_family="foreign_family" in categories,
        maintained_years=int(settings.PLEDGEFLOW_HIGH_VALUE_MAINTAINED_YEARS) if "maintained_long" in categories else None,
        pledge_threshold=(Decimal(str(settings.PLEDGEFLOW_HIGH_VALUE_PLEDGE_THRESHOLD))
                          if "pledge_secured" in categories else None),
        pledge_currency=settings.PLEDGEFLOW_HIGH_VALUE_PLEDGE_CURRENCY,
        awards=tuple(settings.PLEDGEFLOW_HIGH_VALUE_AWARDS) if "national_award" in categories else (),
    )
