"""Valid transition payloads for tests that walk applications through their life."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def valuation_payload(patent_numbers: list[str], *, valuation_date: dt.date | None = None) -> dict:
    """An appraiser's complete_valuation: income and cost approaches for each patent."""
    valuation_date = valuation_date or timezone.localdate()
    return {
        "valuation_date": valuation_date.isoformat(),
        "patents": [
            {
                "number": number,
                "income": {
                    "revenue_forecast": ["40000000.00", "45000000.00", "50000000.00", "52000000.00", "54000000.00"],
                    "royalty_rate": "0.05",
                    "tax_rate": "0.25",
                    "discount_rate": "0.12",
                },
                "cost": {"replacement_cost": "3000000.00"},
                "quality": {"legal": {"claim_stability": 4}, "technical": {"advancement": 4}, "economic": {"market_size": 4}},
                "weights": {"income": "0.7", "cost": "0.3"},
            }
            for number in patent_numbers
        ],
    }


def transition_payloads(patent_numbers: list[str]) -> dict[str, dict]:
    today = timezone.localdate().isoformat()
    return {
        "submit": {},
        "complete_valuation": valuation_payload(patent_numbers),
        "start_review": {},
        "return_to_applicant": {"note": "Please attach the licence agreements."},
        "request_revaluation": {"note": "The valuation has expired."},
        "recommend": {"amount": "3000000.00", "annual_rate": "0.0435", "term_months": 12},
        "send_back": {"note": "Rate too low for this risk."},
        "approve": {},
        "reject": {"reasons": ["Revenue forecast not credible"]},
        "sign_contracts": {"signed_on": today},
        "file_registration": {"acknowledged": []},
        "register": {},
        "refuse_registration": {"grounds": ["CONTRACT_INCOMPLETE"], "note": "Patent list missing"},
        "record_change": {"changes": {"amount": "2500000.00"}, "note": "Partial prepayment"},
        "disburse": {"disbursed_on": today},
        "release": {"repaid_on": today},
        "declare_default": {"reason": "Three instalments missed"},
        "dispose": {"method": "auction", "proceeds": "2800000.00"},
        "withdraw": {},
    }
