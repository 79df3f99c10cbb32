"""Creating and editing drafts, filtering and paging, token auth, the schema, query counts."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from financing.models import PledgeApplication
from tests.factories import ApplicationFactory, LoanTermsFactory, PatentFactory
from tests.financing.states import application_in, database_fingerprint

pytestmark = pytest.mark.django_db


def new_application(api, world, **overrides):
    patent = PatentFactory(owners=[world.enterprise])
    body = {
        "bank": world.bank.pk, "patents": [patent.number], "amount_requested": "1200000.50",
        "currency": "CNY", "term_months": 18, "purpose": "R&D",
    }
    body.update(overrides)
    return api(world.applicant).post("/api/v1/applications/", body, format="json")


def test_create_keeps_money_exact(api, world):
    response = new_application(api, world)
    assert response.status_code == 201
    body = response.json()
    assert body["amount_requested"] == "1200000.50"
    assert body["reference"].startswith("PF-")


@pytest.mark.parametrize(
    "override, field",
    [
        ({"amount_requested": "abc"}, "amount_requested"),
        ({"amount_requested": "0"}, "amount_requested"),
        ({"amount_requested": "1.001"}, "amount_requested"),
        ({"term_months": 0}, "term_months"),
        ({"currency": "XXX"}, "currency"),
        ({"patents": []}, "patents"),
        ({"bank": 999999}, "bank"),
    ],
)
def test_bad_create_is_400_naming_the_field_and_writes_nothing(api, world, override, field):
    PatentFactory(owners=[world.enterprise])
    before = database_fingerprint()
    response = new_application(api, world, **override)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["details"] and field in error["message"]
    after = database_fingerprint()
    after.pop("patents.Patent"), before.pop("patents.Patent")  # new_application adds one patent itself
    assert after == before


def test_unknown_patent_is_400_and_writes_nothing(api, world):
    before = database_fingerprint()
    response = api(world.applicant).post(
        "/api/v1/applications/",
        {"bank": world.bank.pk, "patents": ["ZL202110921116.9"], "amount_requested": "1.00", "term_months": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_patent"
    assert database_fingerprint() == before


def test_edit_only_in_draft(api, world):
    app_id = new_application(api, world).json()["id"]
    response = api(world.applicant).patch(f"/api/v1/applications/{app_id}/", {"term_months": 24}, format="json")
    assert response.status_code == 200 and response.json()["term_months"] == 24
    api(world.applicant).post(f"/api/v1/applications/{app_id}/transitions/submit/", {}, format="json")
    before = database_fingerprint()
    response = api(world.applicant).patch(f"/api/v1/applications/{app_id}/", {"term_months": 36}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_editable"
    assert database_fingerprint() == before
    assert api(world.applicant).put(f"/api/v1/applications/{app_id}/", {}, format="json").status_code == 405
    assert api(world.applicant).delete(f"/api/v1/applications/{app_id}/").status_code == 405


def test_filter_by_state_and_paginate(api, world):
    for _ in range(3):
        ApplicationFactory(enterprise=world.enterprise, bank=world.bank)
    ApplicationFactory(enterprise=world.enterprise, bank=world.bank, state="submitted")
    body = api(world.officer).get("/api/v1/applications/?state=submitted").json()
    assert body["count"] == 1 and body["results"][0]["state"] == "submitted"
    body = api(world.officer).get("/api/v1/applications/?page_size=2").json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]


def test_list_runs_a_constant_number_of_queries(api, world):
    def queries_for(n_applications: int) -> int:
        for _ in range(n_applications):
            application = ApplicationFactory(
                enterprise=world.enterprise, bank=world.bank, state="recommended",
                patents=[PatentFactory(owners=[world.enterprise]), PatentFactory(owners=[world.enterprise])],
            )
            LoanTermsFactory(application=application, recommended_by=world.officer)
        # A freshly loaded user, as in a real request: its role is not cached yet.
        client = api(type(world.approver).objects.get(pk=world.approver.pk))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/applications/?page_size=100")
        assert response.status_code == 200
        assert all("approve" in a["available_transitions"] for a in response.json()["results"])
        return len(ctx.captured_queries)

    few = queries_for(2)
    many = queries_for(30)
    assert few == many, f"{few} queries for 2 applications, {many} for 32"
    # Authentication and role (1), the bounded count (1), the page's ids (1), its rows (1), and one
    # per related list: pledged patents, valuations with their patents (2), documents; no filings
    # or repayments in this state (financing.selectors.details_attach).
    assert many <= 8, f"{many} queries for a list page"


def test_a_deep_page_counts_and_joins_only_its_own_rows(api, world):
    for _ in range(5):
        ApplicationFactory(enterprise=world.enterprise, bank=world.bank)
    body = api(world.officer).get("/api/v1/applications/?page_size=2&page=3").json()
    assert body["count"] == 5 and body["count_exact"] is True and len(body["results"]) == 1
    assert body["next"] is None and "page=2" in body["previous"]
    assert api(world.officer).get("/api/v1/applications/?page_size=2&page=4").status_code == 404


def test_the_count_stops_past_the_page(api, world, monkeypatch):
    from financing.apis import ApplicationPagination

    monkeypatch.setattr(ApplicationPagination, "count_ahead", 3)
    for _ in range(6):
        ApplicationFactory(enterprise=world.enterprise, bank=world.bank)
    body = api(world.officer).get("/api/v1/applications/?page_size=2").json()
    assert body["count"] == 3 and body["count_exact"] is False and body["next"]
    body = api(world.officer).get("/api/v1/applications/?page_size=2&page=3").json()
    assert body["count"] == 6 and body["count_exact"] is True and body["next"] is None


def test_equal_amounts_keep_a_stable_order_across_pages(api, world):
    made = [ApplicationFactory(enterprise=world.enterprise, bank=world.bank).pk for _ in range(4)]
    client = api(world.officer)
    pages = [client.get("/api/v1/applications/", {"ordering": "-amount_requested", "page_size": 2, "page": n})
             for n in (1, 2)]
    seen = [a["id"] for page in pages for a in page.json()["results"]]
    assert seen == sorted(made, reverse=True)


def test_a_transition_reads_what_it_needs(world, django_assert_max_num_queries):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    application = application_in("valued", world)  # with its valuation, patents and documents
    client = APIClient()
    _, key = AuthToken.objects.create(user=world.officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The token with its user and role (1, accounts.auth), the application with its terms (1), the
    # guarded UPDATE (1, ... WHERE state = 'valued': a lost race is a 409 without a lock, as
    # start_review has no rules reading other rows), the audit INSERT (1), then the answer's related
    # rows: pledged patents with their register rows, the valuation with its patents (one query),
    # documents (3; a valued application has no filing, as the state machine says), and the outbox's
    # event INSERT (1, events.services, written with the change): 8 in production, plus the
    # savepoint pair the test's own transaction adds around the write.
    with django_assert_max_num_queries(10):
        response = client.post(f"/api/v1/applications/{application.pk}/transitions/start_review/", {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "under_review" and "recommend" in body["available_transitions"]
    assert body["valuation"] is not None and len(body["patents"]) == 2


def test_a_transition_answers_minimal_when_asked_without_reading_more(world, django_assert_num_queries):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    application = application_in("valued", world)
    client = APIClient()
    _, key = AuthToken.objects.create(user=world.officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The token with its user and role, the application with its terms, the guarded UPDATE, the
    # audit INSERT, the outbox's event INSERT (5), and the test transaction's savepoint pair: none
    # for the answer, which is built from the application in hand. In production: 7 with BEGIN and COMMIT.
    with django_assert_num_queries(7):
        response = client.post(
            f"/api/v1/applications/{application.pk}/transitions/start_review/", {}, format="json",
            headers={"Prefer": "respond-async, return=minimal"},
        )
    assert response.status_code == 200, response.content
    assert response["Preference-Applied"] == "return=minimal" and "Prefer" in response["Vary"]
    body = response.json()
    assert set(body) == {"id", "state", "state_changed_at", "updated_at", "available_transitions"}
    assert body["id"] == application.pk and body["state"] == "under_review"
    assert "recommend" in body["available_transitions"]
    application.refresh_from_db()
    assert application.state == "under_review"


def test_a_transition_answers_the_full_detail_unless_minimal_is_asked(world, api):
    application = application_in("valued", world)
    response = api(world.officer).post(
        f"/api/v1/applications/{application.pk}/transitions/start_review/", {}, format="json",
        headers={"Prefer": "return=representation"},
    )
    assert response.status_code == 200 and "Preference-Applied" not in response
    assert response.json()["valuation"] is not None and len(response.json()["patents"]) == 2


def test_a_refused_transition_is_the_same_409_when_minimal_is_asked(world, api):
    application = application_in("valued", world)
    response = api(world.officer).post(
        f"/api/v1/applications/{application.pk}/transitions/recommend/", {}, format="json",
        headers={"Prefer": "return=minimal"},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "transition_not_allowed"


def test_token_auth(api, world):
    response = api().post("/api/v1/auth/token/", {"username": "officer", "password": "pw"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/applications/").status_code == 200
    bad = api().post("/api/v1/auth/token/", {"username": "officer", "password": "nope"}, format="json")
    assert bad.status_code == 400 and "error" in bad.json()


def test_openapi_schema_and_docs_page(api, world):
    schema = api(world.officer).get("/api/v1/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/applications/{id}/transitions/{name}/" in text
    docs = api(world.officer).get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    # Swagger UI comes from the app's own static files (offline bank networks), never a CDN.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_patent_register_is_read_by_all_and_written_by_registrars(api, world):
    patent = PatentFactory(owners=[world.enterprise])
    assert api(world.applicant).get(f"/api/v1/patents/{patent.number}/").status_code == 200
    response = api(world.applicant).patch(f"/api/v1/patents/{patent.number}/", {"status": "lapsed"}, format="json")
    assert response.status_code == 403
    response = api(world.registrar).patch(f"/api/v1/patents/{patent.number}/", {"status": "lapsed"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "lapsed"


def test_filter_by_patent_in_any_spelling(api, world):
    patent = PatentFactory(owners=[world.enterprise])
    mine = ApplicationFactory(enterprise=world.enterprise, bank=world.bank, patents=[patent])
    ApplicationFactory(enterprise=world.enterprise, bank=world.bank)
    spaced = f"{patent.number[:2]} {patent.number[2:6]} {patent.number[6]} {patent.number[7:]}".lower()
    body = api(world.officer).get("/api/v1/applications/", {"patent": spaced}).json()
    assert [a["id"] for a in body["results"]] == [mine.pk]
    assert api(world.officer).get("/api/v1/applications/", {"patent": "ZL1"}).status_code == 400


@pytest.mark.parametrize("ordering", ["", "-amount_requested", "state", "created_at"])
def test_walking_every_page_gives_each_application_once_in_the_scopes_order(api, world, ordering):
    for n in range(23):
        ApplicationFactory(enterprise=world.enterprise, bank=world.bank, amount_requested=Decimal(1000 + n % 5))
    client, seen, page = api(world.officer), [], 1
    while True:
        body = client.get("/api/v1/applications/", {"ordering": ordering, "page_size": 5, "page": page}).json()
        seen += [a["id"] for a in body["results"]]
        assert body["count"] == 23 and body["count_exact"] is True
        if not body["next"]:
            break
        page += 1
    keys = [ordering, "-id" if ordering.startswith("-") else "id"] if ordering else ["-created_at", "-id"]
    expected = list(PledgeApplication.objects.filter(bank=world.bank).order_by(*keys).values_list("pk", flat=True))
    assert page == 5 and seen == expected


def test_a_transition_writes_only_what_it_changed_and_keeps_what_others_wrote_since(world):
    from financing import selectors, services

    application = application_in("valued", world)
    loaded = selectors.application_for_transition(user=world.officer, pk=application.pk)
    # Another writer changes a column after this request loaded the row (not the state: that is a race).
    PledgeApplication.objects.filter(pk=application.pk).update(purpose="Written by someone else")
    services.application_start_review(application=loaded, by=world.officer)
    saved = PledgeApplication.objects.get(pk=application.pk)
    assert saved.state == "under_review" and saved.purpose == "Written by someone else"
    assert saved.state_changed_at == loaded.state_changed_at and saved.updated_at == loaded.updated_at


def test_a_rule_that_changes_a_column_of_the_application_has_it_saved(world):
    from financing import services

    application = application_in("under_review", world)
    services.application_reject(application=application, by=world.officer, reasons=["insufficient collateral"])
    saved = PledgeApplication.objects.get(pk=application.pk)
    assert saved.state == "rejected" and saved.rejection_reasons == ["insufficient collateral"]
