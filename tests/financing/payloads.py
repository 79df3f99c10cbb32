"""Transition inputs for tests: Python values for the typed services, and the same as JSON payloads."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core.json import as_json
from financing.lifecycle import transition_values as lifecycle_values

TEST_AMOUNT = Decimal("3000000.00")


def valuation_values(patent_numbers: list[str], *, valuation_date: dt.date | None = None) -> dict:
    """An appraiser's complete_valuation: income and cost approaches for each patent."""
    return {
        "valuation_date": valuation_date or timezone.localdate(),
        "patents": [
            {
                "number": number,
                "income": {
                    "revenue_forecast": [Decimal(v) for v in ("40000000.00", "45000000.00", "50000000.00",
                                                                "52000000.00", "54000000.00")],
                    "royalty_rate": Decimal("0.05"),
                    "tax_rate": Decimal("0.25"),
                    "discount_rate": Decimal("0.12"),
                },
                "cost": {"replacement_cost": Decimal("3000000.00")},
                "quality": {"legal": {"claim_stability": 4}, "technical": {"advancement": 4},
                            "economic": {"market_size": 4}},
                "weights": {"income": Decimal("0.7"), "cost": Decimal("0.3")},
            }
            for number in patent_numbers
        ],
    }


def valuation_payload(patent_numbers: list[str], *, valuation_date: dt.date | None = None) -> dict:
    return as_json(valuation_values(patent_numbers, valuation_date=valuation_date))


def transition_values(patent_numbers: list[str]) -> dict[str, dict]:
    """Every transition's service arguments, on the clock the services use."""
    return lifecycle_values(
        today=timezone.localdate(), valuation=valuation_values(patent_numbers), amount=TEST_AMOUNT
    )


def transition_payloads(patent_numbers: list[str]) -> dict[str, dict]:
    """The same inputs as a client sends them over the API (JSON: decimals and dates as strings)."""
    return {name: as_json(values) for name, values in transition_values(patent_numbers).items()}
