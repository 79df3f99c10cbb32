"""Fixtures of the documents tests: files in a temporary storage, and walking an application by the services."""
from __future__ import annotations

import pytest

from financing import services
from financing.lifecycle import DEMO_PATH, PATHS, TO_CONTRACT
from tests.financing.payloads import transition_payloads
from tests.financing.states import fire as fire_transition

# Who fires each transition, and the way to a signed contract: from the one script of the workflow.
ACTORS = {name: who for path in (*PATHS.values(), DEMO_PATH) for name, who in path}
TO_CONTRACTED = [name for name, _ in TO_CONTRACT]


@pytest.fixture(autouse=True)
def media(media):
    """Every documents test stores its files in a temporary folder (tests/conftest.py's media)."""
    return media


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
                fire_transition(application=application, name=name, by=getattr(world, ACTORS[name]), payload=payload)
        return application

    return fire
