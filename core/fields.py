"""Serializer fields shared by the apps: input fields that keep implausible values out at the edge, before any rule or date arithmetic sees them; and ReadableFieldsOnce for output serializers that render many rows."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import relations, serializers
from rest_framework.fields import SkipField

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
    """For output serializers that render many rows (a list page, its nested lists): DRF's
    `Serializer.to_representation`, with what it decides per field decided once per serializer.

    DRF walks the fields through a generator for every row, and reads each value with
    `Field.get_attribute`, which wraps every `getattr` in its exception handling: about half of a
    list page's serialising (issue 11's profile). Here each field gets, once, a plain reader:
    `getattr` along its source for a value field, the id column for a primary-key relation, the
    row itself for a method field. Whenever a plain read would not give what DRF gives (a step
    that raises or is None, a callable, a mapping instead of an object), the field's own
    `get_attribute` is called instead, so the output is DRF's, key for key:
    tests/core/test_fast_output.py renders every output serializer of a page both ways. The fields
    themselves are built once per class (`_class_plan`), not for each serializer made.
    """

    @property
    def _readable_fields(self):
        readable = self.__dict__.get("_readable_fields_once")
        if readable is None:
            readable = self.__dict__["_readable_fields_once"] = [f for f in self.fields.values() if not f.write_only]
        return readable

    def to_representation(self, instance):
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            shared = _class_plan(type(self))
            if shared is None:  # a class that may shape its fields per serializer made
                shared = _plan_of(self._readable_fields)
            plan = self.__dict__["_representation_plan"] = [
                (name, read, represent if method is None else getattr(self, method))
                for name, read, represent, method in shared
            ]
        ret = {}
        for name, read, represent in plan:
            try:
                attribute = read(instance)
            except SkipField:
                continue
            ret[name] = None if attribute is None else represent(attribute)
        return ret


class _NoContext(dict):
    """The context of a class's shared fields (`_class_plan`): reading it is a mistake made loudly."""

    def _refuse(self, *args, **kwargs):
        raise RuntimeError(
            "a field shared by every instance of an output serializer read the request context; only its "
            "own method fields may (a nested serializer that needs the request is made in a method field)"
        )

    __getitem__ = get = __contains__ = keys = items = values = __iter__ = __len__ = _refuse


_CLASS_PLANS: dict[type, list | None] = {}


def _class_plan(cls) -> list | None:
    """(name, read, represent, method) per readable field of `cls`, its fields built once per process;
    None for a class of the project with its own `__init__` or `get_fields`, which may change its
    fields per serializer made (those are planned from each serializer's fields, as DRF builds them).

    Building a serializer's fields (ModelSerializer's look at the model, a copy of every declared
    field) cost 1.2 ms for an application's detail, more than rendering it. The fields do not depend
    on the request: a method field (`method` named) is called on the serializer at hand, which
    reads its own context; any other field renders from the row alone, and one that reads the
    context (a nested serializer that does, a URL or file field) raises instead of seeing no request.
    """
    try:
        return _CLASS_PLANS[cls]
    except KeyError:
        pass
    shaped_per_instance = any(
        "__init__" in vars(klass) or "get_fields" in vars(klass)
        for klass in cls.__mro__
        if klass is not ReadableFieldsOnce and not klass.__module__.startswith(("rest_framework.", "builtins"))
    )
    plan = _CLASS_PLANS[cls] = None if shaped_per_instance else _plan_of(cls(context=_NoContext())._readable_fields)
    return plan


def _plan_of(fields) -> list:
    return [
        (field.field_name, _itself, None, field.method_name)
        if isinstance(field, serializers.SerializerMethodField)
        else (field.field_name, *_reader(field), None)
        for field in fields
    ]


def _reader(field) -> tuple:
    """(read, represent) for one field other than a method field, as Serializer.to_representation uses it."""
    if (
        isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None
        and field.use_pk_only_optimization() and len(field.source_attrs) == 1
    ):
        # RelatedField.get_attribute's PKOnlyObject, whose pk to_representation returns: the id column.
        return _id_reader(field), _itself
    if isinstance(field, (serializers.BaseSerializer, relations.RelatedField, relations.ManyRelatedField)) or not (
        field.source_attrs
    ):
        return field.get_attribute, field.to_representation
    return _value_reader(field), field.to_representation


def _itself(value):
    return value


def _id_reader(field):
    name = field.source_attrs[0]

    def read(instance):
        try:
            value = instance.serializable_value(name)
        except Exception:
            return _as_drf(field, instance)
        return _as_drf(field, instance) if callable(value) else value

    return read


def _as_drf(field, instance):
    """The field's representation the way DRF reaches it (the reader's `represent` passes it on)."""
    attribute = field.get_attribute(instance)
    check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
    return None if check is None else field.to_representation(attribute)


def _value_reader(field):
    attrs = tuple(field.source_attrs)
    get_attribute = field.get_attribute

    def read(instance):
        value = instance
        try:
            for attr in attrs:
                value = getattr(value, attr)
                if value is None or callable(value):
                    return get_attribute(instance)
        except Exception:
            return get_attribute(instance)
        return value

    return read
