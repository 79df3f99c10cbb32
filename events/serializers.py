"""Shapes of the webhooks API: a subscription (its secret is written, never read back), a delivery and its attempts."""
from __future__ import annotations

from rest_framework import serializers

from events.models import EVENT_TYPES, Delivery, DeliveryAttempt, Webhook


class WebhookInput(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    secret = serializers.CharField(max_length=200, trim_whitespace=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES), allow_empty=False, max_length=10)


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = ["id", "bank", "ip_office", "url", "events", "active", "created_at"]


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "status_code", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.UUIDField(source="event_id")
    event_type = serializers.CharField(source="event.type")
    occurred_at = serializers.DateTimeField(source="event.occurred_at")
    attempt_log = DeliveryAttemptSerializer(many=True)

    class Meta:
        model = Delivery
        fields = ["id", "event", "event_type", "occurred_at", "status", "attempts", "last_status_code", "last_error",
                  "next_attempt_at", "delivered_at", "retry_until", "attempt_log"]
