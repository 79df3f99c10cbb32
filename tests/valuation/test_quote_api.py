"""POST /api/v1/valuation/quote/: a realistic estimate in one call, bad input named, login required."""
import datetime as dt
from decimal import Decimal as D

import pytest

QUOTE = "/api/v1/valuation/quote/"


def realistic_request(**changes) -> dict:
    """A CN invention filed 2021-07-20 (in force through 2041-07-19), valued on 2026-03-01."""
    request = {
        "patent": {"number": "ZL 2021 1 0921116.9", "kind": "invention", "filing_date": "2021-07-20",
                   "strategic_industry": True},
        "valuation_date": "2026-03-01",
        "income": {
            "revenue_forecast": ["20000000.00", "24000000.00", "28000000.00", "30000000.00", "30000000.00"],
            "royalty_rate": "0.05", "tax_rate": "0.25", "discount_rate": "0.12",
        },
        "cost": {"replacement_cost": "4000000.00"},
        "market": {"comparables": [
            {"price": "5000000.00", "quality_score": "60"},
            {"price": "6500000.00", "quality_score": "70"},
            {"price": "3000000.00", "quality_score": "45"},
        ]},
        "quality": {
            "legal": {"claim_stability": 5, "non_circumventability": 4, "infringement_detectability": 4,
                      "remaining_term": 5, "family_coverage": 2, "licensing_status": 3},
            "technical": {"advancement": 5, "maturity": 4, "breadth_of_application": 4, "substitutability": 4,
                          "dependence": 4},
            "economic": {"market_size": 5, "market_share": 3, "competition": 3, "policy_fit": 5},
        },
        "weights": {"income": "0.6", "cost": "0.1", "market": "0.3"},
    }
    request.update(changes)
    return request


def _decimal_strings(body: dict, names) -> None:
    for name in names:
        assert isinstance(body[name], str), name
        D(body[name])  # parses


def test_a_realistic_quote_in_one_call(world, api):
    response = api(world.applicant).post(QUOTE, realistic_request(), format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    _decimal_strings(body, ["income_value", "cost_value", "market_value", "value", "remaining_term_years",
                            "quality_score", "ltv", "ltv_base", "max_loan"])
    assert body["number"] == "ZL202110921116.9"
    assert body["expiry_date"] == "2041-07-19"
    # 2026-03-01 -> 2041-03-01 is 15 years; 2041-03-01 -> 2041-07-20 is 141 days of 365: 15.3863
    assert body["remaining_term_years"] == "15.3863"
    # the income value is the sum of the table's present values
    assert D(body["income_value"]) == sum(D(row["present_value"]) for row in body["cash_flows"])
    assert len(body["cash_flows"]) == 5
    assert all(isinstance(row["discount_factor"], str) for row in body["cash_flows"])
    # reconciliation with weights 0.6 / 0.1 / 0.3
    expected = (D(body["income_value"]) * D("0.6") + D(body["cost_value"]) * D("0.1")
                + D(body["market_value"]) * D("0.3")).quantize(D("0.01"))
    assert D(body["value"]) == expected
    # realisability was not rated: it counted 3 and the answer says so
    assert body["quality"]["defaulted"] == ["economic.realisability"]
    # quality 73.33 (no adjustment), strategic industry -> high value: LTV 0.40 + 0.05
    assert body["high_value"] is True
    assert [c["code"] for c in body["high_value_categories"]] == ["strategic_emerging_industry"]
    assert body["ltv"] == "0.4500"
    assert D(body["max_loan"]) == (D(body["value"]) * D("0.45")).quantize(D("0.01"), rounding="ROUND_DOWN")
    assert len(body["comparables"]) == 3


def test_a_quote_with_one_approach_and_nothing_rated(world, api):
    request = realistic_request(market=None, cost=None, weights=None, quality=None)
    for key in ("market", "cost", "weights", "quality"):
        request.pop(key)
    body = api(world.officer).post(QUOTE, request, format="json").json()
    assert body["value"] == body["income_value"]
    assert body["cost_value"] is None and body["cost"] is None and body["comparables"] is None
    assert body["quality_score"] == "50.00"
    assert len(body["quality"]["defaulted"]) == 16


def test_a_quote_for_a_patent_past_its_term_secures_nothing(world, api):
    request = realistic_request(patent={"number": "ZL201520345678.3", "filing_date": "2015-06-01"},
                                valuation_date="2026-03-01")
    body = api(world.applicant).post(QUOTE, request, format="json").json()
    # a utility model filed 2015-06-01 was in force through 2025-05-31
    assert body["kind"] == "utility_model"
    assert body["income_value"] == "0.00" and body["cost_value"] == "0.00"
    assert body["remaining_term_years"] == "0.0000"
    assert body["ltv"] == "0.0000" and body["max_loan"] == "0.00"


def _with(path: str, value):
    """realistic_request() with the value at a dotted path replaced (None removes it)."""
    request = realistic_request()
    *parents, leaf = path.split(".")
    target = request
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is None:
        del target[leaf]
    elif isinstance(target, list):
        target[int(leaf)] = value
    else:
        target[leaf] = value
    return request


@pytest.mark.parametrize("path, value, field", [
    ("income.royalty_rate", "1.5", "income.royalty_rate"),
    ("income.discount_rate", "-0.1", "income.discount_rate"),
    ("income.tax_rate", "1", "income.tax_rate"),
    ("income.revenue_forecast.1", "-5.00", "income.revenue_forecast.1"),
    ("income.revenue_forecast", [], "income.revenue_forecast"),
    ("income.royality_rate", "0.05", "income.royality_rate"),
    ("cost.replacement_cost", "lots", "cost.replacement_cost"),
    ("market.comparables.0.quality_score", "0", "market.comparables.0.quality_score"),
    ("weights.income", "0.5", "weights"),
    ("weights.cost", None, "weights"),
    ("quality.legal.claim_stability", 7, "quality.legal.claim_stability"),
    ("quality.legal.beauty", 4, "quality.legal.beauty"),
    ("quality.aesthetic", {"beauty": 4}, "quality.aesthetic"),
    ("patent.number", "ZL202110921116.8", "patent.number"),
    ("patent.kind", "design", "patent.kind"),
    ("patent.filing_date", "2020-07-20", "patent.filing_date"),
    ("patent.filing_date", None, "patent.filing_date"),
    ("valuation_date", "2020-01-01", "valuation_date"),
    ("markt", {"comparables": []}, "markt"),
])
def test_bad_input_is_a_400_naming_the_field(world, api, path, value, field):
    response = api(world.applicant).post(QUOTE, _with(path, value), format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith(f"{field}:"), error["message"]


def test_a_quote_needs_at_least_one_approach(world, api):
    request = realistic_request()
    for key in ("income", "cost", "market", "weights"):
        del request[key]
    response = api(world.applicant).post(QUOTE, request, format="json")
    assert response.status_code == 400
    assert "at least one of income, cost, market" in response.json()["error"]["message"]


def test_a_quote_accepts_json_numbers(world, api):
    request = realistic_request()
    request["income"]["royalty_rate"] = 0.05
    request["income"]["revenue_forecast"] = [20000000, 24000000.5]
    response = api(world.applicant).post(QUOTE, request, format="json")
    assert response.status_code == 200
    assert response.json()["cash_flows"][1]["revenue"] == "24000000.50"


def test_a_quote_needs_a_login(db, api):
    response = api(None).post(QUOTE, realistic_request(), format="json")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_a_quote_with_a_bad_token_is_refused(db, client):
    response = client.post(QUOTE, realistic_request(), content_type="application/json",
                           HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_a_quote_for_a_us_patent_counts_its_term_adjustment(world, api):
    request = realistic_request(patent={"number": "US 11,234,567 B2", "filing_date": "2020-01-15",
                                        "term_adjustment_days": 120})
    body = api(world.applicant).post(QUOTE, request, format="json").json()
    # 2040-01-15 (20th anniversary) + 120 days = 2040-05-14
    assert (body["number"], body["jurisdiction"], body["kind"]) == ("US11234567B2", "US", "invention")
    assert body["expiry_date"] == "2040-05-14"
    assert body["high_value"] is False  # nothing flagged, filed under 10 years before


def test_a_quote_for_a_us_design_counts_its_term_from_grant(world, api):
    # Filed 2020-01-01, granted 2022-06-01: 15 years from grant, as on the register.
    request = realistic_request(patent={"number": "USD912345S", "filing_date": "2020-01-01",
                                        "grant_date": "2022-06-01"})
    response = api(world.applicant).post(QUOTE, request, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["expiry_date"] == "2037-06-01"


def test_a_quote_for_a_granted_us_design_needs_its_grant_date(world, api):
    request = realistic_request(patent={"number": "USD912345S", "filing_date": "2020-01-01"})
    response = api(world.applicant).post(QUOTE, request, format="json")
    assert response.status_code == 400
    assert "patent.grant_date" in response.json()["error"]["message"]


def test_a_quote_for_a_cn_invention_counts_its_term_compensation(world, api):
    request = realistic_request(patent={"number": "ZL 2021 1 0921116.9", "filing_date": "2021-07-20",
                                        "term_adjustment_days": 100})
    body = api(world.applicant).post(QUOTE, request, format="json").json()
    assert body["expiry_date"] == "2041-10-27"  # 2041-07-19 + 100 days


@pytest.mark.parametrize("patent", [
    {"number": "ZL 2021 1 0921116.9", "filing_date": "9999-07-20"},
    {"number": "ZL 2021 1 0921116.9", "filing_date": "2021-07-20", "term_adjustment_days": 10**9},
    {"number": "US 11,234,567 B2", "filing_date": "0001-01-15"},
])
def test_a_quote_with_implausible_dates_or_days_is_a_400(world, api, patent):
    response = api(world.applicant).post(QUOTE, realistic_request(patent=patent), format="json")
    assert response.status_code == 400, response.json()


@pytest.mark.parametrize("path, value, field", [
    ("valuation_date", "0001-01-01", "valuation_date"),
    ("valuation_date", "9999-12-31", "valuation_date"),
    ("market.comparables", [{"price": "5000000.00", "quality_score": "60"}] * 51, "market.comparables"),
    ("market.comparables.0.weight", "1", "market.comparables.0.weight"),
])
def test_implausible_quotes_are_refused_at_the_edge(world, api, path, value, field):
    response = api(world.applicant).post(QUOTE, _with(path, value), format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["message"].startswith(f"{field}:"), response.json()["error"]["message"]


def test_a_quote_may_be_dated_up_to_a_year_ahead(world, api):
    from django.utils import timezone
    ahead = (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    assert api(world.applicant).post(QUOTE, realistic_request(valuation_date=ahead), format="json").status_code == 200
    later = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = api(world.applicant).post(QUOTE, realistic_request(valuation_date=later), format="json")
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("valuation_date:")


def test_fifty_comparables_are_accepted(world, api):
    comparables = [{"price": "5000000.00", "quality_score": "60"}] * 50
    response = api(world.applicant).post(QUOTE, realistic_request(market={"comparables": comparables}), format="json")
    assert response.status_code == 200, response.json()


def _two_year_income_request() -> dict:
    request = realistic_request(
        patent={"number": "ZL 2021 1 0921116.9", "kind": "invention", "filing_date": "2021-07-20"},
        income={"revenue_forecast": ["4000000", "4000000"], "royalty_rate": "0.05", "tax_rate": "0.25",
                "discount_rate": "0.10"},
    )
    for key in ("cost", "market", "weights", "quality"):
        request.pop(key)
    return request


def test_a_quote_states_a_market_value_by_default_with_its_sensitivity(world, api):
    body = api(world.applicant).post(QUOTE, _two_year_income_request(), format="json").json()
    # 150,000 / 1.1 = 136,363.64; 150,000 / 1.21 = 123,966.94 -> 260,330.58
    assert (body["value_type"], body["liquidation"]) == ("market", None)
    assert body["value"] == body["income_value"] == "260330.58"
    grid = {(cell["discount_rate_shift"], cell["royalty_rate_scale"]): cell for cell in body["sensitivity"]}
    assert sorted(grid) == sorted((d, r) for d in ("-0.0200", "0.0000", "0.0200") for r in ("-0.2000", "0.0000", "0.2000"))
    assert grid["0.0000", "0.0000"]["value"] == body["value"]
    # 8% and 6%: 180,000 / 1.08 = 166,666.67; 180,000 / 1.1664 = 154,320.99 -> 320,987.66
    assert grid["-0.0200", "0.2000"] == {
        "discount_rate_shift": "-0.0200", "royalty_rate_scale": "0.2000", "discount_rate": "0.0800",
        "royalty_rate": "0.0600", "income_value": "320987.66", "value": "320987.66",
    }


def test_a_bank_valuing_at_liquidation_value_lends_on_it(world, api, settings):
    settings.PLEDGEFLOW_VALUE_TYPE = "liquidation"
    body = api(world.applicant).post(QUOTE, _two_year_income_request(), format="json").json()
    # 260,330.58 x (1 - 0.30) = 182,231.406 -> 182,231.41; LTV 40% (nothing rated, no high value):
    # 182,231.41 x 0.40 = 72,892.564 -> 72,892.56
    assert body["value_type"] == "liquidation"
    assert body["income_value"] == "260330.58"  # the approach's own result, unchanged
    assert body["liquidation"] == {"market_value": "260330.58", "discount": "0.3000", "discount_amount": "78099.17"}
    assert body["value"] == "182231.41"
    assert (body["ltv"], body["max_loan"]) == ("0.4000", "72892.56")
    cell = next(c for c in body["sensitivity"] if (c["discount_rate_shift"], c["royalty_rate_scale"]) == ("-0.0200", "0.2000"))
    # 320,987.66 x 0.70 = 224,691.362 -> 224,691.36
    assert (cell["income_value"], cell["value"]) == ("320987.66", "224691.36")


def test_a_quote_without_the_income_approach_has_no_sensitivity(world, api):
    request = realistic_request(income=None, weights=None)
    for key in ("income", "weights"):
        request.pop(key)
    body = api(world.applicant).post(QUOTE, request, format="json").json()
    assert body["sensitivity"] is None and body["value_type"] == "market"
