"""Querysets compiled to SQL once per process, then run with each request's values.

Turning a QuerySet into SQL (cloning the query, resolving the lookups, compiling every selected
column of every joined table) costs more CPU than PostgreSQL takes to answer the simple reads a
request starts with: loading an application with its bank, enterprise and terms took 1.6 ms to
compile and 0.5 ms to run (issue 11's profile). `CompiledQuery` builds and compiles a query once,
with stand-in values, and then runs that SQL with the real ones: the rows become model instances
as Django's ModelIterable makes them (`from_db`, `select_related`'s populators, annotations, the
database's converters), so callers get the same objects either way.

    load = CompiledQuery(lambda shape, bank, pk: Application.objects.filter(bank_id=bank, pk=pk))
    rows = load(None, bank_id, pk)

The builder's first argument is the query's shape: anything hashable (None, a string, a tuple),
passed as is, each shape compiled once. The others are its parameters: an int, a str, or a list
of them (e.g. for `pk__in`, compiled once per length), each of which must reach the SQL as exactly
one parameter, or none at all when the shape does not use it. A builder may branch on its shape, never on a parameter's value (it is called once,
with stand-ins). A builder whose stand-ins cannot be found in its SQL (a value folded into the
query's text, a lookup that turns it into something else), or whose query is empty, is run the
ordinary way on every call: slower, never wrong. `tests/core/test_compiled.py` compares both ways
on every shape the project uses.

No library does this for current Django: django-prepared-queries (the one that did) supports
Django < 2.2 only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators

logger = logging.getLogger(__name__)

# Stand-ins no real value takes: negative ids far below any sequence, strings with a NUL.
_INT_BASE = -(10**15)
_STR_MARK = "\x00compiled-stand-in-"
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _is_param(value) -> bool:
    return type(value) in (int, str)


def _is_list(value) -> bool:
    return isinstance(value, list) and all(_is_param(x) for x in value)


def _not_a_param(value):
    raise TypeError(f"a compiled query's parameter is an int, a str or a list of them, not {value!r}")


def _stand_in(kind: type, number: int):
    return _INT_BASE - number if kind is int else f"{_STR_MARK}{number}"


@dataclass(frozen=True)
class _Prepared:
    sql: str
    params: tuple
    slots: tuple[int | None, ...]  # where each flattened value goes in params; None: unused by this shape
    flat: bool  # values_list(flat=True): the first column of each row
    model: Any
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple
    annotations: tuple[tuple[str, int], ...]
    converters: tuple


class CompiledQuery:
    """A queryset-building function whose SQL is compiled once per shape and database."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = DEFAULT_DB_ALIAS):
        self.build = build
        self.using = using
        self._prepared: dict[tuple, _Prepared | None] = {}

    def __call__(self, shape, *values) -> list:
        connection = connections[self.using]
        key = (connection.vendor, shape, *(
            type(v) if _is_param(v) else tuple(type(x) for x in v) if _is_list(v) else _not_a_param(v)
            for v in values
        ))
        try:
            prepared = self._prepared[key]
        except KeyError:
            prepared = self._prepared[key] = self._prepare(shape, values)
        flat_values = [x for v in values for x in (v if isinstance(v, list) else (v,))]
        if prepared is None or any(type(x) is int and not _INT_MIN <= x <= _INT_MAX for x in flat_values):
            # Beyond 64 bits Django's own lookups know there is no such row; a database may not.
            return list(self.build(shape, *values))
        params = list(prepared.params)
        for slot, value in zip(prepared.slots, flat_values):
            if slot is not None:
                params[slot] = value
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, params)
            rows = cursor.fetchall()
        if prepared.converters:
            rows = [_converted(row, prepared.converters, connection) for row in rows]
        if prepared.flat:
            return [row[0] for row in rows]
        return [self._instance(prepared, row) for row in rows]

    def _instance(self, prepared: _Prepared, row):
        obj = prepared.model.from_db(self.using, prepared.init_list, row[prepared.start:prepared.end])
        for populator in prepared.populators:
            populator.populate(row, obj)
        for name, position in prepared.annotations:
            setattr(obj, name, row[position])
        return obj

    def _prepare(self, shape, values) -> _Prepared | None:
        """Build with stand-ins, compile, and find each stand-in's one place among the parameters."""
        stand_ins, args = [], []
        for value in values:
            if _is_param(value):
                args.append(_stand_in(type(value), len(stand_ins)))
                stand_ins.append(args[-1])
            else:
                items = [_stand_in(type(x), len(stand_ins) + i) for i, x in enumerate(value)]
                args.append(items)
                stand_ins.extend(items)
        queryset = self.build(shape, *args)
        name = getattr(self.build, "__qualname__", repr(self.build))
        if queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise TypeError(f"{name}: a compiled query cannot carry related objects or prefetches")
        if queryset._iterable_class not in (ModelIterable, FlatValuesListIterable):
            raise TypeError(f"{name}: a compiled query returns model instances or one flat column")
        flat = queryset._iterable_class is FlatValuesListIterable
        compiler = queryset.query.get_compiler(using=self.using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        params = tuple(params)
        slots = []
        for stand_in in stand_ins:
            found = [i for i, p in enumerate(params) if type(p) is type(stand_in) and p == stand_in]
            if len(found) == 1:
                slots.append(found[0])
            elif found or str(stand_in) in sql or any(str(stand_in) in str(p) for p in params):
                # Twice, folded into the SQL's text, or turned into another value (`__contains`'s "%x%").
                logger.info("%s: a parameter is not one parameter of its SQL; run uncompiled", name)
                return None
            else:
                slots.append(None)  # this shape does not use it
        select = compiler.select
        fields = [s[0] for s in select[0:compiler.col_count]]
        converters = tuple(compiler.get_converters(fields).items())
        if flat:
            return _Prepared(sql, params, tuple(slots), True, None, (), 0, 0, (), (), converters)
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Prepared(
            sql=sql, params=params, slots=tuple(slots), flat=False, model=klass_info["model"],
            init_list=tuple(f[0].target.attname for f in select[start:end]), start=start, end=end,
            populators=tuple(get_related_populators(klass_info, select, self.using)),
            annotations=tuple((compiler.annotation_col_map or {}).items()), converters=converters,
        )


def _converted(row, converters, connection) -> tuple:
    """What SQLCompiler.apply_converters does to a row, with this thread's connection."""
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return tuple(row)
