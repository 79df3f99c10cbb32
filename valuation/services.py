"""Valuation services (first version: accepts the appraiser's step; the engine completes it)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal


def valuation_complete(*, application, by, data: dict) -> None:
    return None


def lending_check(*, application, amount: Decimal, term_months: int, on: dt.date) -> None:
    return None
