"""How filings look over the API: the registrar's desk, pre-check grounds and recorded UCC-1s."""
from __future__ import annotations

from rest_framework import serializers

from registration.deadlines import is_overdue


class UccFilingRecordSerializer(serializers.Serializer):
    """A recorded UCC-1 financing statement: where and under which number it was filed, and when recorded."""

    state = serializers.CharField()
    file_number = serializers.CharField()
    filed_on = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()


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
    registered = serializers.BooleanField(help_text="False once the pledge is cancelled or this patent released from it")


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
    pledgor_address = serializers.CharField()
    pledgee = serializers.IntegerField(source="pledgee_id", allow_null=True)
    pledgee_name = serializers.CharField()
    pledgee_address = serializers.CharField()
    debt_kind = serializers.CharField()
    debt_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    debt_currency = serializers.CharField()
    term_start = serializers.DateField(allow_null=True)
    term_end = serializers.DateField(allow_null=True)
    patent_count = serializers.IntegerField(allow_null=True)
    security_scope = serializers.ListField()
    particulars_sha256 = serializers.CharField(help_text="What both sides signed (joint filing)")
    patents = FiledPatentSerializer(source="filed_patents", many=True)
    jurisdictions = serializers.ListField()
    registration_number = serializers.CharField(allow_null=True)
    registered_on = serializers.DateField(allow_null=True)
    office = serializers.CharField(help_text="US: recorded at the USPTO; CN: registered under the 2021 Measures")
    reel = serializers.IntegerField(allow_null=True, help_text="US: the notice of recordation's reel")
    frame = serializers.IntegerField(allow_null=True, help_text="US: the notice of recordation's frame")
    recorded_on = serializers.DateField(allow_null=True, help_text="US: the recordation date")
    decided_at = serializers.DateTimeField(allow_null=True)
    grounds = serializers.ListField()
    defects = serializers.ListField(help_text="With correction_requested: [{item, message}]")
    note = serializers.CharField()
    cancelled_on = serializers.DateField(allow_null=True)
    changes = RegistrationChangeSerializer(many=True)
    ucc_filings = UccFilingRecordSerializer(many=True)

    def get_overdue(self, filing) -> bool:
        today = self.context.get("today")
        return bool(today and filing.status == filing.Status.PENDING and is_overdue(filing.deadline, today=today))
