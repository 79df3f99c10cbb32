"""The demo lifecycle: who does what, with which payload, from draft to released."""
from __future__ import annotations

import datetime as dt

# Two of the demo enterprise's patents: an invention and a utility model (a portfolio pledge).
DEMO_PORTFOLIO = ("ZL202110921116.9", "ZL202120345678.9")


def demo_valuation(*, valuation_date: dt.date) -> dict:
    """The appraiser's inputs for the demo portfolio.

    The invention rates highly (quality >= 80, strategic industry: LTV 0.55) and the utility model
    takes the base 0.25, so the cap (about 6.39M CNY) covers the 5M asked and the demo shows a
    recommendation that respects it.
    """
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


def demo_steps(*, today: dt.date) -> list[tuple[str, str, dict]]:
    """(transition, username, payload) from draft to released, each by the role WORKFLOW.md names."""
    day = today.isoformat()
    return [
        ("submit", "applicant", {}),
        ("complete_valuation", "appraiser", demo_valuation(valuation_date=today)),
        ("start_review", "officer", {}),
        ("recommend", "officer", {"amount": "5000000.00", "annual_rate": "0.0435", "term_months": 12,
                                  "note": "Within the loan cap of the valuation"}),
        ("approve", "approver", {"note": "Approved within cap"}),
        ("sign_contracts", "officer", {"signed_on": day}),
        ("file_registration", "applicant", {"acknowledged": []}),
        ("register", "registrar", {}),
        ("disburse", "officer", {"disbursed_on": day}),
        ("record_change", "registrar", {"changes": {"amount": "2500000.00"}, "note": "Partial prepayment"}),
        ("release", "registrar", {"repaid_on": day}),
    ]
