"""Every role × transition pair is allowed or 403; every state × transition pair is allowed or 409.

A refused request changes no data and leaves exactly one audit entry saying why.
"""
from __future__ import annotations

import pytest

from accounts.roles import ROLES
from financing.models import REGISTRAR_STATES, TRANSITION_NAMES, AuditEntry, PledgeApplication, State
from tests.financing.states import application_in, both_sides_signed, database_fingerprint, payloads_for

pytestmark = pytest.mark.django_db

# WORKFLOW.md's table, written out again on purpose: the test checks the model against the spec.
SPEC = {
    "submit": ({"draft"}, {"applicant"}),
    "complete_valuation": ({"submitted"}, {"appraiser"}),
    "start_review": ({"valued"}, {"bank_officer"}),
    "return_to_applicant": ({"submitted", "under_review"}, {"bank_officer"}),
    "request_revaluation": ({"under_review", "recommended"}, {"bank_officer"}),
    "recommend": ({"under_review"}, {"bank_officer"}),
    "send_back": ({"recommended"}, {"bank_approver"}),
    "approve": ({"recommended"}, {"bank_approver"}),
    "reject": ({"under_review", "recommended"}, {"bank_officer", "bank_approver"}),
    "sign_contracts": ({"approved"}, {"bank_officer"}),
    "sign_filing": ({"contracted", "registration_refused", "correction_requested"}, {"applicant", "bank_officer"}),
    "file_registration": ({"contracted", "registration_refused", "correction_requested"}, {"bank_officer", "applicant"}),
    "request_correction": ({"registration_filed"}, {"registrar"}),
    "register": ({"registration_filed"}, {"registrar"}),
    "refuse_registration": ({"registration_filed"}, {"registrar"}),
    "record_change": ({"registered", "disbursed"}, {"registrar"}),
    "disburse": ({"registered"}, {"bank_officer"}),
    "apply_cancellation": ({"registered", "disbursed"}, {"bank_officer", "applicant"}),
    "release": ({"cancellation_applied"}, {"registrar"}),
    "declare_default": ({"disbursed"}, {"bank_officer"}),
    "dispose": ({"defaulted"}, {"bank_officer"}),
    "withdraw": ({"draft", "submitted", "valued", "under_review"}, {"applicant"}),
}
TARGET = {
    "submit": "submitted", "complete_valuation": "valued", "start_review": "under_review",
    "return_to_applicant": "draft", "request_revaluation": "submitted", "recommend": "recommended",
    "send_back": "under_review", "approve": "approved", "reject": "rejected", "sign_contracts": "contracted",
    "file_registration": "registration_filed", "register": "registered",
    "refuse_registration": "registration_refused", "request_correction": "correction_requested", "disburse": "disbursed", "apply_cancellation": "cancellation_applied", "release": "released",
    "declare_default": "defaulted", "dispose": "disposed", "withdraw": "withdrawn",
}


def test_the_spec_table_covers_every_transition_and_state():
    assert set(SPEC) == set(TRANSITION_NAMES)
    assert {s for sources, _ in SPEC.values() for s in sources} <= set(State.values)


def ready(application, name, world):
    """What a transition needs besides its state: a joint filing needs both sides' signatures."""
    if name == "file_registration":
        both_sides_signed(application, world)
    return application


def fire(api, user, application, name, payload):
    return api(user).post(f"/api/v1/applications/{application.pk}/transitions/{name}/", payload, format="json")


def assert_refused(response, application, before, audits_before, status, code=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    if code:
        assert error["code"] == code
    assert database_fingerprint() == before, "a refused request changed data"
    new = list(AuditEntry.objects.filter(application=application).order_by("id")[audits_before:])
    assert len(new) == 1, "a refused request must leave exactly one audit entry"
    assert new[0].outcome == "refused" and new[0].error_code == error["code"]
    return new[0]


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_each_role_is_allowed_or_refused_with_403(api, world, name):
    sources, roles = SPEC[name]
    source = sorted(sources)[0]
    application = application_in(source, world)
    payload = payloads_for(application)[name]

    # Everyone whose role may not: 403, nothing changes, one audit entry each. The admin holds no role.
    for role in [r for r in ROLES if r not in roles] + ["admin"]:
        user = world.admin if role == "admin" else world.by_role(role)
        before, audits = database_fingerprint(), application.audit_entries.count()
        if (role == "registrar" and source not in REGISTRAR_STATES) or role == "ip_office":
            # Registrars do not see applications before they are filed, nor a local IP office any (it sees
            # enrolments and claims): 404, and nothing is audited because the request never reached this
            # application's state machine.
            response = fire(api, user, application, name, payload)
            assert response.status_code == 404
            assert database_fingerprint() == before and application.audit_entries.count() == audits
            continue
        entry = assert_refused(fire(api, user, application, name, payload), application, before, audits, 403,
                               "role_not_allowed")
        assert entry.actor == user and entry.transition == name and entry.source_state == source

    # Everyone whose role may: 200, on a fresh application each.
    for role in sorted(roles):
        application = ready(application_in(source, world), name, world)
        response = fire(api, world.by_role(role), application, name, payloads_for(application)[name])
        assert response.status_code == 200, (role, response.content)
        assert response.json()["state"] == TARGET.get(name, source)
        entry = application.audit_entries.order_by("-id").first()
        assert entry.outcome == "succeeded" and entry.target_state == TARGET.get(name, source)


@pytest.mark.parametrize("state", State.values)
def test_each_state_allows_its_transitions_and_refuses_the_rest_with_409(api, world, state):
    application = application_in(state, world)
    payloads = payloads_for(application)
    for name in TRANSITION_NAMES:
        sources, roles = SPEC[name]
        if state in sources:
            continue
        user = world.by_role(sorted(roles)[0])
        before, audits = database_fingerprint(), application.audit_entries.count()
        response = fire(api, user, application, name, payloads[name])
        if roles == {"registrar"} and state not in REGISTRAR_STATES:
            assert response.status_code == 404  # registrars cannot see it yet (see the role test)
            assert database_fingerprint() == before and application.audit_entries.count() == audits
            continue
        assert_refused(response, application, before, audits, 409, "transition_not_allowed")
        assert response.json()["error"]["details"]["state"] == state
    for name in TRANSITION_NAMES:
        sources, roles = SPEC[name]
        if state not in sources:
            continue
        fresh = ready(application_in(state, world), name, world)
        response = fire(api, world.by_role(sorted(roles)[0]), fresh, name, payloads_for(fresh)[name])
        assert response.status_code == 200, (name, response.content)
        assert PledgeApplication.objects.get(pk=fresh.pk).state == TARGET.get(name, state)


def test_approver_who_recommended_is_refused_by_the_four_eyes_rule(api, world):
    # A bank_approver cannot recommend, so the only way to be both is to have recommended in another
    # role; simulate a person promoted from officer to approver between the two steps.
    application = application_in("recommended", world)
    terms = application.terms
    terms.recommended_by = world.approver
    terms.save()
    before, audits = database_fingerprint(), application.audit_entries.count()
    response = fire(api, world.approver, application, "approve", {})
    assert_refused(response, application, before, audits, 403, "four_eyes")
    assert "approve" not in api(world.approver).get(f"/api/v1/applications/{application.pk}/").json()[
        "available_transitions"
    ]


def test_bad_payload_is_400_naming_the_field_and_changes_nothing(api, world):
    application = application_in("under_review", world)
    before, audits = database_fingerprint(), application.audit_entries.count()
    response = fire(api, world.officer, application, "recommend", {"amount": "-5", "annual_rate": "abc"})
    entry = assert_refused(response, application, before, audits, 400, "invalid")
    details = response.json()["error"]["details"]
    assert {"amount", "annual_rate", "term_months"} <= set(details)
    assert entry.payload == {"amount": "-5", "annual_rate": "abc"}


def test_required_note_and_reasons(api, world):
    application = application_in("recommended", world)
    for name, user, payload, field in [
        ("send_back", world.approver, {}, "note"),
        ("reject", world.approver, {"reasons": []}, "reasons"),
        ("request_revaluation", world.officer, {"note": ""}, "note"),
    ]:
        before, audits = database_fingerprint(), application.audit_entries.count()
        response = fire(api, user, application, name, payload)
        assert_refused(response, application, before, audits, 400)
        assert field in response.json()["error"]["details"]


def test_unknown_transition_is_404(api, world):
    application = application_in("draft", world)
    response = fire(api, world.applicant, application, "teleport", {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_transition"
