"""core.fields.ReadableFieldsOnce renders what DRF's own Serializer.to_representation renders, key for key."""
from __future__ import annotations

import json

import pytest

from core.fields import ReadableFieldsOnce
from financing.lifecycle import PATHS
from tests.factories import LoanTermsFactory, active_pledge
from tests.financing.states import application_in

pytestmark = pytest.mark.django_db

# Every stage of the walk: no terms, terms, a filing refused or registered, a loan disbursed, released.
STATES = ("draft", "valued", "recommended", "registration_filed", "registration_refused", "disbursed", "released")


def _pages(api, world) -> dict[str, str]:
    """Each role's list page and one detail, as raw JSON text (key order included)."""
    pages = {}
    for who in ("officer", "applicant", "registrar", "admin", "approver"):
        client = api(getattr(world, who))
        pages[who] = client.get("/api/v1/applications/?page_size=100").content.decode()
        listed = json.loads(pages[who])["results"]
        if listed:
            pages[f"{who} detail"] = client.get(f"/api/v1/applications/{listed[0]['id']}/").content.decode()
    return pages


def test_every_role_gets_the_same_json_as_drf_renders_it(api, world, monkeypatch, media):
    assert set(STATES) <= set(PATHS)
    for state in STATES:
        application_in(state, world)
    pledge = active_pledge(bank=world.bank, enterprise=world.enterprise)
    LoanTermsFactory._meta.model.objects.filter(application=pledge).update(approved_by=world.approver)
    fast = _pages(api, world)
    assert sum(json.loads(page).get("count", 1) for page in fast.values()) > len(STATES)
    monkeypatch.delattr(ReadableFieldsOnce, "to_representation")  # DRF's Serializer.to_representation
    assert _pages(api, world) == fast


def test_a_value_missing_along_the_source_is_left_out_or_null_as_drf_does():
    from rest_framework import serializers

    class Row(ReadableFieldsOnce, serializers.Serializer):
        name = serializers.CharField(source="bank.name", read_only=True)
        title = serializers.CharField(source="bank.title", allow_null=True, read_only=True)
        upper = serializers.CharField(source="bank.shout", read_only=True)  # a method: DRF calls it

    class Bank:
        name = "Bank"

        def shout(self):
            return self.name.upper()

    class Holder:
        def __init__(self, bank):
            self.bank = bank

    rows = [Holder(Bank()), Holder(None), {"bank": {"name": "dict"}}]
    fast = Row(rows, many=True).data
    drf = [serializers.Serializer.to_representation(Row(), row) for row in rows]  # DRF's own rendering
    assert [dict(r) for r in fast] == [dict(r) for r in drf]
    assert dict(fast[0]) == {"name": "Bank", "title": None, "upper": "BANK"}
