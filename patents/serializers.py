"""How the patent register looks over the API."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from accounts.models import Enterprise
from patents.models import Patent
from patents.numbers import PatentNumberError, parse_patent_number


class PatentNumberField(serializers.CharField):
    """A CN or US patent number, stored normalised; a malformed one or a wrong check digit is a 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return parse_patent_number(super().to_internal_value(data)).normalised
        except PatentNumberError as error:
            raise serializers.ValidationError(error.message, code=error.code) from None


class PatentSerializer(serializers.ModelSerializer):
    """The shapes of a patent on the register; its rules are patents.rules, applied by patents.services."""

    number = PatentNumberField(validators=[UniqueValidator(queryset=Patent.objects.all())])
    jurisdiction = serializers.ChoiceField(choices=Patent.Jurisdiction.choices, required=False)
    kind = serializers.ChoiceField(choices=Patent.Kind.choices, required=False)
    owners = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), many=True)
    expiry_date = serializers.DateField(read_only=True)

    class Meta:
        model = Patent
        fields = [
            "number", "title", "kind", "jurisdiction", "filing_date", "grant_date", "expiry_date", "owners",
            "status", "annual_fee_paid_until", "ownership_frozen", "invalidation_pending", "same_day_twin",
            "foreign_family", "strategic_industry", "award", "term_adjustment_days", "updated_at",
        ]
        read_only_fields = ["updated_at"]
