"""Reads of valuations: the current one of an application, and its history."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.compiled import CompiledQuery
from core.prefetch import RelatedRows, Rows, attach, related_query

from valuation.models import PatentValuation, Valuation


def valuation_current_for(application) -> Valuation | None:
    """The application's valuation not yet superseded, or None; uses `valuations_current_attach` when applied."""
    prefetched = getattr(application, "_prefetched_objects_cache", {}).get("valuations")
    if prefetched is not None:
        return next((v for v in prefetched if v.superseded_at is None), None)
    return (
        Valuation.objects.filter(application=application, superseded_at__isnull=True)
        .select_related("appraiser")
        .prefetch_related(Prefetch("patent_valuations", queryset=PatentValuation.objects.select_related("patent")))
        .first()
    )


def _current_with_patents_of(shape, application_id) -> QuerySet[PatentValuation]:
    return (
        PatentValuation.objects.filter(valuation__application_id=application_id, valuation__superseded_at__isnull=True)
        .select_related("valuation__appraiser", "patent")
        .order_by("id")
    )


# Four tables joined: compiling it cost 1.4 ms of a transition's full answer, more than running it.
_current_with_patents = CompiledQuery(_current_with_patents_of)


def valuations_current_in_one_query(application) -> list[Valuation]:
    """[the current valuation] with its patents (and their register rows) read in one query, or [].

    For one application (a transition's answer): the list pages use valuations_current_attach, two
    queries for the whole page, while here the valuation rides along with its patent rows.
    """
    rows = _current_with_patents(None, application.pk)
    if not rows:
        return []
    valuation = rows[0].valuation
    for row in rows:
        row.valuation = valuation  # one object for all, as a prefetch would give
    valuation.__dict__.setdefault("_prefetched_objects_cache", {})["patent_valuations"] = Rows(rows, query=related_query(valuation, "patent_valuations"))
    return [valuation]


def valuations_for(application) -> QuerySet[Valuation]:
    """Every version, newest first."""
    return Valuation.objects.filter(application=application).select_related("appraiser").order_by("-version")




# What valuations_current_attach reads for a page, each compiled once per page size (core.prefetch).
_CURRENT = RelatedRows(lambda: Valuation.objects.filter(superseded_at__isnull=True).select_related("appraiser"),
                       fk="application")
_PATENT_VALUATIONS = RelatedRows(lambda: PatentValuation.objects.select_related("patent"), fk="valuation")


def valuations_current_attach(applications: list) -> None:
    """Each application's current valuation (as `application.valuations.all()`, valuation_current_for
    reads it) with its patents and their register rows: two queries for a page of applications
    (core.prefetch), one for a single application (valuations_current_in_one_query)."""
    if len(applications) == 1:
        application = applications[0]
        application.__dict__.setdefault("_prefetched_objects_cache", {})["valuations"] = Rows(
            valuations_current_in_one_query(application), query=related_query(application, "valuations")
        )
        return
    current = attach(applications, "valuations", _CURRENT)
    attach(current, "patent_valuations", _PATENT_VALUATIONS)
