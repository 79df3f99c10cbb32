"""Handing tasks to the broker from a request or a task: never waiting on a broker that is away more than once.

Every caller's work is already a committed row (a pending document, an undispatched event, a due
delivery) that a beat task hands over again, so a publish that fails is only logged. One commit
may queue several tasks (a stage's documents, the outbox's event); with the broker away each
publish would wait out the connection timeout (about a second, settings CELERY_BROKER_*), so
after a failure the publishes of the next moment are skipped rather than each waiting again.
"""
from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)

# Long enough to cover the rest of one commit's publishes, short enough that the broker's return
# is noticed at once by the next request (and by the requeue tasks, which run minutes apart).
SKIP_AFTER_FAILURE_SECONDS = 2.0

_lock = threading.Lock()
_failed_at: float | None = None


def publish(task, args: tuple, *, what: str, insist: bool = False) -> bool:
    """`task.apply_async(args)` without retries or a result; False (logged) if the broker is away.

    `insist`: try even if a publish failed a moment ago; for the requeue tasks, whose whole job is
    to try again once the broker is back.
    """
    global _failed_at
    with _lock:
        recent = _failed_at is not None and time.monotonic() - _failed_at < SKIP_AFTER_FAILURE_SECONDS
    if recent and not insist:
        logger.warning("the broker was away a moment ago; %s waits for the requeue", what)
        return False
    try:
        task.apply_async(args, retry=False, ignore_result=True)
    except Exception:
        with _lock:
            _failed_at = time.monotonic()
        logger.warning("could not queue %s; it waits for the requeue", what, exc_info=True)
        return False
    with _lock:
        _failed_at = None
    return True


def forget_failures() -> None:
    """Publish at once again (tests: no test inherits another's broker outage)."""
    global _failed_at
    with _lock:
        _failed_at = None
