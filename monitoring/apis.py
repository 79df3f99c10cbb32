"""HTTP API of the post-loan alerts: thin views over the selectors."""
from __future__ import annotations

import django_filters
from rest_framework import generics

from core.errors import ValidationFailed
from core.filters import FilterSet, IntegerFilter
from monitoring.models import Alert
from monitoring.selectors import alerts_for_listing
from monitoring.serializers import AlertSerializer
from patents.numbers import PatentNumberError, normalise_patent_number


class AlertFilter(FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Alert.Kind.choices)
    severity = django_filters.ChoiceFilter(choices=Alert.Severity.choices)
    status = django_filters.ChoiceFilter(choices=Alert.Status.choices)
    application = IntegerFilter(field_name="application_id")
    patent = django_filters.CharFilter(method="filter_patent", help_text="Patent number, any accepted spelling")
    seen_since = django_filters.DateFilter(field_name="last_seen", lookup_expr="gte")

    class Meta:
        model = Alert
        fields = ["kind", "severity", "status", "application", "patent", "seen_since"]

    def filter_patent(self, queryset, name, value):
        try:
            number = normalise_patent_number(value)
        except PatentNumberError as exc:
            raise ValidationFailed(f"patent: {exc.message}", code=exc.code, details={"patent": [exc.message]}) from None
        return queryset.filter(patent__number=number)


class AlertListApi(generics.ListAPIView):
    """GET /api/v1/alerts/: the alerts on pledges the caller may see; filter by kind, status, severity,
    application, patent, seen_since; order by last_seen, first_seen, severity, kind."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    ordering_fields = ["last_seen", "first_seen", "severity", "kind", "id"]
    ordering = ["-last_seen", "-id"]

    def get_queryset(self):
        return alerts_for_listing(self.request.user)


class AlertDetailApi(generics.RetrieveAPIView):
    """GET /api/v1/alerts/{id}/: one alert; 404 for alerts the caller may not see."""

    serializer_class = AlertSerializer

    def get_queryset(self):
        return alerts_for_listing(self.request.user)
