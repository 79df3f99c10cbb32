"""The demo lifecycle: who does what, with which payload, from draft to released."""
from __future__ import annotations

import datetime as dt

# Two of the demo enterprise's patents: an invention and a utility model (a portfolio pledge).
DEMO_PORTFOLIO = ("ZL202110921116.9", "ZL202120345678.9")


def demo_valuation(*, valuation_date: dt.date) -> dict:
    """The appraiser's inputs for the demo portfolio."""
    return {
        "valuation_date": valuation_date.isoformat(),
        "patents": [
            {
                "number": "ZL202110921116.9",
                "income": {
                    "revenue_forecast": ["60000000.00", "68000000.00", "75000000.00", "80000000.00", "84000000.00"],
                    "royalty_rate": "0.05",
                    "tax_rate": "0.25",
                    "discount_rate": "0.12",
                },
                "cost": {"replacement_cost": "4500000.00"},
                "quality": {
                    "legal": {"claim_stability": 5, "non_circumventability": 4, "infringement_detectability": 4},
                    "technical": {"advancement": 5, "maturity": 4},
                    "economic": {"market_size": 4, "market_share": 4},
                },
                "weights": {"income": "0.7", "cost": "0.3"},
            },
            {
                "number": "ZL202120345678.9",
                "income": {
                    "revenue_forecast": ["20000000.00", "22000000.00", "24000000.00"],
                    "royalty_rate": "0.03",
                    "tax_rate": "0.25",
                    "discount_rate": "0.12",
                },
                "cost": {"replacement_cost": "1200000.00"},
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
        ("recommend", "officer", {"amount": "3000000.00", "annual_rate": "0.0435", "term_months": 12,
                                  "note": "Portfolio well covered by the valuation"}),
        ("approve", "approver", {"note": "Approved within cap"}),
        ("sign_contracts", "officer", {"signed_on": day}),
        ("file_registration", "applicant", {"acknowledged": []}),
        ("register", "registrar", {}),
        ("disburse", "officer", {"disbursed_on": day}),
        ("record_change", "registrar", {"changes": {"amount": "2500000.00"}, "note": "Partial prepayment"}),
        ("release", "registrar", {"repaid_on": day}),
    ]
