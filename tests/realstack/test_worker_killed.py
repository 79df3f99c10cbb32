"""A Celery worker killed with SIGKILL mid-burst: every document is made, exactly once, with no one's command.

The stack has no beat process, so the test plays beat's part: once the documents the dead worker
held have been pending for longer than the requeue threshold (documents.tasks.REQUEUE_AFTER_MINUTES,
2 minutes), it sends beat's own schedule entry (name, arguments and all, from CELERY_BEAT_SCHEDULE)
to the broker, where the restarted worker runs it, exactly as beat's next tick would. No threshold
is lowered and nothing runs in this process; what the test does not wait for is beat's clock (a tick
every 2 minutes), so in production the bound is the threshold plus at most one interval: 4 minutes.
"""
import time

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from documents.models import Document
from documents.tasks import REQUEUE_AFTER_MINUTES
from financing import services as financing
from tests.financing.states import application_in
from tests.realstack.conftest import wait_until
from tests.realstack.test_worker_documents import not_in_this_process  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]

BURST = 20


def counts(ids):
    rows = Document.objects.filter(pk__in=ids).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in Document.Status.values}


def test_a_worker_killed_mid_burst_leaves_every_document_made_exactly_once(world, through_the_broker, worker_kill,
                                                                           not_in_this_process):  # noqa: F811
    drafts = [application_in("draft", world) for _ in range(BURST)]
    started = time.monotonic()
    for application in drafts:
        financing.application_submit(application=application, by=world.applicant)
    submitted = time.monotonic() - started
    ids = list(Document.objects.filter(application__in=drafts).values_list("pk", flat=True))
    assert len(ids) == BURST  # one application form each

    # Kill once the worker has taken a few, with most still to come.
    wait_until(lambda: counts(ids)["ready"] >= 2, seconds=90, what="the worker to make its first documents")
    at_kill = counts(ids)
    killed_pid = worker_kill()
    after_restart = counts(ids)
    restarted = time.monotonic()
    print(f"\n{BURST} submits queued in {submitted:.1f} s; at the SIGKILL of worker {killed_pid}: {at_kill}; "
          f"after the restart: {after_restart}")
    assert at_kill["pending"] > 0, "the burst was over before the kill: nothing was in flight"

    # What the dead worker held stays unacknowledged in Redis (visibility timeout 300 s); the new
    # worker makes the rest of the queue. Wait for that queue to drain.
    def drained():
        before = counts(ids)
        time.sleep(5)
        return before["pending"] == 0 or counts(ids) == before  # nothing moved in 5 s

    wait_until(drained, seconds=120, what="the new worker to drain the queue")
    lost = counts(ids)
    print(f"queue drained by the new worker {time.monotonic() - restarted:.1f} s after the restart: {lost}")

    # Beat's tick: its own entry, sent once the oldest pending document is past the threshold.
    entry = settings.CELERY_BEAT_SCHEDULE["documents-requeue-pending"]
    requeued = None
    if lost["pending"]:
        oldest = Document.objects.filter(pk__in=ids, status="pending").order_by("created_at").first().created_at
        wait = (oldest - timezone.now()).total_seconds() + REQUEUE_AFTER_MINUTES * 60 + 2
        print(f"waiting {max(wait, 0):.0f} s for the {REQUEUE_AFTER_MINUTES}-minute threshold, then beat's tick")
        time.sleep(max(wait, 0))
        result = app.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        requeued = result.get(timeout=60)
    wait_until(lambda: counts(ids)["ready"] == BURST, seconds=120, what="every document to be ready")
    total = time.monotonic() - started
    print(f"beat's requeue handed over {requeued} documents; all {BURST} ready {total:.0f} s after the burst")

    documents = list(Document.objects.filter(application__in=drafts))
    assert len(documents) == BURST
    assert len({(d.audit_entry_id, d.kind) for d in documents}) == BURST
    # Generation is one transaction per document: a generation the kill cut short left nothing, so
    # each document was committed by exactly one run.
    assert [d.attempts for d in documents] == [1] * BURST, [(d.pk, d.attempts) for d in documents]
    assert all(d.sha256 and d.file for d in documents)
