"""The portal's pages through Django's test client: who sees what, what each may fire, refusals change nothing."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from financing.models import AuditEntry, PledgeApplication
from tests.factories import ApplicationFactory
from tests.financing.states import application_in, database_fingerprint, payloads_for


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def transition_forms(html: str) -> set[str]:
    return set(re.findall(r'data-transition="([a-z_]+)"', html))


@pytest.fixture
def draft(world, portfolio):
    return ApplicationFactory(enterprise=world.enterprise, bank=world.bank, created_by=world.applicant, patents=portfolio)


def test_login_page_has_the_contract_fields_and_lands_on_the_work_list(world):
    world.applicant.set_password("demo")
    world.applicant.save()
    client = Client()
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode() and 'name="password"' in page.content.decode()
    response = client.post("/login/", {"username": "applicant", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and world.enterprise.name in home.content.decode()


def test_wrong_password_stays_on_the_login_page(world):
    response = Client().post("/login/", {"username": "applicant", "password": "nope"})
    assert response.status_code == 200 and "did not match" in response.content.decode()


def test_pages_need_a_login(db):
    for url in ("/", "/applications/new/", "/applications/1/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_logout_is_a_post(world):
    client = client_for(world.applicant)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_work_list_shows_visible_applications_and_counts(world, draft):
    html = client_for(world.applicant).get("/").content.decode()
    assert draft.reference in html and 'data-count-state="draft"' in html
    assert draft.reference not in client_for(world.other_applicant).get("/").content.decode()
    assert draft.reference in client_for(world.officer).get("/").content.decode()
    assert draft.reference not in client_for(world.other_officer).get("/").content.decode()


def test_work_list_runs_a_fixed_number_of_queries(world, portfolio, django_assert_max_num_queries):
    for _ in range(5):
        ApplicationFactory(enterprise=world.enterprise, bank=world.bank, created_by=world.applicant)
    client = client_for(world.officer)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_new_application_creates_and_redirects(world, portfolio):
    client = client_for(world.applicant)
    page = client.get("/applications/new/").content.decode()
    for name in ("bank", "patents", "amount_requested", "currency", "term_months", "purpose"):
        assert f'name="{name}"' in page
    assert portfolio[0].number in page
    response = client.post("/applications/new/", {
        "bank": world.bank.pk, "patents": [p.number for p in portfolio], "amount_requested": "5000000.00",
        "currency": "CNY", "term_months": "12", "purpose": "New line",
    })
    application = PledgeApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    assert application.pledged_patents.count() == 2 and application.enterprise == world.enterprise


def test_new_application_errors_sit_beside_the_field_and_keep_what_was_typed(world, portfolio):
    client = client_for(world.applicant)
    response = client.post("/applications/new/", {
        "bank": world.bank.pk, "patents": [portfolio[0].number], "amount_requested": "-5",
        "currency": "CNY", "term_months": "12", "purpose": "Kept text",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error-for="amount_requested"' in html and "Kept text" in html
    assert PledgeApplication.objects.count() == 0


def test_a_patent_not_owned_is_refused_by_the_service_beside_the_patents(world, portfolio):
    from tests.factories import PatentFactory

    foreign = PatentFactory(owners=[world.other_enterprise])
    response = client_for(world.applicant).post("/applications/new/", {
        "bank": world.bank.pk, "patents": [foreign.number], "amount_requested": "100.00",
        "currency": "CNY", "term_months": "12",
    })
    assert response.status_code == 400
    assert 'data-error-for="patents"' in response.content.decode() and "not owned" in response.content.decode()
    assert PledgeApplication.objects.count() == 0


def test_application_page_shows_state_and_only_the_users_transitions(world, draft):
    html = client_for(world.applicant).get(f"/applications/{draft.pk}/").content.decode()
    assert 'data-state="draft"' in html
    assert transition_forms(html) == {"submit", "withdraw"}
    assert f'action="/applications/{draft.pk}/transitions/submit/"' in html
    officer_html = client_for(world.officer).get(f"/applications/{draft.pk}/").content.decode()
    assert 'data-state="draft"' in officer_html and transition_forms(officer_html) == set()


def test_submit_through_the_page_redirects_and_audits(world, draft):
    client = client_for(world.applicant)
    response = client.post(f"/applications/{draft.pk}/transitions/submit/", {"note": "ready"})
    assert response.status_code == 302 and response["Location"].startswith(f"/applications/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "submitted"
    html = client.get(f"/applications/{draft.pk}/").content.decode()
    assert 'data-state="submitted"' in html and "ready" in html  # the note, in the timeline


def test_another_enterprises_application_is_the_human_404_page(world, draft):
    client = client_for(world.other_applicant)
    for response in (client.get(f"/applications/{draft.pk}/"),
                     client.post(f"/applications/{draft.pk}/transitions/submit/")):
        assert response.status_code == 404
        assert 'data-error-page="404"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_unknown_pages_are_human_and_api_stays_json(db):
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and 'data-error-page="404"' in page.content.decode()
    api = Client().get("/api/v1/no-such-endpoint/")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_a_wrong_role_is_refused_with_the_reason_and_nothing_changes(world, draft):
    client = client_for(world.officer)  # logging in stamps last_login: before the fingerprint
    before = database_fingerprint()
    response = client.post(f"/applications/{draft.pk}/transitions/submit/")
    assert response.status_code == 403
    assert "may not submit" in response.content.decode()
    assert database_fingerprint() == before
    assert AuditEntry.objects.filter(application=draft, outcome="refused", error_code="role_not_allowed").exists()


def test_a_bad_payload_shows_the_reason_beside_the_form_and_keeps_the_input(world):
    application = application_in("under_review", world)
    client = client_for(world.officer)
    before = database_fingerprint()
    response = client.post(
        f"/applications/{application.pk}/transitions/recommend/",
        {"amount": "not money", "annual_rate": "0.05", "term_months": "12", "note": "typed note"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error-for="amount"' in html and "typed note" in html and 'value="not money"' in html
    assert database_fingerprint() == before


def test_recommend_above_the_cap_is_a_409_with_the_services_message(world):
    application = application_in("under_review", world)
    response = client_for(world.officer).post(
        f"/applications/{application.pk}/transitions/recommend/",
        {"amount": "999999999999.00", "annual_rate": "0.05", "term_months": "12"},
    )
    assert response.status_code == 409 and "data-error" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "under_review"


def test_reject_sends_one_reason_per_input(world):
    application = application_in("under_review", world)
    client = client_for(world.officer)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert html.count('name="reasons"') >= 2
    client.post(f"/applications/{application.pk}/transitions/reject/", {"reasons": ["too risky", "", "thin cash"]})
    application.refresh_from_db()
    assert application.state == "rejected" and application.rejection_reasons == ["too risky", "thin cash"]


def test_the_recommender_sees_why_they_cannot_approve(world):
    from accounts.roles import BANK_APPROVER
    from tests.factories import UserFactory

    # An approver who also recommended: the four-eyes rule refuses approval, and the page says so.
    application = application_in("recommended", world)
    terms = application.terms
    checker = UserFactory(username="checker", role=BANK_APPROVER, bank=world.bank)
    terms.recommended_by = checker
    terms.save()
    html = client_for(checker).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-blocked="approve"' in html and "four-eyes" in html
    assert "approve" not in transition_forms(html) and {"send_back", "reject"} <= transition_forms(html)
    response = client_for(checker).post(f"/applications/{application.pk}/transitions/approve/")
    assert response.status_code == 403 and "different person" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "recommended"
    assert 'data-blocked="approve"' not in client_for(world.approver).get(f"/applications/{application.pk}/").content.decode()


def test_complete_valuation_takes_its_patents_as_json(world, draft):
    import json

    from tests.financing.states import fire

    fire(application=draft, name="submit", by=world.applicant)
    payload = payloads_for(draft)["complete_valuation"]
    client = client_for(world.appraiser)
    html = client.get(f"/applications/{draft.pk}/").content.decode()
    assert transition_forms(html) == {"complete_valuation"} and 'name="valuation_date"' in html
    bad = client.post(f"/applications/{draft.pk}/transitions/complete_valuation/",
                      {"valuation_date": payload["valuation_date"], "patents": "{not json"})
    assert bad.status_code == 400 and "not valid JSON" in bad.content.decode()
    client.post(f"/applications/{draft.pk}/transitions/complete_valuation/",
                {"valuation_date": payload["valuation_date"], "patents": json.dumps(payload["patents"])})
    draft.refresh_from_db()
    assert draft.state == "valued"
    page = client_for(world.officer).get(f"/applications/{draft.pk}/").content.decode()
    assert "data-loan-cap" in page


def test_registrar_sees_no_valuation(world):
    application = application_in("registration_filed", world)
    html = client_for(world.registrar).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-state="registration_filed"' in html and "data-loan-cap" not in html
    assert {"register", "refuse_registration"} <= transition_forms(html)
    assert "data-deadline" in html


def test_csrf_is_enforced_on_the_pages(world, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    response = client.post(f"/applications/{draft.pk}/transitions/submit/")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"
    login = Client(enforce_csrf_checks=True).post("/login/", {"username": "applicant", "password": "x"})
    assert login.status_code == 403


def test_chinese_first_for_a_chinese_browser(world):
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5").get("/login/")
    assert 'lang="zh-hans"' in page.content.decode() and "登录" in page.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/")
    assert 'lang="en"' in english.content.decode() and "Sign in" in english.content.decode()


def test_the_api_stays_english_for_a_chinese_client(world, api):
    response = api(world.applicant).post("/api/v1/applications/", {}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 400 and "required" in str(response.json())


def test_language_switch_sets_chinese(world):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert response.status_code == 302
    assert "登录" in client.get("/login/").content.decode()


def test_public_register_page(world):
    application = application_in("registered", world)
    number = application.pledged_patents.first().patent.number
    html = Client().get("/register/", {"patent": number}).content.decode()
    assert 'data-pledged="true"' in html and number in html
    bad = Client().get("/register/", {"patent": "ZL 2021 1 0921116.0"})
    assert bad.status_code == 400 and "data-error" in bad.content.decode()
    assert Client().get("/register/").status_code == 200


def test_verify_page_by_public_id_and_hash_and_upload(world, draft, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import Document
    from documents.services import verify_url
    from tests.financing.states import fire

    with django_capture_on_commit_callbacks(execute=True):
        fire(application=draft, name="submit", by=world.applicant)
    document = Document.objects.get(application=draft, status="ready")
    url = verify_url(document)
    path = url[url.index("/verify/"):]
    page = Client().get(path)
    html = page.content.decode()
    assert page.status_code == 200 and document.sha256 in html and draft.reference in html
    assert Client().get(f"/verify/{document.sha256}/").status_code == 200
    assert Client().get(f"/verify/{'0' * 64}/").status_code == 404
    pdf = document.file.open("rb").read()
    match = Client().post(path, {"file": SimpleUploadedFile("x.pdf", pdf, content_type="application/pdf")})
    assert 'data-check="match"' in match.content.decode()
    other = Client().post(path, {"file": SimpleUploadedFile("x.pdf", pdf + b"%", content_type="application/pdf")})
    assert 'data-check="mismatch"' in other.content.decode()
    assert Client().get(f"/api/v1/documents/verify/{document.public_id}/").json()["verified"] is True


def test_document_download_link_on_the_application_page(world, draft, django_capture_on_commit_callbacks):
    from tests.financing.states import fire

    with django_capture_on_commit_callbacks(execute=True):
        fire(application=draft, name="submit", by=world.applicant)
    client = client_for(world.applicant)
    html = client.get(f"/applications/{draft.pk}/").content.decode()
    link = re.search(r'href="(/api/v1/documents/\d+/download/)"', html).group(1)
    assert client.get(link).status_code == 200


def test_complete_valuation_from_the_per_patent_form(world, draft):
    from tests.financing.states import fire

    fire(application=draft, name="submit", by=world.applicant)
    payload = payloads_for(draft)["complete_valuation"]
    client = client_for(world.appraiser)
    html = client.get(f"/applications/{draft.pk}/").content.decode()
    numbers = [pp.patent.number for pp in draft.pledged_patents.all()]
    for number in numbers:
        assert f'name="patents" value="{number}"' in html and f'name="{number}.income.royalty_rate"' in html
    post = {"valuation_date": payload["valuation_date"], "patents": numbers}
    for number in numbers:
        post.update({f"{number}.income.revenue_forecast": ["1000000.00", "1100000.00", ""],
                     f"{number}.income.royalty_rate": "0.05", f"{number}.income.tax_rate": "0.25",
                     f"{number}.income.discount_rate": "0.12", f"{number}.cost.replacement_cost": "300000.00",
                     f"{number}.quality.legal.claim_stability": "4"})
    bad = dict(post, **{f"{numbers[0]}.income.royalty_rate": "lots"})
    response = client.post(f"/applications/{draft.pk}/transitions/complete_valuation/", bad)
    assert response.status_code == 400 and 'value="lots"' in response.content.decode()  # kept what was typed
    draft.refresh_from_db()
    assert draft.state == "submitted"
    client.post(f"/applications/{draft.pk}/transitions/complete_valuation/", post)
    draft.refresh_from_db()
    assert draft.state == "valued"


def test_the_applicant_edits_a_draft_through_the_apis_rules(world, draft):
    client = client_for(world.applicant)
    page = client.get(f"/applications/{draft.pk}/")
    assert "data-edit-draft" in page.content.decode()
    form = client.get(f"/applications/{draft.pk}/edit/").content.decode()
    assert f'value="{draft.amount_requested}"' in form
    numbers = [pp.patent.number for pp in draft.pledged_patents.all()]
    response = client.post(f"/applications/{draft.pk}/edit/", {
        "bank": draft.bank_id, "patents": numbers[:1], "amount_requested": "1234567.89", "currency": "CNY",
        "term_months": "18", "purpose": "Changed",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert str(draft.amount_requested) == "1234567.89" and draft.term_months == 18
    assert [pp.patent.number for pp in draft.pledged_patents.all()] == numbers[:1]


def test_a_bad_edit_changes_nothing_and_a_submitted_application_cannot_be_edited(world, draft):
    client = client_for(world.applicant)
    before = database_fingerprint()
    bad = client.post(f"/applications/{draft.pk}/edit/", {
        "bank": draft.bank_id, "patents": [], "amount_requested": "-5", "currency": "CNY", "term_months": "0",
    })
    assert bad.status_code == 400 and 'data-error-for="amount_requested"' in bad.content.decode()
    assert database_fingerprint() == before
    from tests.financing.states import fire
    fire(application=draft, name="submit", by=world.applicant)
    late = client.post(f"/applications/{draft.pk}/edit/", {
        "bank": draft.bank_id, "patents": [pp.patent.number for pp in draft.pledged_patents.all()],
        "amount_requested": "1000.00", "currency": "CNY", "term_months": "12",
    })
    assert late.status_code == 409
    draft.refresh_from_db()
    assert draft.amount_requested != 1000
    assert client_for(world.officer).get(f"/applications/{draft.pk}/edit/").status_code == 403


def test_the_valuation_shows_quality_and_cash_flows_as_charts(world):
    application = application_in("valued", world)
    html = client_for(world.officer).get(f"/applications/{application.pk}/").content.decode()
    numbers = [pp.patent.number for pp in application.pledged_patents.all()]
    for number in numbers:
        assert f'data-valuation-chart="{number}"' in html
    chart = html[html.index(f'data-valuation-chart="{numbers[0]}"'):]
    chart = chart[: chart.index("</figure>")]
    assert chart.count("<rect") >= 3  # legal, technical, economic
    assert "Legal" in chart


def test_bars_scale_to_the_largest_or_a_fixed_top():
    from decimal import Decimal

    from portal.charts import LENGTH, bars

    chart = bars([("a", "50"), ("b", Decimal("100")), ("c", "-3"), ("d", "junk")])
    assert [r["length"] for r in chart["rows"]] == [LENGTH // 2, LENGTH, 0, 0]
    assert bars([("score", "25")], scale_to=100)["rows"][0]["length"] == LENGTH // 4
    assert bars([])["height"] == 0


def test_the_officer_sees_the_cap_beside_the_amount_and_the_cash_flow_table(world):
    application = application_in("under_review", world)
    html = client_for(world.officer).get(f"/applications/{application.pk}/").content.decode()
    form = html[html.index('data-transition="recommend"'):]
    form = form[: form.index("</form>")]
    assert "data-cap-beside-amount" in form and str(application.valuations.get(superseded_at=None).loan_cap) in form
    assert "data-cash-flow-table" in html
