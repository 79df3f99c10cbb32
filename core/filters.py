"""List filters for every API view: django-filter's, with ids and moments bounded to what a database column can hold."""
from __future__ import annotations

import datetime as dt
from copy import deepcopy

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters import rest_framework as drf_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# The range of a bigint column (every id here is a BigAutoField). A number outside it matches no row;
# handed to the database it is an OverflowError (SQLite) or a data error (PostgreSQL): a 500.
MIN_DATABASE_INTEGER = -(2**63)
MAX_DATABASE_INTEGER = 2**63 - 1


def refuse_ids_no_row_can_have(field: forms.ModelChoiceField, values) -> None:
    """Raise the field's own "not a valid value" error for any integer id beyond a bigint column."""
    key = field.to_field_name or field.queryset.model._meta.pk.name
    if not isinstance(field.queryset.model._meta.get_field(key), models.IntegerField):
        return
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            continue  # not a number at all: the field's own check refuses it
        if not MIN_DATABASE_INTEGER <= number <= MAX_DATABASE_INTEGER:
            raise ValidationError(
                forms.ModelMultipleChoiceField.default_error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": value},
            )


class BoundedModelChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            refuse_ids_no_row_can_have(self, [value])
        return super().to_python(value)


class BoundedModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        refuse_ids_no_row_can_have(self, value)
        return super()._check_values(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = BoundedModelMultipleChoiceField


@extend_schema_field(OpenApiTypes.INT64)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number a bigint column can hold: "1e400" and 10**30 are a 400, not a query."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_DATABASE_INTEGER)
        kwargs.setdefault("max_value", MAX_DATABASE_INTEGER)
        super().__init__(*args, **kwargs)


class BoundedIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and moment.tzinfo is not None:
            # 9999-12-31T23:59:59-05:00 is a valid ISO 8601 moment with no UTC datetime; the database
            # adapter's conversion would raise OverflowError.
            try:
                moment.astimezone(dt.timezone.utc)
            except OverflowError:
                raise ValidationError("Enter a moment between the years 1 and 9999 in UTC.", code="invalid") from None
        return moment


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


def bounded_filter_defaults() -> dict:
    defaults = deepcopy(drf_filters.FilterSet.FILTER_DEFAULTS)
    for field_class, spec in defaults.items():
        replacement = {
            django_filters.ModelChoiceFilter: ModelChoiceFilter,
            django_filters.ModelMultipleChoiceFilter: ModelMultipleChoiceFilter,
            django_filters.IsoDateTimeFilter: IsoDateTimeFilter,
        }.get(spec["filter_class"])
        if replacement is not None:
            spec["filter_class"] = replacement
        elif spec["filter_class"] is django_filters.NumberFilter and issubclass(field_class, models.IntegerField):
            spec["filter_class"] = IntegerFilter
    return defaults


class FilterSet(drf_filters.FilterSet):
    """The base of every list filter, declared or generated from a view's `filterset_fields`."""

    FILTER_DEFAULTS = bounded_filter_defaults()


class FilterBackend(drf_filters.DjangoFilterBackend):
    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not set(request.query_params).intersection(filterset_class.base_filters):
            # No filter asked for: a FilterSet of empty values changes nothing, and building and
            # validating its form was a tenth of a list page's CPU (benchmarks/list_bench.py).
            return queryset
        return super().filter_queryset(request, queryset, view)
