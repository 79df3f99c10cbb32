"""Celery tasks of the documents app: generate one document by id; requeue those left pending."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.signals import worker_process_init

from documents import services
from documents.services import TRANSIENT_ERRORS


@worker_process_init.connect
def documents_load_typeface(**_kwargs) -> None:
    """Parse the 5 MB CJK font (~90 ms) and import the builders as each worker process starts, not in its first document.

    Imported here rather than at the top so that a web process queueing a task never loads reportlab.
    """
    from documents.pdf.layout import stylesheet

    stylesheet()  # registers the font on the way


# Safe to run twice (a ready document is left alone), so late acknowledgement and a redelivery after
# a lost worker do no harm. Transient failures (database, storage) retry with backoff; a fault in the
# content fails at once and waits for a person's retry. One document takes well under a second.
# The time limit plus the longest retry countdown stay under the broker's visibility timeout
# (CELERY_BROKER_VISIBILITY_TIMEOUT, 300 s), so a task running or waiting to retry is not redelivered.
@shared_task(
    name="documents.tasks.document_generate",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=10,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def document_generate(document_id: int) -> dict:
    document = services.document_generate(document_id=document_id)
    return {"id": document.pk, "status": document.status, "sha256": document.sha256}


# How long a document may stay pending before the requeue hands it over again: longer than a
# document waits in an ordinary queue, short enough that a lost task is back within minutes.
REQUEUE_AFTER_MINUTES = 2


# For beat, every 2 minutes (config.settings CELERY_BEAT_SCHEDULE): documents whose task was lost
# (the broker was down at the publish, a worker was killed holding it) are still pending.
@shared_task(name="documents.tasks.documents_requeue_pending", acks_late=True, time_limit=90, soft_time_limit=60)
def documents_requeue_pending(older_than_minutes: int = REQUEUE_AFTER_MINUTES) -> int:
    return services.documents_requeue_pending(older_than=dt.timedelta(minutes=older_than_minutes))
