"""The demo portfolio, valued with the payload proposed for run_demo_lifecycle, covers the 5,000,000 CNY asked."""
from decimal import Decimal as D

import pytest

from django.utils import timezone

from core.errors import Conflict
from financing import services
from financing.demo import demo_seed
from financing.lifecycle import DEMO_PORTFOLIO as PORTFOLIO, demo_valuation
from valuation.selectors import valuation_current_for

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
    services.application_submit(application=application, by=users["applicant"])
    services.application_complete_valuation(
        application=application, by=users["appraiser"], **demo_portfolio_valuation(timezone.localdate())
    )
    valuation = valuation_current_for(application)
    assert valuation.loan_cap > D("5000000.00")
    ltv = {row.patent.number: row.ltv for row in valuation.patent_valuations.all()}
    assert ltv == {"ZL202110921116.9": D("0.5500"), "ZL202120345678.9": D("0.2500")}

    services.application_start_review(application=application, by=users["officer"])
    terms = {"annual_rate": D("0.0435"), "term_months": 12}
    with pytest.raises(Conflict) as refused:
        services.application_recommend(
            application=application, by=users["officer"], amount=valuation.loan_cap + D("0.01"), **terms
        )
    assert refused.value.code == "amount_exceeds_cap"
    services.application_recommend(application=application, by=users["officer"], amount=D("5000000.00"), **terms)
    services.application_approve(application=application, by=users["approver"])
    assert application.state == "approved"
