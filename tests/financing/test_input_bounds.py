"""Implausible transition inputs are refused at the edge: a 400 naming the field, in the one error shape, nothing written."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from financing.models import TRANSITION_NAMES, AuditEntry
from registration.refusals import ACKNOWLEDGEABLE
from tests.financing.states import application_in, database_fingerprint, payloads_for
from tests.financing.test_transition_matrix import SPEC

pytestmark = pytest.mark.django_db


def fire(api, user, application, name, payload):
    return api(user).post(f"/api/v1/applications/{application.pk}/transitions/{name}/", payload, format="json")


def assert_400_naming(response, application, before, audits_before, field):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"].startswith(f"{field}:"), error["message"]
    assert database_fingerprint() == before, "a refused request changed data"
    new = AuditEntry.objects.filter(application=application).order_by("id")[audits_before:]
    assert all(entry.outcome == "refused" for entry in new)


def refuse(api, world, name, change, field, *, state=None):
    """Fire `name` from its first source state with the valid payload changed by `change`; expect a 400 on `field`."""
    sources, roles = SPEC[name]
    application = application_in(state or sorted(sources)[0], world)
    payload = payloads_for(application)[name]
    change(payload)
    before, audits = database_fingerprint(), application.audit_entries.count()
    response = fire(api, world.by_role(sorted(roles)[0]), application, name, payload)
    assert_400_naming(response, application, before, audits, field)
    return response


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_every_transition_refuses_an_unknown_key_by_name(api, world, name):
    response = refuse(api, world, name, lambda payload: payload.update(amout="1.00"), "amout")
    assert "amout" in response.json()["error"]["details"]


def _set(key, value):
    return lambda payload: payload.update({key: value})


@pytest.mark.parametrize("name, field, value", [
    ("sign_contracts", "signed_on", "0001-01-01"),
    ("sign_contracts", "signed_on", "1900-06-30"),
    ("sign_contracts", "signed_on", "9999-12-31"),
    ("disburse", "disbursed_on", "1970-01-01"),
    ("disburse", "disbursed_on", "2999-01-01"),
    ("apply_cancellation", "repaid_on", "1984-12-31"),
    ("apply_cancellation", "repaid_on", "9999-12-31"),
    ("release", "effective_on", "1984-12-31"),
    ("release", "effective_on", "9999-12-31"),
    ("complete_valuation", "valuation_date", "0001-01-01"),
    ("record_change", "effective_on", "9999-12-31"),
    ("record_change", "effective_on", "0001-01-01"),
])
def test_implausible_dates_are_refused_naming_the_field(api, world, name, field, value):
    refuse(api, world, name, _set(field, value), field)


def test_a_change_may_take_effect_up_to_a_year_ahead_but_not_later(api, world):
    too_late = timezone.localdate() + dt.timedelta(days=400)
    refuse(api, world, "record_change", _set("effective_on", too_late.isoformat()), "effective_on")
    application = application_in("registered", world)
    payload = {**payloads_for(application)["record_change"],
               "effective_on": (timezone.localdate() + dt.timedelta(days=300)).isoformat()}
    assert fire(api, world.registrar, application, "record_change", payload).status_code == 200


def test_a_new_term_end_in_9999_is_refused(api, world):
    refuse(api, world, "record_change",
           lambda payload: payload.update(changes={"term_end": "9999-12-31"}), "changes.term_end")


def test_the_earliest_plausible_day_is_accepted_by_the_edge(api, world):
    # 1985-04-01 passes the edge; the service then judges it against the loan (before approval: its own 400).
    application = application_in("approved", world)
    payload = {**payloads_for(application)["sign_contracts"], "signed_on": "1985-04-01"}
    response = fire(api, world.officer, application, "sign_contracts", payload)
    assert response.status_code == 400
    assert "1985-04-01 is before" not in response.json()["error"]["message"]


@pytest.mark.parametrize("name, field, value", [
    ("reject", "reasons", ["a reason"] * 21),
    ("refuse_registration", "grounds", ["CONTRACT_INCOMPLETE"] * 51),
    ("file_registration", "acknowledged", [sorted(ACKNOWLEDGEABLE)[0]] * 51),
])
def test_lists_are_bounded(api, world, name, field, value):
    refuse(api, world, name, _set(field, value), field)


def test_a_valuation_of_more_patents_than_an_application_may_pledge_is_refused(api, world):
    def many(payload):
        payload["patents"] = payload["patents"] * 26  # 52 entries
    refuse(api, world, "complete_valuation", many, "patents")
