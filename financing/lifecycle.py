"""The workflow's paths, scripted once: who fires which transition to reach each state, with what.

Tests reach any state through `PATHS`, and `run_demo_lifecycle` walks `DEMO_PATH`, both by
calling the typed services (financing.services.TRANSITIONS) with the Python values of
`transition_values`: the same people, in the same order, as WORKFLOW.md has them.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

# (transition, who fires it: the demo's username, which is also the test world's attribute)
Step = tuple[str, str]

MAIN_PATH: tuple[Step, ...] = (
    ("submit", "applicant"),
    ("complete_valuation", "appraiser"),
    ("start_review", "officer"),
    ("recommend", "officer"),
    ("approve", "approver"),
    ("sign_contracts", "officer"),
    # The filing is joint: the applicant signs the particulars, the officer's filing is the bank's signature.
    ("sign_filing", "applicant"),
    ("file_registration", "officer"),
    ("register", "registrar"),
    ("disburse", "officer"),
)
TO_REVIEW, TO_CONTRACT = MAIN_PATH[:3], MAIN_PATH[:6]
TO_FILED = MAIN_PATH[:8]

# How to reach each state from draft.
PATHS: dict[str, tuple[Step, ...]] = {
    "draft": (),
    "submitted": MAIN_PATH[:1],
    "valued": MAIN_PATH[:2],
    "under_review": MAIN_PATH[:3],
    "recommended": MAIN_PATH[:4],
    "approved": MAIN_PATH[:5],
    "rejected": MAIN_PATH[:3] + (("reject", "officer"),),
    "contracted": TO_CONTRACT,
    "registration_filed": TO_FILED,
    "registered": TO_FILED + (("register", "registrar"),),
    "registration_refused": TO_FILED + (("refuse_registration", "registrar"),),
    "correction_requested": TO_FILED + (("request_correction", "registrar"),),
    "disbursed": MAIN_PATH,
    "cancellation_applied": MAIN_PATH + (("apply_cancellation", "applicant"),),
    "released": MAIN_PATH + (("apply_cancellation", "applicant"), ("release", "registrar")),
    "defaulted": MAIN_PATH + (("declare_default", "officer"),),
    "disposed": MAIN_PATH + (("declare_default", "officer"), ("dispose", "officer")),
    "withdrawn": (("submit", "applicant"), ("withdraw", "applicant")),
}

# The demo: every stage to released. The registrar asks for a correction of the first filing, the
# parties sign and file again; a change is recorded while the loan runs; once repaid, the bank applies
# to cancel the registration and the registrar releases the pledge.
DEMO_PATH: tuple[Step, ...] = (
    TO_FILED
    + (("request_correction", "registrar"), ("sign_filing", "applicant"), ("file_registration", "officer"))
    + MAIN_PATH[8:]
    + (("record_change", "registrar"), ("apply_cancellation", "officer"), ("release", "registrar"))
)

# Two of the demo enterprise's patents: an invention and a utility model (a portfolio pledge).
DEMO_PORTFOLIO = ("ZL202110921116.9", "ZL202120345678.9")
DEMO_AMOUNT = Decimal("5000000.00")

# The demo's US pledge: its own application (one office per pledge), recorded at the USPTO with reel
# and frame, then released on repayment by a release cover sheet. Jointly signed like the Chinese one.
DEMO_US_PORTFOLIO = ("US11234567B2", "US11876543B2")
DEMO_US_PATH: tuple[Step, ...] = TO_FILED + (
    ("register", "registrar"), ("disburse", "officer"), ("apply_cancellation", "officer"), ("release", "registrar"),
)


def transition_values(*, today: dt.date, valuation: dict, amount: Decimal) -> dict[str, dict]:
    """The keyword arguments of each transition's service, for a loan of `amount` recommended in full."""
    return {
        "submit": {},
        "complete_valuation": valuation,
        "start_review": {},
        "return_to_applicant": {"note": "Please attach the licence agreements."},
        "request_revaluation": {"note": "The valuation has expired."},
        "recommend": {"amount": amount, "annual_rate": Decimal("0.0435"), "term_months": 12,
                      "note": "Within the loan cap of the valuation"},
        "send_back": {"note": "Rate too low for this risk."},
        "approve": {"note": "Approved within cap"},
        "reject": {"reasons": ["Revenue forecast not credible"]},
        "sign_contracts": {"signed_on": today},
        "sign_filing": {},
        "file_registration": {"acknowledged": []},
        "request_correction": {"defects": [{"item": "pledgee_address",
                                            "message": "Give the pledgee's registered address in full"}],
                               "note": "Correct and file again"},
        "register": {},
        "refuse_registration": {"grounds": ["CONTRACT_INCOMPLETE"], "note": "Patent list missing"},
        "record_change": {"changes": {"debt_amount": (amount / 2).quantize(Decimal("0.01"))},
                          "note": "Partial prepayment"},
        "disburse": {"disbursed_on": today},
        "apply_cancellation": {"ground": "debt_discharged", "repaid_on": today,
                               "evidence": "Repayment receipt of the loan contract"},
        "release": {"effective_on": today},
        "declare_default": {"reason": "Three instalments missed"},
        "dispose": {"method": "auction", "proceeds": Decimal("2800000.00")},
        "withdraw": {},
    }


def _money(*amounts: str) -> list[Decimal]:
    return [Decimal(amount) for amount in amounts]


def demo_valuation(*, valuation_date: dt.date) -> dict:
    """The appraiser's inputs for the demo portfolio.

    The invention rates highly (quality >= 80, strategic industry: LTV 0.55) and the utility model
    takes the base 0.25, so the cap (about 6.39M CNY) covers the 5M asked and the demo shows a
    recommendation that respects it.
    """
    return {
        "valuation_date": valuation_date,
        "patents": [
            {
                "number": "ZL202110921116.9",
                "income": {
                    "revenue_forecast": _money("60000000.00", "68000000.00", "75000000.00", "80000000.00",
                                               "84000000.00", "86000000.00", "88000000.00"),
                    "royalty_rate": Decimal("0.05"), "tax_rate": Decimal("0.25"), "discount_rate": Decimal("0.12"),
                },
                "cost": {"replacement_cost": Decimal("4500000.00")},
                "market": {"comparables": [
                    {"price": Decimal("9000000.00"), "quality_score": Decimal("75")},
                    {"price": Decimal("12500000.00"), "quality_score": Decimal("85")},
                    {"price": Decimal("7000000.00"), "quality_score": Decimal("70")},
                ]},
                "quality": {
                    "legal": {"claim_stability": 5, "non_circumventability": 4, "infringement_detectability": 4,
                              "remaining_term": 5, "family_coverage": 4, "licensing_status": 4},
                    "technical": {"advancement": 5, "maturity": 4, "breadth_of_application": 5,
                                  "substitutability": 4, "dependence": 4},
                    "economic": {"market_size": 5, "market_share": 4, "competition": 4, "policy_fit": 5,
                                 "realisability": 4},
                },
                "weights": {"income": Decimal("0.6"), "cost": Decimal("0.1"), "market": Decimal("0.3")},
            },
            {
                "number": "ZL202120345678.9",
                "income": {
                    "revenue_forecast": _money("20000000.00", "22000000.00", "24000000.00", "25000000.00",
                                               "26000000.00"),
                    "royalty_rate": Decimal("0.03"), "tax_rate": Decimal("0.25"), "discount_rate": Decimal("0.12"),
                },
                "cost": {"replacement_cost": Decimal("1200000.00")},
                "quality": {
                    "legal": {"claim_stability": 4, "infringement_detectability": 5},
                    "technical": {"maturity": 5},
                    "economic": {"market_size": 4},
                },
                "weights": {"income": Decimal("0.6"), "cost": Decimal("0.4")},
            },
        ],
    }


def demo_us_valuation(*, valuation_date: dt.date) -> dict:
    """The appraiser's inputs for the demo's two US patents (income and cost approaches, in USD)."""
    return {
        "valuation_date": valuation_date,
        "patents": [
            {
                "number": number,
                "income": {"revenue_forecast": _money(*revenue), "royalty_rate": Decimal("0.04"),
                           "tax_rate": Decimal("0.21"), "discount_rate": Decimal("0.11")},
                "cost": {"replacement_cost": Decimal(cost)},
                "weights": {"income": Decimal("0.7"), "cost": Decimal("0.3")},
            }
            for number, revenue, cost in (
                ("US11234567B2", ("9000000.00", "9500000.00", "10000000.00", "10000000.00", "9800000.00"), "600000.00"),
                ("US11876543B2", ("6000000.00", "6500000.00", "7000000.00", "7200000.00", "7300000.00"), "450000.00"),
            )
        ],
    }


def demo_us_values(*, today: dt.date, amount: Decimal, ucc1_file_number: str) -> dict[str, dict]:
    """The US walk's keyword arguments: the demo's, with the UCC-1 filed and the USPTO's reel and frame."""
    values = transition_values(today=today, valuation=demo_us_valuation(valuation_date=today), amount=amount)
    values["file_registration"] = {"acknowledged": [], "ucc1_state": "DE", "ucc1_file_number": ucc1_file_number}
    values["register"] = {"reel": 68123, "frame": 456, "recorded_on": today}
    return values


def demo_values(*, today: dt.date) -> dict[str, dict]:
    return transition_values(today=today, valuation=demo_valuation(valuation_date=today), amount=DEMO_AMOUNT)
