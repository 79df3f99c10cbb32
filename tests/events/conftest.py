"""Fixtures of the events tests: an application of the world's bank, walked by the services; a receiver."""
from __future__ import annotations

import pytest

from financing import services
from tests.documents.conftest import ACTORS, media, walk  # noqa: F401  (fixtures re-exported)
from tests.events.receivers import Receiver


@pytest.fixture
def application(world, portfolio):
    return services.application_create(
        by=world.applicant, bank=world.bank, patents=[p.number for p in portfolio], amount_requested="3000000.00",
        currency="CNY", term_months=12, purpose="Events",
    )


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running
