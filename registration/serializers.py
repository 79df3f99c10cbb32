"""Payloads of the registrar's transitions and the desk's UCC-1 record, and how filings look over the API."""
from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from registration.checks import ACKNOWLEDGEABLE, GROUND_CODES
from registration.deadlines import is_overdue

# Items of a registered pledge that `record_change` may change (DOMAIN.md §2.8: a new amount, a longer
# term, a renamed party), with the Filing field that holds each as registered.
CHANGEABLE_ITEMS = (
    "debt_amount",
    "debt_currency",
    "debt_kind",
    "term_end",
    "pledgor_name",
    "pledgor_name_zh",
    "pledgor_address",
    "pledgee_name",
    "pledgee_name_zh",
    "pledgee_address",
)
# Friendlier names clients may use for the same items.
ITEM_ALIASES = {"amount": "debt_amount", "currency": "debt_currency"}

# USPS codes of the states, DC and the territories with a UCC filing office.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split()
)


class PledgeChangesSerializer(serializers.Serializer):
    """What changed in a registered pledge; at least one item, no unknown ones."""

    debt_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"), required=False)
    debt_currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, help_text="ISO 4217, e.g. CNY")
    debt_kind = serializers.CharField(max_length=40, required=False, allow_blank=False)
    term_end = serializers.DateField(required=False, help_text="The debtor's new term end")
    pledgor_name = serializers.CharField(max_length=200, required=False, allow_blank=False)
    pledgor_name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pledgor_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    pledgee_name = serializers.CharField(max_length=200, required=False, allow_blank=False)
    pledgee_name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pledgee_address = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["expected an object of changed items"]})
        data = {ITEM_ALIASES.get(key, key): value for key, value in data.items()}
        unknown = sorted(set(data) - set(CHANGEABLE_ITEMS))
        if unknown:
            raise serializers.ValidationError(
                {key: [f"not an item of a registered pledge; changeable: {', '.join(CHANGEABLE_ITEMS)}"] for key in unknown}
            )
        if not data:
            raise serializers.ValidationError({"non_field_errors": ["name at least one item that changed"]})
        return super().to_internal_value(data)


class RecordChangeSerializer(serializers.Serializer):
    """Payload of `record_change`: {"changes": {"amount": "2500000.00", "term_end": "2027-06-30", ...}, "note"}."""

    changes = PledgeChangesSerializer()
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RefuseRegistrationSerializer(serializers.Serializer):
    """Payload of `refuse_registration`: the ground codes of DOMAIN.md §3, each once."""

    grounds = serializers.ListField(child=serializers.ChoiceField(choices=GROUND_CODES), allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")

    def validate_grounds(self, grounds: list[str]) -> list[str]:
        return list(dict.fromkeys(grounds))


class FileRegistrationSerializer(serializers.Serializer):
    """Payload of `file_registration`; the UCC-1 fields are optional and only for US patents."""

    acknowledged = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(ACKNOWLEDGEABLE)), required=False, default=list
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


class UccFilingSerializer(serializers.Serializer):
    """A UCC-1 financing statement: the state it was filed in and its file number."""

    state = serializers.CharField(max_length=2)
    file_number = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9 \-/]{0,39}$", max_length=40)
    filed_on = serializers.DateField(required=False, allow_null=True, default=None)
    recorded_at = serializers.DateTimeField(read_only=True)

    def validate_state(self, value: str) -> str:
        value = value.upper()
        if value not in US_STATES:
            raise serializers.ValidationError(f"'{value}' is not a US state code")
        return value


class GroundSerializer(serializers.Serializer):
    code = serializers.CharField()
    patent = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    evidence = serializers.DictField()


class FiledPatentSerializer(serializers.Serializer):
    number = serializers.CharField(source="patent.number")
    title = serializers.CharField(source="patent.title")
    jurisdiction = serializers.CharField(source="patent.jurisdiction")
    kind = serializers.CharField(source="patent.kind")
    co_owner_consent = serializers.BooleanField()


class RegistrationChangeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    effective_on = serializers.DateField(allow_null=True)
    changes = serializers.DictField()
    previous = serializers.DictField()
    note = serializers.CharField()


class DeskFilingSerializer(serializers.Serializer):
    """A filing as the registrar's desk lists it: parties, debt, patents, deadline and the decision."""

    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_reference = serializers.CharField(source="application.reference")
    sequence = serializers.IntegerField()
    status = serializers.CharField()
    filed_at = serializers.DateTimeField()
    filed_by = serializers.CharField(source="filed_by.username")
    deadline = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    acknowledged = serializers.ListField()
    pledgor = serializers.IntegerField(source="pledgor_id", allow_null=True)
    pledgor_name = serializers.CharField()
    pledgee = serializers.IntegerField(source="pledgee_id", allow_null=True)
    pledgee_name = serializers.CharField()
    debt_kind = serializers.CharField()
    debt_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    debt_currency = serializers.CharField()
    term_start = serializers.DateField(allow_null=True)
    term_end = serializers.DateField(allow_null=True)
    patents = FiledPatentSerializer(source="filed_patents", many=True)
    jurisdictions = serializers.ListField()
    registration_number = serializers.CharField(allow_null=True)
    registered_on = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    grounds = serializers.ListField()
    note = serializers.CharField()
    cancelled_on = serializers.DateField(allow_null=True)
    changes = RegistrationChangeSerializer(many=True)
    ucc_filings = UccFilingSerializer(many=True)

    def get_overdue(self, filing) -> bool:
        today = self.context.get("today")
        return bool(today and filing.status == filing.Status.PENDING and is_overdue(filing.deadline, today=today))
