"""Valuation: what the pledged patents are worth and how much can be lent."""
from django.apps import AppConfig


class ValuationConfig(AppConfig):
    name = "valuation"

    def ready(self):
        from valuation import checks  # noqa: F401  (registers the policy settings check)
