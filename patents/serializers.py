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

    def validate(self, attrs):
        number = attrs.get("number", getattr(self.instance, "number", None))
        parsed = parse_patent_number(number)
        # Jurisdiction and kind follow from the number; given ones must agree with it.
        for field in ("jurisdiction", "kind"):
            implied = getattr(parsed, field)
            if implied and field in attrs and attrs[field] != implied:
                raise serializers.ValidationError({field: [f"{number} is a {implied} number, not {attrs[field]}"]})
            if implied:
                attrs[field] = implied
            elif field not in attrs and self.instance is None:
                raise serializers.ValidationError({field: ["required: the number does not tell it"]})
        filing = attrs.get("filing_date", getattr(self.instance, "filing_date", None))
        grant = attrs.get("grant_date", getattr(self.instance, "grant_date", None))
        if parsed.jurisdiction == "CN" and filing and parsed.filing_year != filing.year:
            raise serializers.ValidationError(
                {"filing_date": [f"{number} was filed in {parsed.filing_year}, not {filing.year}"]}
            )
        if filing and grant and grant < filing:
            raise serializers.ValidationError({"grant_date": ["may not be before the filing date"]})
        return attrs
