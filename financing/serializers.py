"""Payloads of the transitions (WORKFLOW.md) and of application create/edit."""
from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from valuation.serializers import CompleteValuationSerializer

REFUSAL_GROUNDS = (
    "PLEDGOR_NOT_OWNER",
    "PATENT_NOT_IN_FORCE",
    "NOT_GRANTED",
    "ANNUAL_FEE_UNPAID",
    "OWNERSHIP_FROZEN",
    "TERM_EXCEEDS_PATENT",
    "CONTRACT_INCOMPLETE",
    "CO_OWNER_CONSENT_MISSING",
    "ALREADY_PLEDGED",
    "SAME_DAY_TWIN",
    "INVALIDATION_PENDING",
)
ACKNOWLEDGEABLE_GROUNDS = ("SAME_DAY_TWIN", "INVALIDATION_PENDING")
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


class FileRegistrationSerializer(NoteSerializer):
    acknowledged = serializers.ListField(
        child=serializers.ChoiceField(choices=ACKNOWLEDGEABLE_GROUNDS), required=False, default=list
    )


class RefuseRegistrationSerializer(NoteSerializer):
    grounds = serializers.ListField(child=serializers.ChoiceField(choices=REFUSAL_GROUNDS), allow_empty=False)


class RecordChangeSerializer(NoteSerializer):
    changes = serializers.DictField(allow_empty=False, help_text="What changed, e.g. {\"amount\": \"6000000.00\"}")


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
