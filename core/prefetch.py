"""Related rows of a page of objects, fetched in one query per relation and attached as plain lists.

Django's `prefetch_related` builds, for every object of the page and every relation, a related
manager and a filtered QuerySet to hold that object's rows: on a 25-row application page with five
relations that is 125 QuerySets cloned and filtered, 40% of the page's CPU (issue 11's profile),
for rows it has already read. `attach` reads the same rows with the same one query per relation and
hands each object a `Rows` list under the same cache key, which the related manager returns as
is: `application.documents.all()` reads it, with no query.

`RelatedRows` names such a relation once, at import: its query is then compiled once per page
size (core.compiled) instead of on every page.

`Rows` answers what the readers of a page call (`all()`, iteration, `len`, `exists()`,
`count()`) from memory; anything else a QuerySet does (`filter`, `select_related`, ...) runs on a
fresh query of that object's rows, as it does after Django's own prefetch.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Callable, Iterable

from django.db.models import Model, QuerySet

from core.compiled import CompiledQuery


class Rows(list):
    """One object's related rows, already read; `query()` makes the QuerySet of the same rows."""

    def __init__(self, rows=(), *, query: Callable[[], QuerySet] | None = None):
        super().__init__(rows)
        self._query = query

    def __getattr__(self, name):
        if name.startswith("_") or self.__dict__.get("_query") is None:
            raise AttributeError(name)
        return getattr(self._query(), name)

    def all(self) -> Rows:
        return self

    def exists(self) -> bool:
        return bool(self)

    def count(self, *args) -> int:  # list.count(x) stays available
        return list.count(self, *args) if args else len(self)


class RelatedRows:
    """The rows of `base()` whose foreign key `fk` points at one of some owners, e.g.
    `RelatedRows(lambda: Document.objects.all(), fk="application")`: its SQL compiled once per
    number of owners (core.compiled), then run with their ids."""

    def __init__(self, base: Callable[[], QuerySet], *, fk: str):
        self.fk = fk
        self._base = base
        self._compiled = CompiledQuery(lambda shape, ids: base().filter(**{f"{self.attname}__in": ids}))

    @cached_property
    def attname(self) -> str:
        """The foreign key's column, e.g. application_id (looked up on first use, once the apps are loaded)."""
        return self._base().model._meta.get_field(self.fk).attname

    def __call__(self, ids: list[int]) -> list[Model]:
        return self._compiled(None, ids)


def attach(instances: Iterable[Model], name: str, queryset: QuerySet | RelatedRows, *, fk: str | None = None) -> list[Model]:
    """Read `queryset`'s rows whose foreign key `fk` (e.g. "application") points at one of
    `instances`, cache each instance's as `instance.<name>.all()`, and each row's `fk` as its
    instance (as a prefetch does). Returns every row read, in the queryset's order (for nesting).
    A RelatedRows brings its own `fk`."""
    instances = list(instances)
    if not instances:
        return []
    by_pk = {instance.pk: instance for instance in instances}
    if isinstance(queryset, RelatedRows):
        fk, attname = queryset.fk, queryset.attname
        rows = queryset(list(by_pk))
    else:
        attname = queryset.model._meta.get_field(fk).attname
        rows = list(queryset.filter(**{f"{attname}__in": list(by_pk)}))
    grouped: dict = defaultdict(list)
    for row in rows:
        owner = getattr(row, attname)
        row._state.fields_cache[fk] = by_pk[owner]
        grouped[owner].append(row)
    for instance in instances:
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = Rows(
            grouped.get(instance.pk, ()), query=related_query(instance, name)
        )
    return rows


def related_query(instance: Model, name: str) -> Callable[[], QuerySet]:
    """The QuerySet of `instance`'s reverse relation `name`, made when called (past any cache)."""
    return _RelatedQuery(instance, name)


class _RelatedQuery:
    """related_query's callable: the relation is looked up only if the QuerySet is ever asked for
    (rarely: a page makes one of these for each row and relation, 125 per 25 rows)."""

    __slots__ = ("instance", "name")

    def __init__(self, instance: Model, name: str):
        self.instance, self.name = instance, name

    def __call__(self) -> QuerySet:
        field = self.instance._meta.get_field(self.name)
        return field.related_model._default_manager.filter(**{field.field.name: self.instance})
