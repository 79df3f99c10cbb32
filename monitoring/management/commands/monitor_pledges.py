"""`manage.py monitor_pledges`: the post-loan sweep, on demand (beat also runs it daily)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.services import DEFAULT_BATCH_SIZE, monitor_pledges_run


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: '{value}' is not a date like 2026-03-31") from None


class Command(BaseCommand):
    help = (
        "Check every active pledge (registered, disbursed, defaulted) against the patent register: annual fees "
        "due or unpaid, expiry within the loan term plus margin, invalidation requests, frozen ownership. Opens "
        "alerts for what it finds and resolves those no longer true; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Sweep as of this date (default: today in the bank's zone)")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                            help=f"Pledges read and written per transaction (default {DEFAULT_BATCH_SIZE})")

    def handle(self, *args, today=None, batch_size=DEFAULT_BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        day = iso_date(today) if today else timezone.localdate()
        summary = monitor_pledges_run(today=day, batch_size=batch_size)
        self.stdout.write(str(summary))
