"""Celery task for the daily post-loan sweep (scheduled by beat in config/celery.py)."""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from monitoring.services import monitor_pledges_run as sweep


# Its limits are far above the default task's: 100,000 pledges take minutes, not seconds. That is
# longer than the broker's visibility timeout (minutes, so that a lost document task comes back
# soon), so the sweep is acknowledged on receipt: acknowledged late, Redis would hand a long sweep
# to a second worker while the first still ran. A sweep lost with its worker is idempotent and
# catches up at the next day's run (or `manage.py monitor_pledges` by hand).
@shared_task(
    name="monitoring.tasks.monitor_pledges_run",
    acks_late=False,
    time_limit=3 * 3600,
    soft_time_limit=3 * 3600 - 300,
    autoretry_for=(ConnectionError,),
    retry_backoff=60,
    max_retries=3,
)
def monitor_pledges_run(today: str | None = None) -> dict:
    """Sweep as of `today` (ISO date; default the bank's today) and return the summary."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return sweep(today=day).as_dict()
