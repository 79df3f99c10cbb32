"""The quote calculator and the appraiser's live preview: the quote endpoint's engine behind a form."""
from __future__ import annotations

import re
from decimal import Decimal

from django.test import Client

from financing.models import AuditEntry
from tests.factories import PatentFactory, UserFactory
from tests.financing.states import application_in
from valuation.models import Valuation


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">(?:<strong>)?([^<]*)', html)
    assert match, f"no {name} in the page"
    return match.group(1).strip()


INCOME = {
    "quote.income.revenue_forecast": ["1000000", "1200000", "1300000"],
    "quote.income.royalty_rate": "0.05", "quote.income.tax_rate": "0.25", "quote.income.discount_rate": "0.12",
}


def test_an_enterprise_quotes_one_of_its_patents_as_the_api_would(world):
    patent = PatentFactory(owners=[world.enterprise])
    client = client_for(world.applicant)
    page = client.get("/quote/")
    assert page.status_code == 200 and patent.number in page.content.decode()
    response = client.post("/quote/", {"own_patent": patent.number, "valuation_date": "2026-06-30", **INCOME})
    assert response.status_code == 200
    html = response.content.decode()

    from rest_framework.test import APIClient
    api = APIClient()
    api.force_authenticate(world.applicant)
    answer = api.post("/api/v1/valuation/quote/", {
        "patent": {"number": patent.number, "kind": patent.kind, "filing_date": patent.filing_date.isoformat(),
                   "grant_date": patent.grant_date.isoformat()},
        "valuation_date": "2026-06-30",
        "income": {"revenue_forecast": INCOME["quote.income.revenue_forecast"], "royalty_rate": "0.05",
                   "tax_rate": "0.25", "discount_rate": "0.12"},
    }, format="json").json()
    assert figure(html, "value").split()[0] == answer["value"]
    assert figure(html, "max_loan").split()[0] == answer["max_loan"]
    assert Decimal(answer["value"]) > 0
    assert not Valuation.objects.exists() and not AuditEntry.objects.exists()  # a quote stores nothing


def test_htmx_gets_only_the_figures_to_swap_in(world):
    client = client_for(world.applicant)
    patent = PatentFactory(owners=[world.enterprise])
    response = client.post("/quote/", {"own_patent": patent.number, **INCOME}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith("<div") and "<html" not in html and "data-quote-result" in html


def test_a_described_patent_with_a_bad_number_says_why_and_keeps_what_was_typed(world):
    response = client_for(world.applicant).post("/quote/", {
        "patent.number": "ZL 2021 1 0921116.8", "patent.filing_date": "2021-08-06", **INCOME,
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error-for="patent.number"' in html
    assert 'value="ZL 2021 1 0921116.8"' in html and 'value="0.12"' in html


def test_the_appraiser_sees_the_figures_of_a_pledged_patent_as_they_type(world):
    application = application_in("submitted", world)
    number = application.pledged_patents.first().patent.number
    client = client_for(world.appraiser)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert f'data-valuation-preview="{number}"' in page
    assert "Claim stability" in page  # the indicators by name, not by code
    response = client.post(f"/applications/{application.pk}/valuation-preview/{number}/",
                           {"valuation_date": "2026-06-30",
                            **{k.replace("quote.", f"{number}."): v for k, v in INCOME.items()}})
    assert response.status_code == 200
    html = response.content.decode()
    assert Decimal(figure(html, "value").split()[0]) > 0
    application.refresh_from_db()
    assert application.state == "submitted" and not Valuation.objects.filter(application=application).exists()


def test_another_banks_appraiser_cannot_preview(world):
    application = application_in("submitted", world)
    number = application.pledged_patents.first().patent.number
    other = UserFactory(role="appraiser", bank=world.other_bank)
    response = client_for(other).post(f"/applications/{application.pk}/valuation-preview/{number}/", {})
    assert response.status_code == 404


def test_the_quote_shows_the_value_type_and_the_sensitivity(world, settings):
    settings.PLEDGEFLOW_VALUE_TYPE = "liquidation"
    patent = PatentFactory(owners=[world.enterprise])
    html = client_for(world.applicant).post(
        "/quote/", {"own_patent": patent.number, "valuation_date": "2026-06-30", **INCOME}).content.decode()
    assert "Liquidation value" in figure_cell(html, "value_type")
    market = Decimal(figure(html, "liquidation_market_value"))
    # rounded half up, as the engine rounds money (on 2026-06-30 the half cent of 72,838.605 goes up)
    assert Decimal(figure(html, "value").split()[0]) == (market * Decimal("0.70")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    cells = re.findall(r'data-sensitivity-cell="([^"]+)">([^<]*)', html)
    assert len(cells) == 9
    assert dict(cells)["0.0000 0.0000"].strip() == figure(html, "value").split()[0]


def figure_cell(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">(.*?)</td>', html, re.S)
    assert match, f"no {name} in the page"
    return match.group(1)
