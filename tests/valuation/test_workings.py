"""The stored workings and the quote's answer are one rendering, of the shape the API schema declares."""
import datetime as dt
from decimal import Decimal as D

import pytest
from rest_framework import serializers

from valuation.serializers import PatentValuationResultSerializer
from valuation.services import valuation_quote
from valuation.workings import workings_of


@pytest.mark.parametrize("approaches", [
    {"income": {"revenue_forecast": [D("1000000"), D("1200000.55")], "royalty_rate": D("0.05"),
                "tax_rate": D("0.25"), "discount_rate": D("0.1")}},
    {"cost": {"replacement_cost": D("900000")},
     "market": {"comparables": [{"price": D("800000"), "quality_score": D("70")}]},
     "quality": {"legal": {"claim_stability": 5}}},
])
@pytest.mark.parametrize("value_type", ["market", "liquidation"])
def test_workings_match_the_declared_fields_rendering(approaches, value_type, settings):
    settings.PLEDGEFLOW_VALUE_TYPE = value_type
    result = valuation_quote(
        patent={"number": "ZL202110921116.9", "jurisdiction": "CN", "kind": "invention",
                "filing_date": dt.date(2021, 7, 20), "granted": True, "strategic_industry": True},
        valuation_date=dt.date(2026, 1, 1), **approaches,
    )
    declared = serializers.Serializer.to_representation(PatentValuationResultSerializer(), result)
    assert workings_of(result) == declared
    assert PatentValuationResultSerializer(result).data == declared
