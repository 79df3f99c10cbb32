"""How an alert looks over the API."""
from __future__ import annotations

from rest_framework import serializers

from monitoring.models import Alert


class AlertSerializer(serializers.ModelSerializer):
    application_reference = serializers.CharField(source="application.reference", read_only=True)
    patent = serializers.CharField(source="patent.number", read_only=True)
    patent_title = serializers.CharField(source="patent.title", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id", "application", "application_reference", "patent", "patent_title", "kind", "severity", "status",
            "message", "details", "first_seen", "last_seen", "resolved_on",
        ]
        read_only_fields = fields
