"""A region with its office, the world's bank and enterprise in it, and disbursed loans walked there for real."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import IpOffice
from accounts.roles import IP_OFFICE
from financing.models import LoanTerms
from registration.models import Filing
from tests.factories import UserFactory
from tests.financing.states import application_in

REGION = "330100"
OTHER_REGION = "310000"


@pytest.fixture
def office(world):
    """The world's office (region 330100), with the world's enterprise and bank moved into its region."""
    world.enterprise.region = REGION
    world.enterprise.save()
    world.bank.region = REGION
    world.bank.save()
    return world.ip_office.ip_office


@pytest.fixture
def office_user(world, office):
    return world.ip_office


@pytest.fixture
def other_office_user(db):
    other = IpOffice.objects.create(name="Shanghai IP Office", region=OTHER_REGION)
    return UserFactory(username="ipoffice2", role=IP_OFFICE, ip_office=other)


def backdate(application, *, disbursed_days_ago: int):
    """Move the loan's dates back: signed a day before disbursement, registered the day before that."""
    today = timezone.localdate()
    disbursed_on = today - dt.timedelta(days=disbursed_days_ago)
    LoanTerms.objects.filter(application=application).update(
        signed_on=disbursed_on - dt.timedelta(days=1), disbursed_on=disbursed_on
    )
    Filing.objects.filter(application=application).update(registered_on=disbursed_on - dt.timedelta(days=2))
    application.refresh_from_db()
    return disbursed_on


@pytest.fixture
def loan(world, office):
    """A 3,000,000 loan at 4.35% of the region's enterprise, disbursed 100 days ago."""
    application = application_in("disbursed", world)
    backdate(application, disbursed_days_ago=100)
    return application


def pool_payload(**overrides):
    today = timezone.localdate()
    payload = {
        "kind": "risk_pool", "name": "Hangzhou IP loan risk pool", "region": REGION,
        "valid_from": (today - dt.timedelta(days=365)).isoformat(),
        "valid_until": (today + dt.timedelta(days=365)).isoformat(),
        "budget": "10000000.00",
        "shares": {"pool": "0.54", "bank": "0.26", "insurer": "0.16", "appraiser": "0.04"},
        "cap_per_loan": "1000000.00",
    }
    payload.update(overrides)
    return payload


AMOUNT = Decimal("3000000.00")
