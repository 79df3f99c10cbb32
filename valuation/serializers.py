"""Payloads of the appraiser's step (first version; the valuation engine completes it)."""
from rest_framework import serializers


class PatentValuationInputSerializer(serializers.Serializer):
    number = serializers.CharField()
    income = serializers.DictField(required=False)
    cost = serializers.DictField(required=False)
    market = serializers.DictField(required=False)
    quality = serializers.DictField(required=False)
    weights = serializers.DictField(required=False)


class CompleteValuationSerializer(serializers.Serializer):
    valuation_date = serializers.DateField()
    patents = PatentValuationInputSerializer(many=True, allow_empty=False)
