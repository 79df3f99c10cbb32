"""Filters for the application list."""
import django_filters

from financing.models import PledgeApplication, State


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices)
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    patent = django_filters.CharFilter(field_name="patents__number", distinct=True)

    class Meta:
        model = PledgeApplication
        fields = ["state", "bank", "enterprise", "currency"]
