"""Bar charts drawn on the server as SVG (no script, no CDN): the geometry only, from figures already computed."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

ROW = 22  # one bar's row, in SVG units
LENGTH = 260  # the longest bar


def _number(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal("0")


def bars(items: list[tuple[str, object]], *, scale_to: object | None = None) -> dict:
    """Horizontal bars for (label, value) pairs; `scale_to` fixes the full length (e.g. 100 for scores).

    Returns {"rows": [{"label", "value", "y", "length"}], "height"}; negative values draw as empty bars.
    """
    values = [(label, _number(value)) for label, value in items]
    top = _number(scale_to) if scale_to is not None else max((v for _, v in values), default=Decimal("0"))
    rows = []
    for index, (label, value) in enumerate(values):
        length = int(LENGTH * value / top) if top > 0 and value > 0 else 0
        rows.append({"label": label, "value": value, "y": index * ROW, "length": min(length, LENGTH)})
    return {"rows": rows, "height": ROW * len(rows)}


def valuation_charts(patent_valuations, *, labels: dict) -> list[dict]:
    """Per valued patent: its quality dimensions (0-100) and its income approach's present values by year."""
    charts = []
    for pv in patent_valuations:
        workings = pv.workings or {}
        dimensions = (workings.get("quality") or {}).get("dimensions") or {}
        flows = workings.get("cash_flows") or []
        charts.append({
            "number": pv.patent.number,
            "quality": bars([(labels.get(name, name), score) for name, score in dimensions.items()], scale_to=100),
            "cash_flows": bars([(str(year.get("year")), year.get("present_value")) for year in flows]) if flows else None,
            "cash_flow_rows": flows,
        })
    return charts
