"""Lending policy values are settings: they reach the engine, and bad ones are refused at startup."""
from decimal import Decimal as D

from valuation.checks import lending_policy_settings
from valuation.policy import high_value_criteria, lending_policy, quality_weights


def test_the_defaults_are_those_of_the_domain():
    # The settings own the defaults (config/settings/base.py); nothing restates them as a fallback.
    policy = lending_policy()
    assert policy.ltv_by_kind["invention"] == D("0.40")
    assert (policy.high_score, policy.low_score, policy.ltv_ceiling) == (D("80"), D("50"), D("0.60"))
    assert dict(quality_weights()) == {"legal": D("0.4"), "technical": D("0.3"), "economic": D("0.3")}
    assert high_value_criteria().maintained_years == 10
    assert lending_policy_settings() == []


def test_a_bank_changes_its_policy_by_settings(settings):
    settings.PLEDGEFLOW_LTV_BY_KIND = {"invention": "0.5", "utility_model": "0.3", "design": "0.1"}
    settings.PLEDGEFLOW_LTV_CEILING = "0.7"
    settings.PLEDGEFLOW_HIGH_VALUE_CATEGORIES = ["foreign_family"]
    policy = lending_policy()
    assert policy.ltv_by_kind["invention"] == D("0.5") and policy.ltv_ceiling == D("0.7")
    criteria = high_value_criteria()
    assert criteria.foreign_family and not criteria.strategic_industry and criteria.maintained_years is None
    assert lending_policy_settings() == []


def test_bad_policy_settings_fail_the_system_check(settings):
    settings.PLEDGEFLOW_QUALITY_WEIGHTS = {"legal": "0.5", "technical": "0.5", "economic": "0.5"}
    settings.PLEDGEFLOW_LTV_FLOOR = "0.7"
    settings.PLEDGEFLOW_HIGH_VALUE_CATEGORIES = ["famous"]
    assert {e.id for e in lending_policy_settings()} == {"valuation.E003", "valuation.E004", "valuation.E006"}
    settings.PLEDGEFLOW_LTV_CEILING = "lots"
    assert [e.id for e in lending_policy_settings()] == ["valuation.E001"]


def test_the_value_type_and_liquidation_discounts_are_bank_settings(settings):
    policy = lending_policy()
    assert policy.value_type == "market"
    assert dict(policy.liquidation_discount_by_kind) == {
        "invention": D("0.30"), "utility_model": D("0.40"), "design": D("0.50")}
    settings.PLEDGEFLOW_VALUE_TYPE = "liquidation"
    settings.PLEDGEFLOW_LIQUIDATION_DISCOUNT_BY_KIND = {"invention": "0.25", "utility_model": "0.4", "design": "0.5"}
    policy = lending_policy()
    assert (policy.value_type, policy.liquidation_discount_by_kind["invention"]) == ("liquidation", D("0.25"))
    assert lending_policy_settings() == []


def test_a_bad_value_type_or_discount_fails_the_system_check(settings):
    settings.PLEDGEFLOW_VALUE_TYPE = "fire_sale"
    settings.PLEDGEFLOW_LIQUIDATION_DISCOUNT_BY_KIND = {"invention": "1", "utility_model": "0.4"}
    assert {e.id for e in lending_policy_settings()} == {"valuation.E008", "valuation.E009"}
