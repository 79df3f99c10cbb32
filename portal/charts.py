"""Bar charts drawn as inline SVG on the server: geometry from figures, no script, no CDN."""
from __future__ import annotations

from decimal import Decimal

WIDTH, HEIGHT, GAP = 480, 160, 8


def bars(rows: list[dict], *, label: str, value: str) -> dict:
    """One bar per row, scaled to the tallest: {"width", "height", "bars": [{x, y, w, h, label, value}]}."""
    values = [Decimal(str(row[value] or 0)) for row in rows]
    top = max(values, default=Decimal(0)) or Decimal(1)
    width = (WIDTH - GAP * (len(rows) + 1)) / len(rows) if rows else 0
    plotted = []
    for index, (row, amount) in enumerate(zip(rows, values)):
        height = float(amount / top) * (HEIGHT - 30)
        plotted.append({
            "x": round(GAP + index * (width + GAP), 1), "y": round(HEIGHT - 20 - height, 1), "w": round(width, 1),
            "h": round(height, 1), "label": row[label], "value": row[value], "label_y": HEIGHT - 6,
            "text_x": round(GAP + index * (width + GAP) + width / 2, 1), "value_y": round(HEIGHT - 24 - height, 1),
        })
    return {"width": WIDTH, "height": HEIGHT, "bars": plotted}
