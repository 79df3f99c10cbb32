"""The credit-publicity reminder (DOMAIN.md §8): a registered pledge is published within 20 working days."""
from __future__ import annotations

import datetime as dt

from django.conf import settings

from registration import deadlines
from registration import selectors as register


def publicity_due(application) -> dt.date | None:
    """The last day to publish the registered pledge on the credit publicity system, or None if not registered.

    Working days as the registrar's time limit counts them (registration.deadlines: weekends and the
    configured holidays skipped, make-up working days counted).
    """
    filing = register.filing_latest(application, "registered", "cancelled")
    if filing is None or filing.registered_on is None:
        return None
    return deadlines.add_working_days(
        filing.registered_on, settings.PLEDGEFLOW_PUBLICITY_WORKING_DAYS,
        holidays=deadlines.holiday_dates(settings.PLEDGEFLOW_HOLIDAYS),
        workdays=deadlines.holiday_dates(settings.PLEDGEFLOW_MAKEUP_WORKDAYS),
    )
