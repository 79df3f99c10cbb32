"""An application's history shows each role what its detail does: a registrar never reads the bank's
pricing or the appraiser's inputs there (financing.selectors.credit_view_of)."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from financing import selectors, services
from financing.lifecycle import MAIN_PATH
from financing.models import AuditEntry, PledgeApplication
from tests.financing.states import application_in, fire, payloads_for, values_for

pytestmark = pytest.mark.django_db


def _filed_after_a_refused_recommendation(world) -> PledgeApplication:
    """Registration filed, with a recommendation over the loan cap refused on the way (its message names the cap)."""
    application = application_in("under_review", world)
    too_much = {**payloads_for(application)["recommend"], "amount": "999999999.00"}
    with pytest.raises(Exception):
        fire(application=application, name="recommend", by=world.officer, payload=too_much)
    application.refresh_from_db()
    values = values_for(application)
    for name, username in MAIN_PATH[3:8]:
        services.TRANSITIONS[name](application=application, by=getattr(world, username), **values[name])
    return PledgeApplication.objects.get(pk=application.pk)


def _by_transition(entries, name, outcome="succeeded"):
    return next(e for e in entries if e.transition == name and e.outcome == outcome)


# --- the selector ------------------------------------------------------------------------------


def test_registrar_history_keeps_only_registrar_terms_of_credit_transitions(world):
    application = _filed_after_a_refused_recommendation(world)
    entries = list(selectors.audit_history_visible_to(user=world.registrar, application=application))

    recommend = _by_transition(entries, "recommend")
    assert recommend.payload == {"amount": "3000000.00", "term_months": 12}  # no annual_rate, no note
    assert _by_transition(entries, "complete_valuation").payload == {}  # none of the appraiser's inputs
    assert _by_transition(entries, "sign_contracts").payload == {"signed_on": values_for(application)["sign_contracts"]["signed_on"].isoformat()}
    assert _by_transition(entries, "approve").payload == {}  # the approver's note is credit internal
    refused = _by_transition(entries, "recommend", outcome="refused")
    assert refused.payload == {"amount": "999999999.00", "term_months": 12}
    assert refused.message == "" and refused.error_code  # the code says why; the message quoted the cap


def test_registrar_history_shows_registration_entries_whole(world):
    application = application_in("registration_filed", world)
    services.TRANSITIONS["refuse_registration"](
        application=application, by=world.registrar, grounds=["CONTRACT_INCOMPLETE"], note="Patent list missing"
    )
    recorded = {e.pk: e for e in application.audit_entries.all()}
    for entry in selectors.audit_history_visible_to(user=world.registrar, application=application):
        if entry.transition in ("file_registration", "refuse_registration"):
            assert entry.payload == recorded[entry.pk].payload
            assert entry.message == recorded[entry.pk].message
    refusal = _by_transition(selectors.audit_history_visible_to(user=world.registrar, application=application),
                             "refuse_registration")
    assert refusal.payload["note"] == "Patent list missing"


@pytest.mark.parametrize("who", ["applicant", "appraiser", "officer", "approver", "admin"])
def test_everyone_else_reads_history_as_recorded(world, who):
    application = _filed_after_a_refused_recommendation(world)
    shown = list(selectors.audit_history_visible_to(user=getattr(world, who), application=application))
    recorded = list(selectors.audit_entries_for(application=application))
    assert [(e.pk, e.payload, e.message) for e in shown] == [(e.pk, e.payload, e.message) for e in recorded]
    assert _by_transition(shown, "recommend").payload["annual_rate"] == "0.0435"


def test_cutting_a_registrars_view_changes_no_audit_row(world):
    application = _filed_after_a_refused_recommendation(world)
    before = list(AuditEntry.objects.filter(application=application).values("id", "payload", "message"))
    list(selectors.audit_history_visible_to(user=world.registrar, application=application))
    assert list(AuditEntry.objects.filter(application=application).values("id", "payload", "message")) == before


def test_history_pages_in_the_database(world):
    application = application_in("registration_filed", world)
    history = selectors.audit_history_visible_to(user=world.registrar, application=application)
    assert len(history) == application.audit_entries.count() == 8
    assert [e.transition for e in history[2:4]] == ["start_review", "recommend"]
    assert "annual_rate" not in history[3].payload


# --- the API -----------------------------------------------------------------------------------


def test_registrar_history_over_the_api_has_no_rate_nor_valuation_inputs(api, world):
    application = _filed_after_a_refused_recommendation(world)
    response = api(world.registrar).get(f"/api/v1/applications/{application.pk}/history/?page_size=200")
    assert response.status_code == 200
    text = response.content.decode()
    for secret in ("annual_rate", "0.0435", "royalty_rate", "discount_rate", "revenue_forecast", "loan cap"):
        assert secret not in text, secret
    entries = response.json()["results"]
    assert [e["transition"] for e in entries] == [e.transition for e in application.audit_entries.order_by("at", "id")]
    recommend = next(e for e in entries if e["transition"] == "recommend" and e["outcome"] == "succeeded")
    assert recommend["payload"] == {"amount": "3000000.00", "term_months": 12}


def test_officer_history_over_the_api_is_whole(api, world):
    application = _filed_after_a_refused_recommendation(world)
    body = api(world.officer).get(f"/api/v1/applications/{application.pk}/history/?page_size=200").json()
    recommend = next(e for e in body["results"] if e["transition"] == "recommend" and e["outcome"] == "succeeded")
    assert recommend["payload"]["annual_rate"] == "0.0435"
    valuation = next(e for e in body["results"] if e["transition"] == "complete_valuation")
    assert "income" in valuation["payload"]["patents"][0]
    refused = next(e for e in body["results"] if e["outcome"] == "refused")
    assert "cap" in refused["message"]


def test_registrar_history_of_an_unfiled_application_is_404(api, world):
    application = application_in("approved", world)
    response = api(world.registrar).get(f"/api/v1/applications/{application.pk}/history/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_registrar_history_queries_do_not_grow_with_entries(api, world, django_assert_max_num_queries):
    application = _filed_after_a_refused_recommendation(world)
    client = api(world.registrar)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/applications/{application.pk}/history/")
    assert response.status_code == 200
    assert json.dumps(response.json()).count("annual_rate") == 0


def test_registrar_detail_and_history_agree_on_terms(api, world):
    """Both reads come from one rule: the history's terms keys are a subset of the detail's."""
    application = application_in("registered", world)
    client = api(world.registrar)
    detail_terms = set(client.get(f"/api/v1/applications/{application.pk}/").json()["terms"])
    history = client.get(f"/api/v1/applications/{application.pk}/history/").json()["results"]
    credit_keys = set().union(*(e["payload"] for e in history if e["transition"] in ("recommend", "sign_contracts")))
    assert credit_keys <= detail_terms
    assert Decimal(next(e for e in history if e["transition"] == "recommend")["payload"]["amount"]) > 0


def test_no_read_shows_a_registrar_the_rate_or_the_valuation(api, world, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    """The other reads a registrar has of a registered pledge: its detail (with its documents), its
    history, the desk's filings, a document's own record, alerts. None carries a credit internal."""
    from documents.models import Document
    from documents.selectors import REGISTRAR_KINDS

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the stage documents are made after commit
        application = _filed_after_a_refused_recommendation(world)
        services.TRANSITIONS["register"](application=application, by=world.registrar)
    client = api(world.registrar)
    detail = client.get(f"/api/v1/applications/{application.pk}/")
    assert {d["kind"] for d in detail.json()["documents"]} <= REGISTRAR_KINDS
    reads = [
        detail,
        client.get(f"/api/v1/applications/{application.pk}/history/?page_size=200"),
        client.get("/api/v1/registration/filings/"),
        client.get("/api/v1/alerts/"),
    ]
    filing_id = reads[2].json()["results"][0]["id"]
    reads.append(client.get(f"/api/v1/registration/filings/{filing_id}/"))
    assert Document.objects.filter(application=application, kind="loan_contract").exists()
    for kind in ("loan_contract", "credit_approval_letter", "valuation_report"):
        for document in Document.objects.filter(application=application, kind=kind):
            refused = client.get(f"/api/v1/documents/{document.pk}/")
            assert refused.status_code == 404
    for response in reads:
        assert response.status_code == 200, response.request
        text = response.content.decode()
        for secret in ("annual_rate", "0.0435", "royalty_rate", "revenue_forecast", "loan_cap", "credit_approval_letter"):
            assert secret not in text, (response.request["PATH_INFO"], secret)
