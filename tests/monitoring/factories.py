"""Factories for the monitoring tests: an active pledge with signed loan terms."""
from __future__ import annotations

import datetime as dt

from tests.factories import ApplicationFactory, LoanTermsFactory, PatentFactory


def active_pledge(*, state="disbursed", patents=None, bank=None, enterprise=None, signed_on=dt.date(2026, 1, 15),
                  term_months=12):
    """An application in `state` pledging `patents` (default: one healthy patent), with signed terms."""
    extra = {}
    if bank is not None:
        extra["bank"] = bank
    if enterprise is not None:
        extra["enterprise"] = enterprise
    application = ApplicationFactory(state=state, patents=patents, **extra)
    LoanTermsFactory(application=application, term_months=term_months, signed_on=signed_on)
    return application


def patent(**overrides):
    """A granted CN invention filed 2021-03-01 (expires 2041), fees paid well ahead, unless overridden."""
    overrides.setdefault("annual_fee_paid_until", dt.date(2027, 6, 1))
    return PatentFactory(**overrides)
