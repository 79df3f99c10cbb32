"""Filters and ordering for the application list."""
import django_filters
from rest_framework.filters import OrderingFilter

from core.filters import FilterSet, IsoDateTimeFilter
from financing.models import PledgeApplication, PledgedPatent, State
from patents.numbers import normalise_patent_number


class ApplicationFilter(FilterSet):
    # A filter on the application's own column multiplies no rows: no DISTINCT (django-filter's default
    # for a multiple choice), which would make PostgreSQL sort and compare every selected column.
    state = django_filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    patent = django_filters.CharFilter(method="filter_patent", help_text="Any spelling of a CN or US number")

    class Meta:
        model = PledgeApplication
        fields = ["state", "bank", "enterprise", "currency"]

    def filter_patent(self, queryset, name, value):
        # A malformed number raises PatentNumberError: a 400 naming the problem, like everywhere else.
        # A semi-join (IN a subquery) rather than a join and DISTINCT: each application once, and the
        # planner may start from the few pledges of this patent.
        number = normalise_patent_number(value)
        pledging = PledgedPatent.objects.filter(patent__number=number).values("application_id")
        return queryset.filter(pk__in=pledging)


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` with the id as the last key, in the direction of the one before: a stable page
    order (equal amounts would otherwise come in any order and repeat across pages) that the
    list indexes (financing.models.PledgeApplication.Meta.indexes) also read in order."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        keys = {field.lstrip("-") for field in ordering}
        if ordering and "id" not in keys and "pk" not in keys:
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering
