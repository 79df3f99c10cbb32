"""What clients send: each transition's payload (WORKFLOW.md), validated into its typed service's arguments."""
from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from accounts.models import Bank
from core.fields import BusinessDateField, RefuseUnknownFields
from core.errors import ValidationFailed
from financing.models import TRANSITION_NAMES
from financing.services import DISPOSAL_METHODS
from patents.serializers import PatentNumberField
from registration.inputs import (
    ApplyCancellationSerializer,
    FileRegistrationSerializer,
    RecordChangeSerializer,
    RefuseRegistrationSerializer,
    RegisterSerializer,
    RequestCorrectionSerializer,
)
from valuation.serializers import CompleteValuationSerializer


CURRENCIES = ("CNY", "USD", "EUR", "HKD")


class ApplicationWriteSerializer(serializers.Serializer):
    bank = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.all())
    patents = serializers.ListField(child=PatentNumberField(), allow_empty=False, max_length=50)
    amount_requested = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    currency = serializers.ChoiceField(choices=CURRENCIES, default="CNY")
    term_months = serializers.IntegerField(min_value=1, max_value=360)
    purpose = serializers.CharField(allow_blank=True, max_length=4000, required=False, default="")
    co_owner_consent = serializers.ListField(
        child=PatentNumberField(), required=False, default=list, max_length=50,
        help_text="Numbers of co-owned patents whose every co-owner has consented to the pledge",
    )


class NoteSerializer(RefuseUnknownFields, serializers.Serializer):
    """Every transition's payload has a note; a key the transition does not take is refused by name."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RequiredNoteSerializer(RefuseUnknownFields, serializers.Serializer):
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
        child=serializers.CharField(allow_blank=False, max_length=1000), allow_empty=False, max_length=20
    )


class SignContractsSerializer(NoteSerializer):
    signed_on = BusinessDateField()


class DisburseSerializer(NoteSerializer):
    disbursed_on = BusinessDateField()


class ReleaseSerializer(NoteSerializer):
    effective_on = BusinessDateField()


class DeclareDefaultSerializer(NoteSerializer):
    reason = serializers.CharField(allow_blank=False, max_length=4000)


class DisposeSerializer(NoteSerializer):
    method = serializers.ChoiceField(choices=DISPOSAL_METHODS)
    proceeds = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"))


TRANSITION_INPUTS: dict[str, type[serializers.Serializer]] = {
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
    "sign_filing": NoteSerializer,
    "file_registration": FileRegistrationSerializer,
    "request_correction": RequestCorrectionSerializer,
    "register": RegisterSerializer,
    "refuse_registration": RefuseRegistrationSerializer,
    "record_change": RecordChangeSerializer,
    "disburse": DisburseSerializer,
    "apply_cancellation": ApplyCancellationSerializer,
    "release": ReleaseSerializer,
    "declare_default": DeclareDefaultSerializer,
    "dispose": DisposeSerializer,
    "withdraw": NoteSerializer,
}
assert tuple(TRANSITION_INPUTS) == TRANSITION_NAMES


def transition_values(name: str, payload) -> dict:
    """`payload` validated by transition `name`'s input serializer: the keyword arguments of its service."""
    serializer = TRANSITION_INPUTS[name](data=payload if payload is not None else {})
    if not serializer.is_valid():
        raise ValidationFailed.from_details(serializer.errors)
    return dict(serializer.validated_data)
