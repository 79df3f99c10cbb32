"""The demo portfolio, valued with the payload proposed for run_demo_lifecycle, covers the 5,000,000 CNY asked."""
from decimal import Decimal as D

import pytest
from django.utils import timezone

from core.errors import Conflict
from financing import services
from financing.demo import demo_seed
from valuation.selectors import valuation_current_for

PORTFOLIO = ("ZL202110921116.9", "ZL202120345678.9")


def demo_portfolio_valuation(valuation_date) -> dict:
    """An invention rated highly (quality >= 80, strategic industry: LTV 0.55) and a utility model (LTV 0.25)."""
    return {
        "valuation_date": valuation_date.isoformat(),
        "patents": [
            {
                "number": "ZL202110921116.9",
                "income": {
                    "revenue_forecast": ["60000000.00", "68000000.00", "75000000.00", "80000000.00",
                                         "84000000.00", "86000000.00", "88000000.00"],
                    "royalty_rate": "0.05", "tax_rate": "0.25", "discount_rate": "0.12",
                },
                "cost": {"replacement_cost": "4500000.00"},
                "market": {"comparables": [
                    {"price": "9000000.00", "quality_score": "75"},
                    {"price": "12500000.00", "quality_score": "85"},
                    {"price": "7000000.00", "quality_score": "70"},
                ]},
                "quality": {
                    "legal": {"claim_stability": 5, "non_circumventability": 4, "infringement_detectability": 4,
                              "remaining_term": 5, "family_coverage": 4, "licensing_status": 4},
                    "technical": {"advancement": 5, "maturity": 4, "breadth_of_application": 5,
                                  "substitutability": 4, "dependence": 4},
                    "economic": {"market_size": 5, "market_share": 4, "competition": 4, "policy_fit": 5,
                                 "realisability": 4},
                },
                "weights": {"income": "0.6", "cost": "0.1", "market": "0.3"},
            },
            {
                "number": "ZL202120345678.9",
                "income": {
                    "revenue_forecast": ["20000000.00", "22000000.00", "24000000.00", "25000000.00", "26000000.00"],
                    "royalty_rate": "0.03", "tax_rate": "0.25", "discount_rate": "0.12",
                },
                "cost": {"replacement_cost": "1200000.00"},
                "quality": {
                    "legal": {"claim_stability": 4, "infringement_detectability": 5},
                    "technical": {"maturity": 5},
                    "economic": {"market_size": 4},
                },
                "weights": {"income": "0.6", "cost": "0.4"},
            },
        ],
    }


@pytest.mark.django_db
def test_the_demo_portfolio_covers_the_amount_asked_and_approval_respects_the_cap():
    world = demo_seed()
    users = world.users
    application = services.application_create(
        by=users["applicant"], bank=world.bank, patents=list(PORTFOLIO), amount_requested=D("5000000.00"),
        currency="CNY", term_months=12, purpose="demo",
    )
    services.application_transition(application=application, name="submit", by=users["applicant"], payload={})
    services.application_transition(application=application, name="complete_valuation", by=users["appraiser"],
                                     payload=demo_portfolio_valuation(timezone.localdate()))
    valuation = valuation_current_for(application)
    assert valuation.loan_cap > D("5000000.00")
    ltv = {row.patent.number: row.ltv for row in valuation.patent_valuations.all()}
    assert ltv == {"ZL202110921116.9": D("0.5500"), "ZL202120345678.9": D("0.2500")}

    services.application_transition(application=application, name="start_review", by=users["officer"], payload={})
    above = {"amount": str(valuation.loan_cap + D("0.01")), "annual_rate": "0.0435", "term_months": 12}
    with pytest.raises(Conflict) as refused:
        services.application_transition(application=application, name="recommend", by=users["officer"],
                                         payload=above)
    assert refused.value.code == "amount_exceeds_cap"
    services.application_transition(application=application, name="recommend", by=users["officer"],
                                     payload={"amount": "5000000.00", "annual_rate": "0.0435", "term_months": 12})
    services.application_transition(application=application, name="approve", by=users["approver"], payload={})
    assert application.state == "approved"
