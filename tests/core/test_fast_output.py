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


def test_fields_are_built_once_per_class_and_method_fields_read_the_serializer_at_hand(world):
    """An application's detail builds no fields (they are built once per class); its method fields
    still answer for the request at hand: each user gets the transitions they may fire."""
    from types import SimpleNamespace

    from financing.outputs import ApplicationSerializer

    application = application_in("valued", world)
    answers = {}
    for who in ("officer", "applicant"):
        serializer = ApplicationSerializer(application, context={"request": SimpleNamespace(user=getattr(world, who))})
        answers[who] = serializer.data["available_transitions"]
        assert "fields" not in vars(serializer)  # DRF's cached_property, never built for this one
        assert answers[who] == [
            t.name for t in application.get_available_user_state_transitions(getattr(world, who))
        ]
    assert answers["officer"] != answers["applicant"]


def test_a_shared_field_that_reads_the_request_context_fails_loudly():
    """A nested serializer declared as a field is built once for every request, so it must not
    depend on one: reading the context raises instead of quietly rendering without a request."""
    from rest_framework import serializers

    class NeedsRequest(serializers.Serializer):
        who = serializers.SerializerMethodField()

        def get_who(self, row):
            return self.context.get("request").user.username

    class Outer(ReadableFieldsOnce, serializers.Serializer):
        inner = NeedsRequest(source="*")

    with pytest.raises(RuntimeError, match="read the request context"):
        Outer({"x": 1}, context={"request": None}).data


def test_a_serializer_that_shapes_its_fields_per_instance_is_planned_per_instance():
    """A class with its own __init__ or get_fields may drop or add fields for one serializer made:
    it is not planned once per class."""
    from rest_framework import serializers

    class Chooses(ReadableFieldsOnce, serializers.Serializer):
        a = serializers.IntegerField()
        b = serializers.IntegerField()

        def __init__(self, *args, only=None, **kwargs):
            super().__init__(*args, **kwargs)
            if only:
                for name in set(self.fields) - {only}:
                    self.fields.pop(name)

    row = {"a": 1, "b": 2}
    assert dict(Chooses(row).data) == {"a": 1, "b": 2}
    assert dict(Chooses(row, only="b").data) == {"b": 2}
