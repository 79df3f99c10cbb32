"""Payloads of the transitions (WORKFLOW.md) and of application create/edit."""
from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from registration.inputs import FileRegistrationSerializer, RecordChangeSerializer, RefuseRegistrationSerializer
from valuation.serializers import CompleteValuationSerializer

DISPOSAL_METHODS = ("sale", "auction", "licence")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=False, max_length=4000)


class CompleteValuationPayload(CompleteValuationSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RecommendSerializer(NoteSerializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    annual_rate = serializers.DecimalField(
        max_digits=7, decimal_places=6, min_value=Decimal("0"), max_value=Decimal("0.36"),
        help_text="A fraction: 0.0435 is 4.35% a year",
    )
    term_months = serializers.IntegerField(min_value=1, max_value=360)


class RejectSerializer(NoteSerializer):
    reasons = serializers.ListField(
        child=serializers.CharField(allow_blank=False, max_length=1000), allow_empty=False
    )


class SignContractsSerializer(NoteSerializer):
    signed_on = serializers.DateField()


class DisburseSerializer(NoteSerializer):
    disbursed_on = serializers.DateField()


class ReleaseSerializer(NoteSerializer):
    repaid_on = serializers.DateField()


class DeclareDefaultSerializer(NoteSerializer):
    reason = serializers.CharField(allow_blank=False, max_length=4000)


class DisposeSerializer(NoteSerializer):
    method = serializers.ChoiceField(choices=DISPOSAL_METHODS)
    proceeds = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"))


TRANSITION_PAYLOADS: dict[str, type[serializers.Serializer]] = {
    "submit": NoteSerializer,
    "complete_valuation": CompleteValuationPayload,
    "start_review": NoteSerializer,
    "return_to_applicant": RequiredNoteSerializer,
    "request_revaluation": RequiredNoteSerializer,
    "recommend": RecommendSerializer,
    "send_back": RequiredNoteSerializer,
    "approve": NoteSerializer,
    "reject": RejectSerializer,
    "sign_contracts": SignContractsSerializer,
    "file_registration": FileRegistrationSerializer,
    "register": NoteSerializer,
    "refuse_registration": RefuseRegistrationSerializer,
    "record_change": RecordChangeSerializer,
    "disburse": DisburseSerializer,
    "release": ReleaseSerializer,
    "declare_default": DeclareDefaultSerializer,
    "dispose": DisposeSerializer,
    "withdraw": NoteSerializer,
}
