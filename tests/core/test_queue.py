"""Publishing tasks: a broker that is away is waited on once per moment, not once per task."""
from __future__ import annotations

import pytest

from core import queue


class Task:
    def __init__(self, fails: bool):
        self.fails, self.calls = fails, []

    def apply_async(self, args, **options):
        self.calls.append((args, options))
        if self.fails:
            raise ConnectionError("broker unreachable")


def test_after_a_failed_publish_the_next_ones_of_the_moment_are_skipped_unless_insisted():
    down = Task(fails=True)
    assert queue.publish(down, (1,), what="one") is False
    assert queue.publish(down, (2,), what="two") is False
    assert [args for args, _ in down.calls] == [(1,)], "the second did not wait on the broker again"
    assert all(options == {"retry": False, "ignore_result": True} for _, options in down.calls)
    up = Task(fails=False)
    assert queue.publish(up, (3,), what="requeue", insist=True) is True
    assert queue.publish(up, (4,), what="next") is True, "a publish that went through clears the failure"
    assert [args for args, _ in up.calls] == [(3,), (4,)]


def test_the_failure_is_forgotten_after_a_moment(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(queue.time, "monotonic", lambda: clock[0])
    queue.publish(Task(fails=True), (1,), what="one")
    clock[0] += queue.SKIP_AFTER_FAILURE_SECONDS + 0.1
    up = Task(fails=False)
    assert queue.publish(up, (2,), what="two") is True and up.calls


class SlowTask(Task):
    """Records the thread it was published from; waits until released."""

    def __init__(self, fails: bool = False):
        super().__init__(fails)
        import threading

        self.release, self.threads = threading.Event(), []

    def apply_async(self, args, **options):
        import threading

        self.release.wait(5)
        self.threads.append(threading.current_thread().name)
        super().apply_async(args, **options)


@pytest.fixture
def through_a_broker(settings):
    from config.celery import app

    app.conf.task_always_eager  # noqa: B018 - Celery reads its configuration once, before the override
    settings.CELERY_TASK_ALWAYS_EAGER = False  # Celery's configuration reads Django's settings
    assert not app.conf.task_always_eager
    queue.forget_failures()
    yield
    assert queue.publish_wait(5)
    queue.forget_failures()


def test_publish_soon_returns_before_the_broker_answers_and_hands_over_in_order(through_a_broker):
    task = SlowTask()
    queue.publish_soon(task, (1,), what="one")
    queue.publish_soon(task, (2,), what="two")
    assert task.calls == [], "the caller did not wait for the broker"
    task.release.set()
    assert queue.publish_wait(5)
    assert [args for args, _ in task.calls] == [(1,), (2,)]
    assert set(task.threads) == {"pledgeflow-publish"}


def test_a_failing_publish_does_not_stop_the_publishing_thread(through_a_broker):
    broken = SlowTask(fails=True)
    broken.release.set()
    queue.publish_soon(broken, (1,), what="down")
    assert queue.publish_wait(5) and broken.calls
    queue.forget_failures()
    up = SlowTask()
    up.release.set()
    queue.publish_soon(up, (2,), what="up")
    assert queue.publish_wait(5) and [args for args, _ in up.calls] == [(2,)]


def test_with_tasks_run_in_process_publish_soon_publishes_at_once():
    task = Task(fails=False)
    queue.publish_soon(task, (1,), what="eager")  # the test settings run tasks in-process
    assert [args for args, _ in task.calls] == [(1,)]
