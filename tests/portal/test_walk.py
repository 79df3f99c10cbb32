"""One portfolio application from draft to released entirely through the pages, each step by its demo user.

Every transition is fired from its form on the application page (inputs named as WORKFLOW.md's payload keys),
by the demo user WORKFLOW.md names, who signs in and out through /login/; `data-state` is checked after each.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.management import call_command

from financing.lifecycle import DEMO_AMOUNT, DEMO_PORTFOLIO, demo_valuation
from financing.models import PledgeApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PURPOSE = "Portfolio walk through the pages"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.click("form[action='/logout/'] button[type=submit]")
    page.wait_for_load_state()


def fire(page, name: str, target: str, **fields) -> None:
    """Fill transition `name`'s form (one input per payload key; a list, one input per item) and send it."""
    form = page.locator(f"form[data-transition={name}]")
    assert form.count() == 1, f"no form for {name} on {page.url}"
    for key, value in fields.items():
        if isinstance(value, list):
            boxes = form.locator(f"input[name={key}]")
            for i, item in enumerate(value):
                boxes.nth(i).fill(item)
        elif form.locator(f"select[name={key}]").count():
            form.locator(f"select[name={key}]").select_option(value)
        else:
            form.locator(f"[name={key}]").fill(value)
    # A transition that keeps the state (sign_filing, record_change) shows the same state: wait for the new page.
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_selector(f"h1 [data-state={target}]")


def fill_valuation(page, valuation: dict) -> None:
    """The appraiser types the demo's inputs into the per-patent valuation form."""
    form = page.locator("form[data-transition=complete_valuation]")
    form.locator("[name=valuation_date]").fill(valuation["valuation_date"].isoformat())
    for entry in valuation["patents"]:
        number = entry["number"]
        box = form.locator(f"[data-valuation-patent='{number}']")
        assert box.locator("input[type=hidden][name=patents]").get_attribute("value") == number

        def named(key):
            return box.locator(f"[name='{number}.{key}']")

        income = entry.get("income", {})
        for i, amount in enumerate(income.get("revenue_forecast", [])):
            named("income.revenue_forecast").nth(i).fill(str(amount))
        for key in ("royalty_rate", "tax_rate", "discount_rate"):
            if key in income:
                named(f"income.{key}").fill(str(income[key]))
        if "cost" in entry:
            named("cost.replacement_cost").fill(str(entry["cost"]["replacement_cost"]))
        for i, comparable in enumerate(entry.get("market", {}).get("comparables", [])):
            named("market.comparables.price").nth(i).fill(str(comparable["price"]))
            named("market.comparables.quality_score").nth(i).fill(str(comparable["quality_score"]))
        for group, ratings in entry.get("quality", {}).items():
            for indicator, rating in ratings.items():
                named(f"quality.{group}.{indicator}").select_option(str(rating))
        for approach, weight in entry.get("weights", {}).items():
            named(f"weights.{approach}").fill(str(weight))


def open_application(page, base: str, pk: int) -> None:
    page.goto(f"{base}/applications/{pk}/")


def apply(page, base: str) -> int:
    page.goto(f"{base}/applications/new/")
    for number in DEMO_PORTFOLIO:
        page.check(f"input[name=patents][value='{number}']")
    page.fill("input[name=amount_requested]", str(DEMO_AMOUNT))
    page.select_option("select[name=currency]", "CNY")
    page.fill("input[name=term_months]", "12")
    page.fill("textarea[name=purpose]", PURPOSE)
    page.click("form[data-form=application-new] button[type=submit]")
    page.wait_for_selector("h1 [data-state=draft]")
    return int(re.search(r"/applications/(\d+)/", page.url).group(1))


def walk(page, base: str, *, check=lambda page, state: None) -> int:
    """Draft to released through the pages, each step by its demo user; `check(page, state)` after each step."""
    today = dt.date.today().isoformat()
    valuation = demo_valuation(valuation_date=dt.date.today())

    sign_in(page, base, "applicant")
    pk = apply(page, base)
    fire(page, "submit", "submitted")
    check(page, "submitted")
    sign_out(page)

    sign_in(page, base, "appraiser")
    open_application(page, base, pk)
    fill_valuation(page, valuation)
    fire(page, "complete_valuation", "valued")
    check(page, "valued")
    assert page.locator("[data-valuation] [data-loan-cap]").inner_text().strip()
    sign_out(page)

    sign_in(page, base, "officer")
    open_application(page, base, pk)
    fire(page, "start_review", "under_review")
    check(page, "under_review")
    fire(page, "recommend", "recommended", amount=str(DEMO_AMOUNT), annual_rate="0.0435", term_months="12")
    check(page, "recommended")
    sign_out(page)

    sign_in(page, base, "approver")
    open_application(page, base, pk)
    assert page.locator("[data-blocked=approve]").count() == 0  # the approver did not recommend
    fire(page, "approve", "approved", note="Approved within cap")
    check(page, "approved")
    sign_out(page)

    sign_in(page, base, "officer")
    open_application(page, base, pk)
    fire(page, "sign_contracts", "contracted", signed_on=today)
    check(page, "contracted")
    fire(page, "sign_filing", "contracted")  # the bank signs the filing; the enterprise files it
    check(page, "contracted")
    sign_out(page)

    sign_in(page, base, "applicant")
    open_application(page, base, pk)
    fire(page, "file_registration", "registration_filed")
    check(page, "registration_filed")
    sign_out(page)

    sign_in(page, base, "registrar")
    open_application(page, base, pk)
    fire(page, "register", "registered")
    check(page, "registered")
    sign_out(page)

    # The public register, no login: the pledge stands on each pledged patent.
    for number in DEMO_PORTFOLIO:
        page.goto(f"{base}/register/?patent={number}")
        assert page.locator("[data-register-result]").get_attribute("data-pledged") == "true"
        assert page.locator("[data-registration]").count() >= 1

    sign_in(page, base, "officer")
    open_application(page, base, pk)
    fire(page, "disburse", "disbursed", disbursed_on=today)
    check(page, "disbursed")
    sign_out(page)

    sign_in(page, base, "registrar")
    open_application(page, base, pk)
    fire(page, "record_change", "disbursed", changes=json.dumps({"debt_amount": "2500000.00"}),
         note="Partial prepayment")
    check(page, "disbursed")
    sign_out(page)

    # Repaid: the bank applies to cancel the registration, and the registrar releases the pledge.
    sign_in(page, base, "officer")
    open_application(page, base, pk)
    fire(page, "apply_cancellation", "cancellation_applied", ground="debt_discharged", repaid_on=today)
    check(page, "cancellation_applied")
    sign_out(page)

    sign_in(page, base, "registrar")
    open_application(page, base, pk)
    fire(page, "release", "released", effective_on=today)
    check(page, "released")
    return pk


def test_portfolio_from_draft_to_released_through_the_pages(page, live_server, demo):
    base = live_server.url
    pk = walk(page, base)
    application = PledgeApplication.objects.get(pk=pk)
    assert application.state == "released" and application.purpose == PURPOSE
    assert {pp.patent.number for pp in application.pledged_patents.all()} == set(DEMO_PORTFOLIO)
    walked = [e.transition for e in application.audit_entries.filter(outcome="succeeded").order_by("at", "id")]
    assert walked == ["submit", "complete_valuation", "start_review", "recommend", "approve", "sign_contracts",
                      "sign_filing", "file_registration", "register", "disburse", "record_change",
                      "apply_cancellation", "release"]

    # The QR link of a document, read from the application page, opens the human verification page.
    link = page.locator("tr[data-document] a[href*='/verify/']").first
    href = link.get_attribute("href")
    sign_out(page)
    response = page.goto(f"{base}{href}" if href.startswith("/") else href)
    assert response.status == 200 and "html" in response.headers["content-type"]
    document = application.documents.get(public_id=href.rstrip("/").rsplit("/", 1)[-1])
    assert page.locator("[data-verified=true]").count() == 1
    assert page.locator("[data-sha256]").inner_text().strip() == document.sha256
    assert page.locator("[data-application]").inner_text().strip() == application.reference
    assert page.locator("input[type=file][name=file]").count() == 1


def test_the_walk_in_a_chinese_browser(browser, live_server, demo):
    """A Chinese browser (locale zh-CN, Accept-Language zh-CN) gets Chinese pages, and the same walk goes to released."""
    base = live_server.url
    context = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    page = context.new_page()
    seen: dict[str, str] = {}

    def in_chinese(page, state: str) -> None:
        label = page.locator(f"h1 [data-state={state}]").inner_text().strip()
        assert label and all(ord(ch) >= 0x2E80 for ch in label), f"{state} is shown as {label!r}"
        assert page.locator("form[action='/logout/'] button").inner_text().strip() == "退出登录"
        seen[state] = label

    try:
        page.goto(f"{base}/login/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.locator("h1").inner_text() == "登录"
        pk = walk(page, base, check=in_chinese)
        assert PledgeApplication.objects.get(pk=pk).state == "released"
        assert seen["submitted"] == "已提交" and seen["valued"] == "已评估" and seen["under_review"] == "审查中"
        assert {"registered", "disbursed", "cancellation_applied", "released"} <= set(seen)
        assert page.locator("#actions").inner_text().strip() == "您现在可以办理"
    finally:
        context.close()
