"""The demo portfolio, valued with the payload proposed for run_demo_lifecycle, covers the 5,000,000 CNY asked."""
from decimal import Decimal as D

import pytest

from financing.lifecycle import demo_valuation
from django.utils import timezone

from core.errors import Conflict
from financing import services
from financing.demo import demo_seed
from valuation.selectors import valuation_current_for

PORTFOLIO = ("ZL202110921116.9", "ZL202120345678.9")


def demo_portfolio_valuation(valuation_date) -> dict:
    return demo_valuation(valuation_date=valuation_date)


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
