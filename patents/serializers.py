"""How the patent register looks over the API."""
from __future__ import annotations

from rest_framework import serializers

from accounts.models import Enterprise
from patents.models import Patent


class PatentSerializer(serializers.ModelSerializer):
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
        filing = attrs.get("filing_date", getattr(self.instance, "filing_date", None))
        grant = attrs.get("grant_date", getattr(self.instance, "grant_date", None))
        if filing and grant and grant < filing:
            raise serializers.ValidationError({"grant_date": ["may not be before the filing date"]})
        return attrs
