"""Nobody sees what their role and organisation do not allow: others' ids are 404, lists are scoped."""
from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, PatentFactory
from tests.financing.states import application_in, database_fingerprint

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {a["id"] for a in response.json()["results"]}


def test_applicant_sees_only_its_enterprise(api, world):
    mine = ApplicationFactory(enterprise=world.enterprise, bank=world.bank)
    theirs = ApplicationFactory(enterprise=world.other_enterprise, bank=world.bank)
    assert ids(api(world.applicant).get("/api/v1/applications/")) == {mine.pk}
    assert ids(api(world.other_applicant).get("/api/v1/applications/")) == {theirs.pk}
    for path in (f"/api/v1/applications/{theirs.pk}/", f"/api/v1/applications/{theirs.pk}/history/"):
        response = api(world.applicant).get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_applicant_cannot_fire_on_another_enterprises_application(api, world):
    theirs = ApplicationFactory(enterprise=world.other_enterprise, bank=world.bank)
    before = database_fingerprint()
    response = api(world.applicant).post(f"/api/v1/applications/{theirs.pk}/transitions/submit/", {}, format="json")
    assert response.status_code == 404
    assert database_fingerprint() == before
    assert theirs.audit_entries.count() == 0
    response = api(world.applicant).patch(f"/api/v1/applications/{theirs.pk}/", {"term_months": 6}, format="json")
    assert response.status_code == 404


def test_bank_staff_see_only_their_bank(api, world):
    ours = ApplicationFactory(bank=world.bank)
    other = ApplicationFactory(bank=world.other_bank)
    for user in (world.appraiser, world.officer, world.approver):
        assert ids(api(user).get("/api/v1/applications/")) == {ours.pk}
        assert api(user).get(f"/api/v1/applications/{other.pk}/").status_code == 404
    assert ids(api(world.other_officer).get("/api/v1/applications/")) == {other.pk}
    response = api(world.other_officer).post(
        f"/api/v1/applications/{ours.pk}/transitions/start_review/", {}, format="json"
    )
    assert response.status_code == 404


def test_registrar_sees_filed_applications_without_credit_internals(api, world):
    draft = application_in("draft", world)
    filed = application_in("registration_filed", world)
    assert ids(api(world.registrar).get("/api/v1/applications/")) == {filed.pk}
    assert api(world.registrar).get(f"/api/v1/applications/{draft.pk}/").status_code == 404
    body = api(world.registrar).get(f"/api/v1/applications/{filed.pk}/").json()
    assert set(body["terms"]) == {"amount", "term_months", "signed_on", "maturity_date", "repaid_on"}
    assert "annual_rate" not in body["terms"]
    assert body["valuation"] is None  # the bank's valuation is a credit internal
    officer_view = api(world.officer).get(f"/api/v1/applications/{filed.pk}/").json()
    assert officer_view["valuation"]["loan_cap"] and officer_view["terms"]["annual_rate"]
    assert body["deadline"] == body["registration"]["deadline"]


def test_anonymous_gets_401_and_a_user_without_role_sees_nothing(api, world):
    ApplicationFactory(bank=world.bank)
    response = api().get("/api/v1/applications/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    from tests.factories import UserFactory

    assert ids(api(UserFactory()).get("/api/v1/applications/")) == set()


def test_admin_sees_everything(api, world):
    a, b = ApplicationFactory(bank=world.bank), ApplicationFactory(bank=world.other_bank)
    assert ids(api(world.admin).get("/api/v1/applications/")) == {a.pk, b.pk}


def test_only_applicants_create_and_only_in_their_name(api, world):
    patent = PatentFactory(owners=[world.enterprise])
    body = {"bank": world.bank.pk, "patents": [patent.number], "amount_requested": "100.00", "term_months": 6}
    for user in (world.officer, world.appraiser, world.registrar, world.admin):
        response = api(user).post("/api/v1/applications/", body, format="json")
        assert response.status_code == 403, user
    # The other enterprise cannot pledge our patent.
    response = api(world.other_applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "patent_not_owned"
    # The enterprise is always the caller's, whatever the body says.
    response = api(world.applicant).post(
        "/api/v1/applications/", {**body, "enterprise": world.other_enterprise.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["enterprise"] == world.enterprise.pk
