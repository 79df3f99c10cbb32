"""System checks: a bank's lending-policy settings are refused at startup, not on the first valuation."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.checks import Error, register

from valuation.calculations import HIGH_VALUE_CATEGORIES, KINDS, QUALITY_INDICATORS, VALUE_TYPES


@register()
def lending_policy_settings(app_configs=None, **kwargs) -> list[Error]:
    from valuation.policy import high_value_criteria, lending_policy, quality_weights

    def error(message: str, code: int) -> Error:
        return Error(message, hint="See the README's section on lending policy settings.", id=f"valuation.E{code:03d}")

    try:
        policy, weights, criteria = lending_policy(), quality_weights(), high_value_criteria()
    except (InvalidOperation, TypeError, ValueError, AttributeError) as exc:
        return [error(f"a lending policy setting is not a number: {exc}", 1)]
    errors = []
    missing = [kind for kind in KINDS if kind not in policy.ltv_by_kind]
    if missing:
        errors.append(error(f"PLEDGEFLOW_LTV_BY_KIND has no LTV for {', '.join(missing)}", 2))
    if not Decimal("0") <= policy.ltv_floor <= policy.ltv_ceiling <= Decimal("1"):
        errors.append(error("need 0 <= PLEDGEFLOW_LTV_FLOOR <= PLEDGEFLOW_LTV_CEILING <= 1", 3))
    if set(weights) != set(QUALITY_INDICATORS) or sum(weights.values()) != 1 or min(weights.values()) < 0:
        errors.append(error("PLEDGEFLOW_QUALITY_WEIGHTS needs legal, technical and economic, each >= 0, summing to 1", 4))
    if policy.protection_margin_months < 0 or policy.valuation_validity_months < 1:
        errors.append(error("need PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS >= 0 and "
                            "PLEDGEFLOW_VALUATION_VALIDITY_MONTHS >= 1", 5))
    if policy.value_type not in VALUE_TYPES:
        errors.append(error(f"PLEDGEFLOW_VALUE_TYPE must be one of {', '.join(VALUE_TYPES)}, "
                            f"not {policy.value_type!r}", 8))
    discounts = policy.liquidation_discount_by_kind
    if any(kind not in discounts for kind in KINDS) or not all(
            Decimal("0") <= discounts[kind] < Decimal("1") for kind in KINDS if kind in discounts):
        errors.append(error("PLEDGEFLOW_LIQUIDATION_DISCOUNT_BY_KIND needs invention, utility_model and design, "
                            "each in [0, 1)", 9))
    from django.conf import settings

    unknown = set(getattr(settings, "PLEDGEFLOW_HIGH_VALUE_CATEGORIES", ())) - set(HIGH_VALUE_CATEGORIES)
    if unknown:
        errors.append(error(f"PLEDGEFLOW_HIGH_VALUE_CATEGORIES: unknown {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(HIGH_VALUE_CATEGORIES)}", 6))
    if criteria.pledge_threshold is not None and criteria.pledge_threshold < 0:
        errors.append(error("PLEDGEFLOW_HIGH_VALUE_PLEDGE_THRESHOLD may not be negative", 7))
    return errors
