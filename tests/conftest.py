"""Fixtures shared by the whole suite: a small world with one user per role, and API clients."""
from __future__ import annotations

import os
import select
import time
from dataclasses import dataclass

if os.environ.get("FAKETIME"):
    # Under libfaketime (make test-shifted) with the monotonic clock left real, time.sleep's
    # clock_nanosleep fails with EINVAL, and subprocess waits with a timeout sleep; select() waits
    # the same time and libfaketime leaves it alone.
    time.sleep = lambda seconds: select.select([], [], [], max(0.0, seconds)) and None

import pytest
from rest_framework.test import APIClient

from accounts.models import Bank, Enterprise, IpOffice, User
from accounts.roles import APPLICANT, APPRAISER, BANK_APPROVER, BANK_OFFICER, IP_OFFICE, REGISTRAR
from tests.factories import BankFactory, EnterpriseFactory, PatentFactory, UserFactory


@dataclass
class World:
    bank: Bank
    other_bank: Bank
    enterprise: Enterprise
    other_enterprise: Enterprise
    applicant: User
    other_applicant: User
    appraiser: User
    officer: User
    approver: User
    registrar: User
    ip_office: User  # the local IP office of region 330100 (no enterprise or bank is in it unless a test says so)
    other_officer: User  # same role, another bank
    admin: User

    def by_role(self, role: str) -> User:
        return {
            APPLICANT: self.applicant,
            APPRAISER: self.appraiser,
            BANK_OFFICER: self.officer,
            BANK_APPROVER: self.approver,
            REGISTRAR: self.registrar,
            IP_OFFICE: self.ip_office,
        }[role]


@pytest.fixture
def world(db) -> World:
    bank, other_bank = BankFactory(), BankFactory()
    enterprise, other_enterprise = EnterpriseFactory(), EnterpriseFactory()
    return World(
        bank=bank,
        other_bank=other_bank,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        applicant=UserFactory(username="applicant", role=APPLICANT, enterprise=enterprise),
        other_applicant=UserFactory(username="applicant2", role=APPLICANT, enterprise=other_enterprise),
        appraiser=UserFactory(username="appraiser", role=APPRAISER, bank=bank),
        officer=UserFactory(username="officer", role=BANK_OFFICER, bank=bank),
        approver=UserFactory(username="approver", role=BANK_APPROVER, bank=bank),
        registrar=UserFactory(username="registrar", role=REGISTRAR),
        ip_office=UserFactory(username="ipoffice", role=IP_OFFICE, ip_office=IpOffice.objects.create(
            name="Hangzhou IP Office", name_zh="杭州市知识产权局", region="330100")),
        other_officer=UserFactory(username="officer2", role=BANK_OFFICER, bank=other_bank),
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def portfolio(world):
    """Two granted CN invention patents owned by the world's enterprise."""
    return [PatentFactory(owners=[world.enterprise]), PatentFactory(owners=[world.enterprise])]


@pytest.fixture
def api():
    """`api(user)` → an APIClient authenticated as `user` (or anonymous with None)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def media(settings, tmp_path):
    """Stored files (documents, imports) in a temporary folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counts live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _broker_failures_forgotten():
    """A publish that failed in one test (a broker made to fail) does not hold back the next test's."""
    from core.queue import forget_failures

    forget_failures()
    yield
    forget_failures()
