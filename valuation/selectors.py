"""Reads of valuations: the current one of an application, and its history."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from valuation.models import PatentValuation, Valuation


def valuation_current_for(application) -> Valuation | None:
    """The application's valuation not yet superseded, or None; uses `valuations_prefetch()` when applied."""
    prefetched = getattr(application, "_prefetched_objects_cache", {}).get("valuations")
    if prefetched is not None:
        return next((v for v in prefetched if v.superseded_at is None), None)
    return (
        Valuation.objects.filter(application=application, superseded_at__isnull=True)
        .select_related("appraiser")
        .prefetch_related(Prefetch("patent_valuations", queryset=PatentValuation.objects.select_related("patent")))
        .first()
    )


def valuations_current_in_one_query(application) -> list[Valuation]:
    """[the current valuation] with its patents (and their register rows) read in one query, or [].

    For one application (a transition's answer): the list pages use valuations_prefetch(), two
    queries for the whole page, while here the valuation rides along with its patent rows.
    """
    rows = list(
        PatentValuation.objects.filter(valuation__application=application, valuation__superseded_at__isnull=True)
        .select_related("valuation__appraiser", "patent")
        .order_by("id")
    )
    if not rows:
        return []
    valuation = rows[0].valuation
    for row in rows:
        row.valuation = valuation  # one object for all, as a prefetch would give
    valuation.__dict__.setdefault("_prefetched_objects_cache", {})["patent_valuations"] = rows
    return [valuation]


def valuations_for(application) -> QuerySet[Valuation]:
    """Every version, newest first."""
    return Valuation.objects.filter(application=application).select_related("appraiser").order_by("-version")


def valuations_prefetch() -> Prefetch:
    """For application lists: the current valuation with its patents, in a fixed number of queries."""
    return Prefetch(
        "valuations",
        queryset=Valuation.objects.filter(superseded_at__isnull=True).select_related("appraiser").prefetch_related(
            Prefetch("patent_valuations", queryset=PatentValuation.objects.select_related("patent"))
        ),
    )
