"""Valuations stored and superseded, and the lending check that recommend and approve must pass."""
import datetime as dt
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.utils import timezone

from core.errors import Conflict, ValidationFailed
from financing.models import AuditEntry, LoanTerms, State
from tests.financing.states import fire
from tests.factories import ApplicationFactory, LoanTermsFactory, PatentFactory
from valuation.calculations import add_months
from valuation.models import PatentValuation, Valuation
from valuation.selectors import valuation_current_for, valuations_for
from valuation.services import lending_check, valuation_complete


def entry(number: str, *, replacement_cost: str = "2000000.00") -> dict:
    """One patent's inputs: three years of 10,000,000 revenue at royalty 5%, tax 25%, discount 10%, plus cost."""
    return {
        "number": number,
        "income": {"revenue_forecast": ["10000000.00"] * 3, "royalty_rate": "0.05", "tax_rate": "0.25",
                   "discount_rate": "0.10"},
        "cost": {"replacement_cost": replacement_cost},
        "weights": {"income": "0.5", "cost": "0.5"},
    }


def payload(patents, *, valuation_date=None, **changes) -> dict:
    body = {
        "valuation_date": (valuation_date or timezone.localdate()).isoformat(),
        "patents": [entry(p.number) for p in patents],
    }
    body.update(changes)
    return body


@pytest.fixture
def submitted(world, portfolio):
    return ApplicationFactory(state=State.SUBMITTED, enterprise=world.enterprise, bank=world.bank,
                              created_by=world.applicant, patents=portfolio)


def value(application, by, body):
    return fire(application=application, name="complete_valuation", by=by, payload=body)


def expected_patent_value(patent, on: dt.date) -> D:
    """The figures `entry()` gives, worked out independently of the engine.

    income: 10,000,000 x 0.05 x 0.75 = 375,000 a year; / 1.1, 1.21, 1.331
      = 340,909.09 + 309,917.36 + 281,743.05 = 932,569.50
    cost: 2,000,000 x remaining life / 20 years (the patent is in force throughout the forecast)
    value: half of each.
    Money is rounded half up, as the engine rounds it (valuation/calculations.py); on days when the
    two halves come to an exact half cent, the default half-even rounding would be a cent short.
    """
    income = D("932569.50")
    protection_end = patent.expiry_date + dt.timedelta(days=1)
    whole = protection_end.year - on.year - (1 if (protection_end.month, protection_end.day) < (on.month, on.day) else 0)

    def anniversary(years: int) -> dt.date:  # 29 February falls back to the 28th
        try:
            return on.replace(year=on.year + years)
        except ValueError:
            return on.replace(year=on.year + years, day=28)

    start, next_start = anniversary(whole), anniversary(whole + 1)
    remaining = D(whole) + D((protection_end - start).days) / D((next_start - start).days)
    cost = (D("2000000") * remaining / 20).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    return ((income + cost) / 2).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_complete_valuation_stores_every_patent_with_its_inputs_and_the_cap(world, submitted, portfolio):
    today = timezone.localdate()
    value(submitted, world.appraiser, payload(portfolio, note="Site visit 3 March"))

    submitted.refresh_from_db()
    assert submitted.state == State.VALUED
    valuation = valuation_current_for(submitted)
    assert (valuation.version, valuation.appraiser, valuation.valuation_date) == (1, world.appraiser, today)
    assert valuation.valid_until == add_months(today, 12) - dt.timedelta(days=1)
    assert valuation.currency == "CNY" and valuation.note == "Site visit 3 March"
    rows = list(valuation.patent_valuations.order_by("id"))
    assert [row.patent for row in rows] == portfolio
    for row, patent in zip(rows, portfolio):
        assert row.income_value == D("932569.50")
        assert row.value == expected_patent_value(patent, today)
        # nothing rated: quality 50, no adjustment, not high value: LTV 0.40
        assert (row.quality_score, row.ltv, row.high_value) == (D("50.00"), D("0.4000"), False)
        assert row.max_loan == (row.value * D("0.40")).quantize(D("0.01"), rounding="ROUND_DOWN")
        assert row.inputs["income"]["royalty_rate"] == "0.050000"
        assert [r["present_value"] for r in row.workings["cash_flows"]] == ["340909.09", "309917.36", "281743.05"]
    assert valuation.total_value == sum(row.value for row in rows)
    assert valuation.loan_cap == sum(row.max_loan for row in rows)
    assert valuation.policy["ltv_by_kind"]["invention"] == "0.40"


def test_a_new_valuation_supersedes_the_old_and_never_overwrites_it(world, submitted, portfolio):
    value(submitted, world.appraiser, payload(portfolio))
    first = valuation_current_for(submitted)
    first_rows = {row.pk: row.value for row in first.patent_valuations.all()}

    # The officer sends it back for revaluation; a higher replacement cost gives a higher value.
    fire(application=submitted, name="start_review", by=world.officer, payload={})
    fire(application=submitted, name="request_revaluation", by=world.officer,
                           payload={"note": "New licence agreement signed"})
    second_body = payload(portfolio)
    for item in second_body["patents"]:
        item["cost"]["replacement_cost"] = "4000000.00"
    value(submitted, world.appraiser, second_body)

    versions = list(valuations_for(submitted))
    assert [v.version for v in versions] == [2, 1]
    current, old = versions
    assert current.superseded_at is None and old.superseded_at is not None
    assert valuation_current_for(submitted) == current
    assert current.total_value > old.total_value
    assert {row.pk: row.value for row in old.patent_valuations.all()} == first_rows
    assert PatentValuation.objects.count() == 4


def test_a_stored_patent_valuation_cannot_be_changed(world, submitted, portfolio):
    value(submitted, world.appraiser, payload(portfolio))
    row = PatentValuation.objects.first()
    row.value = D("1")
    with pytest.raises(PermissionError):
        row.save()


@pytest.mark.parametrize("change, field", [
    (lambda body, portfolio: body["patents"].pop(), "patents"),
    (lambda body, portfolio: body["patents"].append(entry(PatentFactory().number)), "patents.2.number"),
    (lambda body, portfolio: body["patents"].append(entry(portfolio[0].number)), "patents"),
    (lambda body, portfolio: body["patents"][1]["income"].update(royalty_rate="2"), "patents.1.income.royalty_rate"),
    (lambda body, portfolio: body["patents"][0]["income"]["revenue_forecast"].append("-1"),
     "patents.0.income.revenue_forecast.3"),
    (lambda body, portfolio: body["patents"][0].update(weights={"income": "0.5", "cost": "0.6"}),
     "patents.0.weights"),
    (lambda body, portfolio: body.update(valuation_date="2099-01-01"), "valuation_date"),
    (lambda body, portfolio: body.update(valuation_date="2020-01-01"), "valuation_date"),
])
def test_bad_valuation_input_is_a_400_naming_the_field_and_stores_nothing(world, submitted, portfolio, change, field):
    body = payload(portfolio)
    change(body, portfolio)
    with pytest.raises(ValidationFailed) as refused:
        value(submitted, world.appraiser, body)
    assert refused.value.message.startswith(f"{field}:"), refused.value.message
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert not Valuation.objects.exists()
    assert AuditEntry.objects.get(transition="complete_valuation").outcome == "refused"


def test_a_valuation_dated_before_a_patents_filing_names_that_patent(world):
    today = timezone.localdate()
    older = PatentFactory(owners=[world.enterprise])
    recent = PatentFactory(owners=[world.enterprise], filing_date=today - dt.timedelta(days=10), grant_date=None)
    application = ApplicationFactory(state=State.SUBMITTED, enterprise=world.enterprise, bank=world.bank,
                                     patents=[older, recent])
    with pytest.raises(ValidationFailed) as refused:
        value(application, world.appraiser, payload([older, recent], valuation_date=today - dt.timedelta(days=20)))
    assert refused.value.message.startswith("patents.1.valuation_date:")


def test_an_appraiser_may_name_a_patent_as_printed(world, submitted, portfolio):
    body = payload(portfolio)
    number = portfolio[0].number  # ZL202110xxxxxx.d
    body["patents"][0]["number"] = f"zl {number[2:6]} {number[6]} {number[7:]}"
    value(submitted, world.appraiser, body)
    assert valuation_current_for(submitted).patent_valuations.count() == 2


def test_a_patent_that_secured_a_large_pledge_before_is_high_value(world, submitted, portfolio):
    earlier = ApplicationFactory(state=State.RELEASED, enterprise=world.enterprise, bank=world.bank,
                                 patents=[portfolio[0]])
    LoanTermsFactory(application=earlier, amount=D("12000000.00"))
    value(submitted, world.appraiser, payload(portfolio))
    rows = {row.patent: row for row in valuation_current_for(submitted).patent_valuations.all()}
    assert rows[portfolio[0]].high_value_categories == ["pledge_secured"]
    assert rows[portfolio[0]].ltv == D("0.4500")  # 0.40 + 0.05
    assert rows[portfolio[1]].high_value is False


# ---------------------------------------------------------------- the lending check


@pytest.fixture
def under_review(world, submitted, portfolio):
    value(submitted, world.appraiser, payload(portfolio))
    fire(application=submitted, name="start_review", by=world.officer, payload={})
    return submitted


def recommend(application, by, amount, term_months=12):
    return fire(application=application, name="recommend", by=by,
                                  payload={"amount": amount, "annual_rate": "0.0435", "term_months": term_months})


def test_recommend_within_the_cap_succeeds_and_above_it_is_refused(world, under_review):
    cap = valuation_current_for(under_review).loan_cap
    above = str(cap + D("0.01"))
    with pytest.raises(Conflict) as refused:
        recommend(under_review, world.officer, above)
    assert refused.value.code == "amount_exceeds_cap"
    assert refused.value.details["cap"] == str(cap)
    assert refused.value.details["amount"] == above
    under_review.refresh_from_db()
    assert under_review.state == State.UNDER_REVIEW
    assert not LoanTerms.objects.filter(application=under_review).exists()

    recommend(under_review, world.officer, str(cap))
    under_review.refresh_from_db()
    assert under_review.state == State.RECOMMENDED


def test_an_expired_valuation_blocks_approve(world, under_review):
    recommend(under_review, world.officer, "100000.00")
    # Time passes: the valuation was made 13 months ago.
    today = timezone.localdate()
    Valuation.objects.filter(application=under_review).update(
        valuation_date=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(days=35))
    with pytest.raises(Conflict) as refused:
        fire(application=under_review, name="approve", by=world.approver, payload={})
    assert refused.value.code == "valuation_expired"
    assert refused.value.details["valid_until"] == (today - dt.timedelta(days=35)).isoformat()
    under_review.refresh_from_db()
    assert under_review.state == State.RECOMMENDED
    assert under_review.terms.approved_by is None


def test_approve_rechecks_the_cap(world, under_review):
    recommend(under_review, world.officer, "100000.00")
    LoanTerms.objects.filter(application=under_review).update(amount=D("999999999.00"))
    under_review.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        fire(application=under_review, name="approve", by=world.approver, payload={})
    assert refused.value.code == "amount_exceeds_cap"


def test_a_term_the_remaining_protection_does_not_outlast_is_refused(world):
    today = timezone.localdate()
    # A utility model filed 9 years ago is in force for less than another year; a 12-month loan needs 24 months.
    filed = add_months(today, -9 * 12)
    short_lived = PatentFactory(owners=[world.enterprise], kind="utility_model", filing_date=filed,
                                grant_date=filed + dt.timedelta(days=200))
    application = ApplicationFactory(state=State.SUBMITTED, enterprise=world.enterprise, bank=world.bank,
                                     patents=[short_lived])
    value(application, world.appraiser, payload([short_lived]))
    fire(application=application, name="start_review", by=world.officer, payload={})
    with pytest.raises(Conflict) as refused:
        recommend(application, world.officer, "1000.00", term_months=12)
    assert refused.value.code == "term_outlasts_protection"
    assert refused.value.details["patents"][0]["number"] == short_lived.number
    assert refused.value.details["margin_months"] == 12
    # The patent expires within 12 months, so even a 1-month loan (1 + 12 months) is refused.
    with pytest.raises(Conflict):
        recommend(application, world.officer, "1000.00", term_months=1)


def test_lending_check_without_a_valuation(world, portfolio):
    application = ApplicationFactory(state=State.UNDER_REVIEW, enterprise=world.enterprise, bank=world.bank,
                                     patents=portfolio)
    with pytest.raises(Conflict) as refused:
        lending_check(application=application, amount=D("1.00"), term_months=12, on=timezone.localdate())
    assert refused.value.code == "valuation_missing"


def test_the_margin_is_a_bank_setting(world, under_review, settings):
    # Default margin 12 months: a 12-month loan needs the patents in force for 24 months. PatentFactory's
    # inventions run to 2041, so a margin reaching past that refuses the loan.
    settings.PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS = 12 * 30
    with pytest.raises(Conflict) as refused:
        lending_check(application=under_review, amount=D("1.00"), term_months=12, on=timezone.localdate())
    assert refused.value.code == "term_outlasts_protection"


def test_the_current_valuation_renders_with_decimal_strings(world, submitted, portfolio):
    from valuation.serializers import ValuationSerializer

    value(submitted, world.appraiser, payload(portfolio))
    body = ValuationSerializer(valuation_current_for(submitted)).data
    assert body["version"] == 1 and body["appraiser"] == "appraiser"
    assert isinstance(body["loan_cap"], str) and D(body["loan_cap"]) > 0
    assert [p["number"] for p in body["patents"]] == [p.number for p in portfolio]
    assert body["patents"][0]["income_value"] == "932569.50"
    assert body["patents"][0]["workings"]["quality"]["defaulted"][0] == "legal.claim_stability"


def test_a_liquidation_valuation_is_stored_and_rendered_as_one(world, submitted, portfolio, settings):
    from valuation.serializers import ValuationSerializer

    settings.PLEDGEFLOW_VALUE_TYPE = "liquidation"
    today = timezone.localdate()
    value(submitted, world.appraiser, payload(portfolio))
    valuation = valuation_current_for(submitted)
    assert valuation.policy["value_type"] == "liquidation"
    rows = list(valuation.patent_valuations.order_by("id"))
    for row, patent in zip(rows, portfolio):
        market = expected_patent_value(patent, today)
        discount = D(settings.PLEDGEFLOW_LIQUIDATION_DISCOUNT_BY_KIND[patent.kind])
        assert row.value == (market * (1 - discount)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert row.income_value == D("932569.50")  # the approach's own result
        assert row.max_loan == (row.value * row.ltv).quantize(D("0.01"), rounding="ROUND_DOWN")
        assert row.workings["liquidation"]["market_value"] == f"{market:.2f}"
        assert len(row.workings["sensitivity"]) == 9
    assert valuation.loan_cap == sum(row.max_loan for row in rows)
    body = ValuationSerializer(valuation).data
    assert body["value_type"] == "liquidation"
    first = body["patents"][0]
    assert first["value_type"] == "liquidation" and first["liquidation"]["discount"] == "0.3000"
    middle = next(c for c in first["sensitivity"] if c["discount_rate_shift"] == c["royalty_rate_scale"] == "0.0000")
    assert middle["value"] == first["value"]


def test_a_valuation_stored_before_value_types_reads_as_market(world, submitted, portfolio):
    from valuation.serializers import ValuationSerializer

    value(submitted, world.appraiser, payload(portfolio))
    valuation = valuation_current_for(submitted)
    for row in valuation.patent_valuations.all():
        older = {k: v for k, v in row.workings.items() if k not in ("value_type", "liquidation", "sensitivity")}
        PatentValuation.objects.filter(pk=row.pk).update(workings=older)
    Valuation.objects.filter(pk=valuation.pk).update(
        policy={k: v for k, v in valuation.policy.items() if k != "value_type"})
    body = ValuationSerializer(valuation_current_for(submitted)).data
    assert body["value_type"] == "market"
    assert body["patents"][0]["value_type"] == "market"
    assert body["patents"][0]["liquidation"] is None and body["patents"][0]["sensitivity"] is None
