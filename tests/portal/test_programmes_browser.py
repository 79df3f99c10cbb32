"""A local IP office's risk pool through the pages: the office creates it, the bank enrols a loan, the loan
defaults and is disposed, the bank claims, and the office approves and finds the claim on its home page
and in its exports."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from financing import services
from financing.demo import demo_seed
from financing.lifecycle import DEMO_AMOUNT, DEMO_PORTFOLIO, MAIN_PATH, demo_values
from programmes.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def disbursed(transactional_db):
    """The demo world, and a demo portfolio loan walked to disbursed by the services (as run_demo_lifecycle does)."""
    call_command("seed_demo", verbosity=0)
    world = demo_seed()
    users = world.users
    application = services.application_create(
        by=users["applicant"], bank=world.bank, patents=list(DEMO_PORTFOLIO), amount_requested=DEMO_AMOUNT,
        currency="CNY", term_months=12, purpose="Risk pool walk",
    )
    values = demo_values(today=timezone.localdate())
    for name, username in MAIN_PATH:
        services.TRANSITIONS[name](application=application, by=users[username], **values[name])
    assert application.state == "disbursed"
    return application


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.click("form[action='/logout/'] button[type=submit]")
    page.wait_for_load_state()


def test_office_pool_bank_enrols_default_disposal_claim_approved(page, live_server, disbursed):
    base, pk = live_server.url, disbursed.pk
    today = timezone.localdate()

    sign_in(page, base, "ipoffice")
    form = page.locator("form[data-form=programme]")
    form.locator("[name=kind]").select_option("risk_pool")
    form.locator("[name=name]").fill("Hangzhou IP loan risk pool")
    form.locator("[name=valid_from]").fill((today - dt.timedelta(days=30)).isoformat())
    form.locator("[name=valid_until]").fill((today + dt.timedelta(days=365)).isoformat())
    form.locator("[name=budget]").fill("20000000")
    for party, share in {"pool": "0.54", "bank": "0.26", "insurer": "0.16", "appraiser": "0.04"}.items():
        form.locator(f"[name=share_{party}]").fill(share)
    form.locator("[name=cap_per_loan]").fill("1000000")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr[data-programme]")
    sign_out(page)

    sign_in(page, base, "officer")
    page.goto(f"{base}/applications/{pk}/")
    enrol = page.locator("form[data-loan-form=enrol]")
    enrol.locator("[name=ip_secured_amount]").fill(str(DEMO_AMOUNT))
    enrol.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error]").count() == 0, page.locator("[data-error]").inner_text()
    page.wait_for_selector("[data-enrolment]")
    page.locator("form[data-transition=declare_default] [name=reason]").fill("Three instalments missed")
    page.locator("form[data-transition=declare_default] button[type=submit]").click()
    page.wait_for_selector("h1 [data-state=defaulted]")
    dispose = page.locator("form[data-transition=dispose]")
    dispose.locator("[name=method]").select_option("auction")
    dispose.locator("[name=proceeds]").fill("4000000.00")
    dispose.locator("button[type=submit]").click()
    page.wait_for_selector("h1 [data-state=disposed]")
    page.locator("form[data-loan-form=claim] button[type=submit]").click()
    page.wait_for_url(f"**/applications/{pk}/#done-claim")
    sign_out(page)

    claim = Claim.objects.get()
    # Disbursed and defaulted today: no interest has run; the loss is 5,000,000 − 4,000,000, the pool's 54%.
    assert (claim.loss, claim.amount) == (1000000, 540000)

    sign_in(page, base, "ipoffice")
    row = page.locator(f"tr[data-claim='{claim.pk}']")
    assert row.get_attribute("data-claim-status") == "pending"
    row.locator("form[data-claim-decision=approve] [name=note]").fill("Evidence in order")
    row.locator("form[data-claim-decision=approve] button[type=submit]").click()
    page.wait_for_selector(f"tr[data-claim='{claim.pk}'][data-claim-status=approved]")
    assert page.locator("tr[data-programme] [data-paid]").inner_text().strip() == "540000.00"
    assert page.locator("[data-stat=loans]").inner_text().strip() == "1"
    assert page.locator("svg[data-chart=by_month] rect").count() == 1

    claims_csv = page.request.get(f"{base}{page.locator('a[data-export=claims-csv]').get_attribute('href')}")
    rows = list(csv.DictReader(io.StringIO(claims_csv.body().decode("utf-8-sig"))))
    assert [(int(r["claim"]), r["status"], r["split_pool"]) for r in rows] == [(claim.pk, "approved", "540000.00")]
    statistics_csv = page.request.get(f"{base}{page.locator('a[data-export=csv]').get_attribute('href')}")
    total = next(csv.DictReader(io.StringIO(statistics_csv.body().decode("utf-8-sig"))))
    assert (total["loans"], total["amount"], total["npl_ratio"]) == ("1", "5000000.00", "")
    xlsx = page.request.get(f"{base}{page.locator('a[data-export=xlsx]').get_attribute('href')}")
    assert xlsx.ok and xlsx.body()[:2] == b"PK"
