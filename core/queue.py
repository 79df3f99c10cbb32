"""Handing tasks to the broker from a request or a task: never waiting on a broker that is away more than once.

Every caller's work is already a committed row (a pending document, an undispatched event, a due
delivery) that a beat task hands over again, so a publish that fails is only logged. One commit
may queue several tasks (a stage's documents, the outbox's event); with the broker away each
publish would wait out the connection timeout (about a second, settings CELERY_BROKER_*), so
after a failure the publishes of the next moment are skipped rather than each waiting again.

`publish_soon` is for what a request hands over after its commit: a thread of the process
publishes it, so the answer waits neither on the broker's round trip (about 1.5 ms of a
transition's 10, issue 11) nor, with the broker away, on its connection timeout. With tasks run
in-process (the embedded default, the test settings) it publishes at once, as `publish` does.
"""
from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time

logger = logging.getLogger(__name__)

# Long enough to cover the rest of one commit's publishes, short enough that the broker's return
# is noticed at once by the next request (and by the requeue tasks, which run minutes apart).
SKIP_AFTER_FAILURE_SECONDS = 2.0

_lock = threading.Lock()
_failed_at: float | None = None


def publish(task, args: tuple, *, what: str, insist: bool = False, soon: bool = False) -> bool:
    """`task.apply_async(args)` without retries or a result; False (logged) if the broker is away.

    `insist`: try even if a publish failed a moment ago; for the requeue tasks, whose whole job is
    to try again once the broker is back. `soon`: hand it to the process's publishing thread and
    return True at once (publish_soon), for what a request queues after its commit.
    """
    if soon:
        publish_soon(task, args, what=what)
        return True
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


def publish_soon(task, args: tuple, *, what: str) -> None:
    """`publish`, by this process's publishing thread: the caller does not wait for the broker."""
    from config.celery import app

    if app.conf.task_always_eager:
        publish(task, args, what=what)  # the task runs here and now: in this thread, as the caller expects
        return
    _publisher.put(task, args, what)


def publish_wait(timeout: float = 5.0) -> bool:
    """Wait until this process's publishing thread has handed over everything given to it so far."""
    return _publisher.wait(timeout)


class _Publisher:
    """One daemon thread per process (started on first use, again in a forked child) that runs
    `publish` for each task put, in order. What it has not handed over when the process dies is
    still a committed row that a beat task hands over again (documents_requeue_pending,
    events_redeliver_due)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._pid: int | None = None
        self._queue: queue.SimpleQueue | None = None

    def put(self, task, args: tuple, what: str) -> None:
        with self._lock:
            if self._pid != os.getpid():  # first use, or a child forked from a process that had the thread
                self._pid, self._queue, self._pending = os.getpid(), queue.SimpleQueue(), 0
                threading.Thread(target=self._run, args=(self._queue,), name="pledgeflow-publish", daemon=True).start()
            self._pending += 1
            self._queue.put((task, args, what))

    def _run(self, items: queue.SimpleQueue) -> None:
        while True:
            task, args, what = items.get()
            try:
                publish(task, args, what=what)
            except Exception:  # publish logs the broker's errors; anything else must not stop the thread
                logger.exception("publishing %s failed; it waits for the requeue", what)
            finally:
                with self._lock:
                    self._pending -= 1
                    if self._pending <= 0:
                        self._idle.notify_all()

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._pid != os.getpid():
                return True
            while self._pending > 0:
                left = deadline - time.monotonic()
                if left <= 0 or not self._idle.wait(left):
                    return self._pending <= 0
            return True


_publisher = _Publisher()
# A worker stopping (gunicorn's max_requests, a deploy) hands over what it holds, for at most 2 s.
atexit.register(publish_wait, 2.0)
