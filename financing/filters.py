"""Filters for the application list."""
import django_filters

from core.filters import FilterSet, IsoDateTimeFilter
from financing.models import PledgeApplication, State
from patents.numbers import normalise_patent_number


class ApplicationFilter(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices)
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    patent = django_filters.CharFilter(method="filter_patent", help_text="Any spelling of a CN or US number")

    class Meta:
        model = PledgeApplication
        fields = ["state", "bank", "enterprise", "currency"]

    def filter_patent(self, queryset, name, value):
        # A malformed number raises PatentNumberError: a 400 naming the problem, like everywhere else.
        return queryset.filter(patents__number=normalise_patent_number(value)).distinct()
