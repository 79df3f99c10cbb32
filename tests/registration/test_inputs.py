"""Payload serializers of the registrar's transitions: what they accept and how they name what they refuse."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from registration import services
from registration.models import RegistrationChange
from registration.inputs import (
    FileRegistrationSerializer,
    RecordChangeSerializer,
    RefuseRegistrationSerializer,
)
from tests.registration.states import registered_application


def valid(serializer_class, data):
    serializer = serializer_class(data=data)
    assert serializer.is_valid(), serializer.errors
    return serializer.validated_data


def errors(serializer_class, data):
    serializer = serializer_class(data=data)
    assert not serializer.is_valid()
    return serializer.errors


def test_record_change_accepts_items_and_aliases():
    data = valid(
        RecordChangeSerializer,
        {"changes": {"amount": "2500000.00", "term_end": "2027-06-30", "pledgor_name": "New Name"}, "note": "n"},
    )
    assert data["changes"] == {
        "debt_amount": Decimal("2500000.00"), "term_end": dt.date(2027, 6, 30), "pledgor_name": "New Name"
    }
    assert data["effective_on"] is None


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"annual_rate": "0.05"}, "annual_rate"),
        ({}, "non_field_errors"),
        ({"amount": "0"}, "debt_amount"),
        ({"debt_currency": "cny"}, "debt_currency"),
        ({"term_end": "next year"}, "term_end"),
        ({"pledgor_name": ""}, "pledgor_name"),
    ],
)
def test_record_change_names_the_bad_item(changes, field):
    assert field in errors(RecordChangeSerializer, {"changes": changes})["changes"]


def test_record_change_without_changes():
    assert "changes" in errors(RecordChangeSerializer, {"note": "x"})
    assert "changes" in errors(RecordChangeSerializer, {"changes": ["amount"]})


@pytest.mark.django_db
def test_validated_changes_feed_the_service(world):
    application = registered_application(world)
    data = valid(
        RecordChangeSerializer,
        {"changes": {"amount": "1000000.00"}, "effective_on": "2026-12-01", "note": "prepaid"},
    )
    change = services.registration_change_record(application=application, by=world.registrar, **data)
    assert change.changes == {"debt_amount": "1000000.00"}
    assert change.effective_on == dt.date(2026, 12, 1)
    assert RegistrationChange.objects.count() == 1


def test_refusal_grounds_must_be_known_codes():
    assert valid(RefuseRegistrationSerializer, {"grounds": ["NOT_GRANTED", "NOT_GRANTED", "OWNERSHIP_FROZEN"]})[
        "grounds"
    ] == ["NOT_GRANTED", "OWNERSHIP_FROZEN"]
    assert "grounds" in errors(RefuseRegistrationSerializer, {"grounds": ["TOO_RISKY"]})
    assert "grounds" in errors(RefuseRegistrationSerializer, {"grounds": []})
    assert "grounds" in errors(RefuseRegistrationSerializer, {})


def test_file_registration_acknowledgements_and_ucc1():
    data = valid(FileRegistrationSerializer, {"acknowledged": ["SAME_DAY_TWIN"], "ucc1_state": "de", "ucc1_file_number": "1"})
    assert (data["acknowledged"], data["ucc1_state"]) == (["SAME_DAY_TWIN"], "DE")
    assert valid(FileRegistrationSerializer, {})["acknowledged"] == []
    assert "acknowledged" in errors(FileRegistrationSerializer, {"acknowledged": ["OWNERSHIP_FROZEN"]})
    assert "ucc1_file_number" in errors(FileRegistrationSerializer, {"ucc1_state": "DE"})
    assert "ucc1_state" in errors(FileRegistrationSerializer, {"ucc1_state": "QQ", "ucc1_file_number": "1"})
