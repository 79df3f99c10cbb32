"""Serializer fields shared by the apps: input fields that keep implausible values out at the edge, before any rule or date arithmetic sees them; and ReadableFieldsOnce for output serializers that render many rows."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

# No day in this service's business predates the Chinese Patent Law (in force 1985-04-01): no
# pledge, contract, disbursement, registration, UCC-1 filing or valuation here can be older.
EARLIEST_BUSINESS_DATE = dt.date(1985, 4, 1)
# Where a day may lie ahead (a change effective later, a quote as of a later day), a year is the
# most a bank plans for; a loan's own end may lie as far ahead as its longest term, 30 years.
A_YEAR = dt.timedelta(days=366)
LONGEST_TERM = dt.timedelta(days=366 * 30)


class BusinessDateField(serializers.DateField):
    """A day in a loan's or a filing's life: on or after 1985-04-01 and at most `ahead` past today.

    This is plausibility only; whether a day suits the loan (not before approval, not in the
    future) is the service's rule.
    """

    def __init__(self, *, ahead: dt.timedelta = A_YEAR, **kwargs):
        self.ahead = ahead
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if day < EARLIEST_BUSINESS_DATE:
            raise serializers.ValidationError(
                f"{day} is before {EARLIEST_BUSINESS_DATE}; no day in a pledge's life is that early", code="date_range"
            )
        latest = timezone.localdate() + self.ahead
        if day > latest:
            if self.ahead:
                message = f"{day} is after {latest}, more than {self.ahead.days} days from today"
            else:
                message = f"{day} is in the future"
            raise serializers.ValidationError(message, code="date_range")
        return day


class RefuseUnknownFields:
    """A misspelt key ("markt", "royality_rate") is refused by name rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [f"is not a field here; expected one of {', '.join(self.fields)}"] for name in unknown})
        return super().to_internal_value(data)


class ReadableFieldsOnce:
    """For output serializers that render many rows (a list page, its nested lists): the readable
    fields are listed once per serializer instance, not walked again for every row and field
    (DRF's `_readable_fields` is a generator over `fields`; a fifth of a list page's serialising)."""

    @property
    def _readable_fields(self):
        readable = self.__dict__.get("_readable_fields_once")
        if readable is None:
            readable = self.__dict__["_readable_fields_once"] = [f for f in self.fields.values() if not f.write_only]
        return readable
