"""The portal in a real browser, as people click: log in, apply, submit; each role's home page."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from financing.models import PledgeApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The README's pictures are refreshed only when asked (PLEDGEFLOW_SCREENSHOTS=1 make test), so a test
# run leaves the work tree as it found it; otherwise they go to a temporary folder.
README_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def sign_in(page, live_server, username: str, password: str = "demo") -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_applicant_applies_and_submits(page, live_server, demo):
    sign_in(page, live_server, "applicant")
    page.click("text=Apply for a loan")
    page.wait_for_url("**/applications/new/")
    checkboxes = page.locator("input[name=patents]")
    assert checkboxes.count() >= 2
    checkboxes.nth(0).check()
    checkboxes.nth(1).check()
    page.fill("input[name=amount_requested]", "2000000.00")
    page.select_option("select[name=currency]", "CNY")
    page.fill("input[name=term_months]", "12")
    page.fill("textarea[name=purpose]", "A new production line")
    page.click("form[data-form=application-new] button[type=submit]")
    page.wait_for_selector("[data-state=draft]")
    application = PledgeApplication.objects.get(purpose="A new production line")
    assert page.url.endswith(f"/applications/{application.pk}/")
    page.click("form[data-transition=submit] button[type=submit]")
    page.wait_for_selector("h1 [data-state=submitted]")
    application.refresh_from_db()
    assert application.state == "submitted"
    assert page.locator("[data-timeline] li").count() >= 1


def test_another_enterprise_gets_the_404_page(page, live_server, demo):
    from decimal import Decimal

    from accounts.models import Bank, User
    from financing.services import application_create
    from patents.models import Patent

    applicant = User.objects.get(username="applicant")
    numbers = list(Patent.objects.filter(owners=applicant.enterprise).values_list("number", flat=True)[:1])
    application = application_create(by=applicant, bank=Bank.objects.first(), patents=numbers,
                                      amount_requested=Decimal("1000000.00"), currency="CNY", term_months=12)
    sign_in(page, live_server, "applicant2")
    response = page.goto(f"{live_server.url}/applications/{application.pk}/")
    assert response.status == 404 and page.locator("[data-error-page='404']").count() == 1


def test_chinese_browser_gets_chinese_pages(browser, live_server, demo):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "登录"
    context.close()


@pytest.mark.parametrize("username", ["applicant", "appraiser", "officer", "approver", "registrar", "ipoffice"])
def test_home_page_of_each_role(page, live_server, demo, username, tmp_path):
    from decimal import Decimal

    from accounts.models import User
    from financing.services import application_create, application_submit
    from patents.models import Patent

    applicant = User.objects.get(username="applicant")
    numbers = list(Patent.objects.filter(owners=applicant.enterprise).values_list("number", flat=True)[:2])
    bank = User.objects.get(username="officer").bank
    submitted = application_create(by=applicant, bank=bank, patents=numbers[:1], amount_requested=Decimal("2000000.00"),
                                    currency="CNY", term_months=12, purpose="Screenshot")
    application_submit(application=submitted, by=applicant)
    application_create(by=applicant, bank=bank, patents=numbers[1:], amount_requested=Decimal("1500000.00"),
                       currency="CNY", term_months=24, purpose="Screenshot draft")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, username)
    assert page.locator("[data-organisation]").inner_text().strip()
    folder = README_IMAGES if os.environ.get("PLEDGEFLOW_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"portal-{username}.png"), full_page=True)
    assert (folder / f"portal-{username}.png").stat().st_size > 10_000


def test_the_api_docs_work_with_no_network_beyond_the_app(page, live_server, demo):
    """A bank's network is often offline: Swagger UI must load every asset from the app itself."""
    outside: list[str] = []

    def only_the_app(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    assert outside == []


def test_the_approver_is_refused_on_terms_they_recommended_and_sees_why(page, live_server, world):
    """Four eyes: the page says why there is no approve button, rather than hiding it silently."""
    from tests.financing.states import application_in

    application = application_in("recommended", world)
    application.terms.recommended_by = world.approver
    application.terms.save()
    world.approver.set_password("demo")
    world.approver.save()

    sign_in(page, live_server, "approver")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    note = page.locator("[data-blocked=approve]")
    note.wait_for()
    assert "different person" in note.inner_text() or "four-eyes" in note.inner_text()
    assert page.locator("form[data-transition=approve]").count() == 0
    assert page.locator("form[data-transition=send_back]").count() == 1
    application.refresh_from_db()
    assert application.state == "recommended"


def test_the_quote_calculator_shows_the_figures_as_the_enterprise_types(page, live_server, demo):
    sign_in(page, live_server, "applicant")
    page.click("nav >> text=Quote calculator")
    page.wait_for_url("**/quote/")
    page.select_option("select[name=own_patent]", index=1)
    years = page.locator("input[name='quote.income.revenue_forecast']")
    for i, amount in enumerate(("1000000", "1200000", "1300000")):
        years.nth(i).fill(amount)
    page.fill("input[name='quote.income.royalty_rate']", "0.05")
    page.fill("input[name='quote.income.tax_rate']", "0.25")
    page.fill("input[name='quote.income.discount_rate']", "0.12")
    # No button pressed: htmx posts the form as the person types and swaps the figures in.
    page.wait_for_selector("#quote-result [data-figure=max_loan]", timeout=15_000)
    assert page.locator("#quote-result [data-figure=value]").inner_text().strip()[0].isdigit()


def test_the_appraiser_sees_each_patents_figures_while_filling_in_the_valuation(page, live_server, world):
    from tests.financing.states import application_in

    application = application_in("submitted", world)
    number = application.pledged_patents.first().patent.number
    world.appraiser.set_password("demo")
    world.appraiser.save()
    sign_in(page, live_server, "appraiser")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    block = page.locator(f"fieldset[data-valuation-patent='{number}']")
    years = block.locator(f"input[name='{number}.income.revenue_forecast']")
    for i, amount in enumerate(("1000000", "1200000", "1300000")):
        years.nth(i).fill(amount)
    block.locator(f"input[name='{number}.income.royalty_rate']").fill("0.05")
    block.locator(f"input[name='{number}.income.tax_rate']").fill("0.25")
    block.locator(f"input[name='{number}.income.discount_rate']").fill("0.12")
    preview = page.locator(f"[data-valuation-preview='{number}'] [data-figure=max_loan]")
    preview.wait_for(timeout=15_000)
    assert preview.inner_text().strip()[0].isdigit()
    application.refresh_from_db()
    assert application.state == "submitted"


LABEL_CHECK = """() => {
  const unlabelled = [];
  for (const el of document.querySelectorAll('main input, main select, main textarea')) {
    if (el.type === 'hidden' || el.offsetParent === null) continue;
    const byFor = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    if (!(byFor || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))) {
      unlabelled.push(el.name || el.outerHTML.slice(0, 80));
    }
  }
  return unlabelled;
}"""


PHONE_PAGES = {
    "applicant": ("/", "/applications/new/", "/quote/"),
    "officer": ("/",),
    "registrar": ("/desk/", "/patents/", "/patents/import/", "/register/"),
}


def _keyboard_reaches_every_button(page) -> list[str]:
    """Tab through the page once round; the visible buttons that focus never reached."""
    buttons = page.locator("main button:visible, main a.button:visible")
    wanted = [buttons.nth(i).evaluate("el => el.outerHTML.slice(0, 120)") for i in range(buttons.count())]
    reached: list[str] = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''")
        if reached and focused == reached[0]:
            break  # round again
        reached.append(focused)
    return [button for button in wanted if button not in reached]


def test_pages_fit_a_phone_label_every_input_and_reach_every_button_by_keyboard(browser, live_server, demo):
    for username, paths in PHONE_PAGES.items():
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        page = context.new_page()
        sign_in(page, live_server, username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            # Nothing wider than the phone: wide tables scroll inside their own box, not the page.
            assert page.evaluate("document.documentElement.scrollWidth") <= 391, (username, path)
            assert page.evaluate(LABEL_CHECK) == [], (username, path)
            assert _keyboard_reaches_every_button(page) == [], (username, path)
        context.close()
