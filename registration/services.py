"""Registration services (first version: files, registers, refuses; the desk completes the checks)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from registration.models import Filing, RegistrationChange


def _current_filing(application) -> Filing:
    return application.filings.order_by("-sequence").first()


def filing_create(*, application, by, acknowledged: list[str]) -> Filing:
    last = application.filings.aggregate(m=Max("sequence"))["m"] or 0
    today = timezone.localdate()
    return Filing.objects.create(
        application=application,
        sequence=last + 1,
        filed_by=by,
        acknowledged=list(acknowledged),
        deadline=today + dt.timedelta(days=7),
    )


def filing_register(*, application, by) -> Filing:
    filing = _current_filing(application)
    filing.status = Filing.Status.REGISTERED
    filing.decided_by = by
    filing.decided_at = timezone.now()
    filing.registered_on = timezone.localdate()
    filing.registration_number = f"PR-{filing.registered_on.year}-{filing.pk:06d}"
    filing.save()
    return filing


def filing_refuse(*, application, by, grounds: list[str], note: str) -> Filing:
    filing = _current_filing(application)
    filing.status = Filing.Status.REFUSED
    filing.decided_by = by
    filing.decided_at = timezone.now()
    filing.grounds = [{"code": code} for code in grounds]
    filing.note = note
    filing.save()
    return filing


def registration_change_record(*, application, by, changes: dict, note: str) -> RegistrationChange:
    filing = application.filings.get(status=Filing.Status.REGISTERED)
    return RegistrationChange.objects.create(filing=filing, recorded_by=by, changes=changes, note=note)


def registration_cancel(*, application, by, on: dt.date) -> None:
    application.filings.filter(status=Filing.Status.REGISTERED).update(
        status=Filing.Status.CANCELLED, cancelled_on=on, cancelled_by=by
    )
