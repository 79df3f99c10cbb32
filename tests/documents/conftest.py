"""Fixtures of the documents tests: files in a temporary storage, and walking an application by the services."""
from __future__ import annotations

import pytest

from financing import services
from tests.financing.payloads import transition_payloads

ACTORS = {
    "submit": "applicant",
    "complete_valuation": "appraiser",
    "start_review": "officer",
    "recommend": "officer",
    "approve": "approver",
    "reject": "officer",
    "sign_contracts": "officer",
    "file_registration": "officer",
    "register": "registrar",
    "refuse_registration": "registrar",
    "record_change": "registrar",
    "disburse": "officer",
    "release": "registrar",
    "declare_default": "officer",
    "dispose": "officer",
}
TO_CONTRACTED = ["submit", "complete_valuation", "start_review", "recommend", "approve", "sign_contracts"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def application(world, portfolio):
    return services.application_create(
        by=world.applicant,
        bank=world.bank,
        patents=[p.number for p in portfolio],
        amount_requested="3000000.00",
        currency="CNY",
        term_months=12,
        purpose="Second production line",
    )


@pytest.fixture
def walk(world, django_capture_on_commit_callbacks):
    """`walk(application, "submit", "complete_valuation", ...)`: fire each, running its after-commit work."""

    def fire(application, *names, payloads=None):
        numbers = [pp.patent.number for pp in application.pledged_patents.select_related("patent")]
        defaults = transition_payloads(numbers)
        for name in names:
            payload = (payloads or {}).get(name, defaults[name])
            with django_capture_on_commit_callbacks(execute=True):
                services.application_transition(
                    application=application, name=name, by=getattr(world, ACTORS[name]), payload=payload
                )
        return application

    return fire
