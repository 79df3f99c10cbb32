"""Publishing tasks: a broker that is away is waited on once per moment, not once per task."""
from __future__ import annotations

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
