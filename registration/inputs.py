"""What clients send the registrar: the payloads of the registration transitions and of the desk's UCC-1 record."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rest_framework import serializers

from core.fields import A_YEAR, LONGEST_TERM, BusinessDateField, RefuseUnknownFields
from registration.recordation import NON_RECORDATION_CODES
from registration.refusals import ACKNOWLEDGEABLE, GROUND_CODES
from patents.serializers import PatentNumberField
from registration.items import CHANGEABLE_ITEMS, ITEM_ALIASES, RELEASE_PATENTS, US_STATES


class PledgeChangesSerializer(serializers.Serializer):
    """What changed in a registered pledge; at least one item, no unknown ones."""

    debt_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"), required=False)
    debt_currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, help_text="ISO 4217, e.g. CNY")
    debt_kind = serializers.CharField(max_length=40, required=False, allow_blank=False)
    term_end = BusinessDateField(ahead=LONGEST_TERM, required=False, help_text="The debtor's new term end")
    pledgor_name = serializers.CharField(max_length=200, required=False, allow_blank=False)
    pledgor_name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pledgor_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    pledgee_name = serializers.CharField(max_length=200, required=False, allow_blank=False)
    pledgee_name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pledgee_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    release_patents = serializers.ListField(
        child=PatentNumberField(), required=False, allow_empty=False, max_length=50,
        help_text="Numbers of patents released from the pledge; the others stay pledged",
    )

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["expected an object of changed items"]})
        data = {ITEM_ALIASES.get(key, key): value for key, value in data.items()}
        unknown = sorted(set(data) - set(CHANGEABLE_ITEMS) - {RELEASE_PATENTS})
        if unknown:
            raise serializers.ValidationError(
                {key: [f"not an item of a registered pledge; changeable: {', '.join(CHANGEABLE_ITEMS)}"] for key in unknown}
            )
        if not data:
            raise serializers.ValidationError({"non_field_errors": ["name at least one item that changed"]})
        return super().to_internal_value(data)


class RecordChangeSerializer(RefuseUnknownFields, serializers.Serializer):
    """Payload of `record_change`: {"changes": {"amount": "2500000.00", "term_end": "2027-06-30", ...}, "note"}."""

    changes = PledgeChangesSerializer()
    effective_on = BusinessDateField(ahead=A_YEAR, required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RegisterSerializer(RefuseUnknownFields, serializers.Serializer):
    """Payload of `register`: for a US filing the USPTO's notice of recordation (reel, frame, date);
    nothing for a Chinese one. Which applies depends on the filing, so the service decides (400 either way)."""

    reel = serializers.IntegerField(min_value=1, max_value=999999, required=False, allow_null=True, default=None)
    frame = serializers.IntegerField(min_value=0, max_value=9999, required=False, allow_null=True, default=None)
    recorded_on = BusinessDateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RefuseRegistrationSerializer(RefuseUnknownFields, serializers.Serializer):
    """Payload of `refuse_registration`: the ground codes of DOMAIN.md §3 (a Chinese filing) or of a notice
    of non-recordation (a US filing), each once; the service checks they are the filing's office's."""

    grounds = serializers.ListField(
        child=serializers.ChoiceField(choices=list(dict.fromkeys(GROUND_CODES + NON_RECORDATION_CODES))),
        allow_empty=False, max_length=50,
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, default="",
        help_text="Required with OTHER: why the law does not allow this pledge",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")

    def validate_grounds(self, grounds: list[str]) -> list[str]:
        return list(dict.fromkeys(grounds))


class DefectSerializer(RefuseUnknownFields, serializers.Serializer):
    """One defect of a filing: the item concerned and what the parties must correct."""

    item = serializers.CharField(max_length=200, allow_blank=False)
    message = serializers.CharField(max_length=2000, allow_blank=False)


class RequestCorrectionSerializer(RefuseUnknownFields, serializers.Serializer):
    """Payload of `request_correction`: {"defects": [{"item", "message"}, ...], "note"}."""

    defects = serializers.ListField(child=DefectSerializer(), allow_empty=False, max_length=50)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ApplyCancellationSerializer(RefuseUnknownFields, serializers.Serializer):
    """Payload of `apply_cancellation`: the ground, with `repaid_on` (debt_discharged) or `reason` (other)."""

    ground = serializers.ChoiceField(choices=["debt_discharged", "pledgee_waived", "contract_void", "other"])
    repaid_on = BusinessDateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class FileRegistrationSerializer(RefuseUnknownFields, serializers.Serializer):
    """Payload of `file_registration`; the UCC-1 fields are optional and only for US patents."""

    acknowledged = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(ACKNOWLEDGEABLE)), required=False, default=list, max_length=50
    )
    ucc1_state = serializers.CharField(required=False, allow_blank=True, default="", max_length=2)
    ucc1_file_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")

    def validate_acknowledged(self, codes: list[str]) -> list[str]:
        return list(dict.fromkeys(codes))

    def validate(self, attrs):
        state, number = attrs.get("ucc1_state", ""), attrs.get("ucc1_file_number", "")
        if bool(state) != bool(number):
            field = "ucc1_file_number" if state else "ucc1_state"
            raise serializers.ValidationError({field: ["give both the UCC-1 state and its file number"]})
        if state:
            attrs["ucc1_state"] = state.upper()
            if attrs["ucc1_state"] not in US_STATES:
                raise serializers.ValidationError({"ucc1_state": [f"'{state}' is not a US state code"]})
        return attrs


class UccFilingSerializer(RefuseUnknownFields, serializers.Serializer):
    """A UCC-1 financing statement: the state it was filed in and its file number."""

    state = serializers.CharField(max_length=2)
    file_number = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9 \-/]{0,39}$", max_length=40)
    filed_on = BusinessDateField(ahead=dt.timedelta(0), required=False, allow_null=True, default=None)

    def validate_state(self, value: str) -> str:
        value = value.upper()
        if value not in US_STATES:
            raise serializers.ValidationError(f"'{value}' is not a US state code")
        return value
