"""Celery tasks of the events app: dispatch an event, attempt a delivery, send an e-mail, and the redelivery sweep.

Each takes an id and is safe to run twice: the services check the row's state under a lock first.
"""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from events import services
from events.models import Delivery, EmailNotice

# A retry due within this long waits in the broker (a countdown); a later one is left to the
# redelivery sweep. Kept under the broker's visibility timeout (CELERY_BROKER_VISIBILITY_TIMEOUT),
# so a countdown is not handed out twice (harmless, but wasted).
COUNTDOWN_AT_MOST = dt.timedelta(seconds=240)


def _again_later(task, pk: int, due) -> None:
    if due is None:
        return
    wait = (due - timezone.now()).total_seconds()
    if wait <= COUNTDOWN_AT_MOST.total_seconds():
        try:
            task.apply_async((pk,), countdown=max(wait, 0) + 0.5, retry=False, ignore_result=True)
        except Exception:  # the broker is away: the sweep takes it
            pass


@shared_task(name="events.tasks.event_dispatch", acks_late=True, time_limit=60, soft_time_limit=50)
def event_dispatch(event_id: str) -> None:
    services.event_dispatch(event_id=event_id)


@shared_task(name="events.tasks.delivery_attempt", acks_late=True, time_limit=60, soft_time_limit=50)
def delivery_attempt(delivery_id: int) -> dict | None:
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    if delivery is None:
        return None
    if delivery.status == Delivery.Status.PENDING and delivery.last_error and not _is_eager():
        _again_later(delivery_attempt, delivery.pk, delivery.next_attempt_at)
    return {"id": delivery.pk, "status": delivery.status, "attempts": delivery.attempts}


@shared_task(name="events.tasks.email_notice_send", acks_late=True, time_limit=60, soft_time_limit=50)
def email_notice_send(notice_id: int) -> dict | None:
    notice = services.email_notice_send(notice_id=notice_id)
    if notice is None:
        return None
    if notice.status == EmailNotice.Status.PENDING and notice.last_error and not _is_eager():
        _again_later(email_notice_send, notice.pk, notice.next_attempt_at)
    return {"id": notice.pk, "status": notice.status}


# For beat, every minute (config.settings CELERY_BEAT_SCHEDULE): the outbox's safety net.
@shared_task(name="events.tasks.events_redeliver_due", acks_late=True, time_limit=90, soft_time_limit=60)
def events_redeliver_due() -> dict:
    return services.events_redeliver_due()


def _is_eager() -> bool:
    # In-process (the embedded default), a countdown would run at once; retries wait for the sweep.
    from config.celery import app

    return bool(app.conf.task_always_eager)
