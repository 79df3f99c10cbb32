"""The real stack for realstack tests: PostgreSQL, Redis and a Celery worker started by scripts/stack.sh.

These tests skip unless that stack's environment is present (`source "$(scripts/stack.sh up
--worker-db test)"`), and fail instead when PLEDGEFLOW_REQUIRE_REALSTACK=1 (CI), so that a
missing stack cannot pass for a green run. The worker must read pytest-django's test database.
"""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Callable

import pytest
from celery.result import _set_task_join_will_block
from django.conf import settings
from django.db import connection

from config.celery import app

REPO = Path(__file__).resolve().parents[2]
STACK_SCRIPT = REPO / "scripts" / "stack.sh"
STACK_VARIABLES = ("PLEDGEFLOW_STACK_DIR", "PLEDGEFLOW_STACK_WORKER", "PLEDGEFLOW_WORKER_DATABASE_URL")


def missing_stack() -> str | None:
    unset = [name for name in STACK_VARIABLES if not os.environ.get(name)]
    if unset:
        return (f"no real stack ({', '.join(unset)} unset); "
                'start one: source "$(scripts/stack.sh up --worker-db test)"')
    if connection.vendor != "postgresql":
        return f"DATABASE_URL is {connection.vendor}, not PostgreSQL"
    if not str(settings.CELERY_BROKER_URL).startswith("redis://"):
        return f"CELERY_BROKER_URL is {settings.CELERY_BROKER_URL!r}, not Redis"
    return None


@pytest.fixture(autouse=True)
def real_stack():
    reason = missing_stack()
    if reason:
        if os.environ.get("PLEDGEFLOW_REQUIRE_REALSTACK") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def results_may_be_awaited():
    """This process is a client of the worker, never a worker: it may wait for results.

    Celery keeps "a task is running here, do not block on a result" in one process-wide flag that
    each in-process (eager) task sets and restores. Two eager tasks overlapping in threads (the
    outage test's clients) can restore it in the wrong order and leave it set, and every later
    `result.get()` then raises "Never call result.get() within a task!".
    """
    _set_task_join_will_block(False)
    yield


@pytest.fixture
def stack_worker(real_stack, transactional_db) -> str:
    """The stack's worker, answering, and reading this test database."""
    worker_database = os.environ["PLEDGEFLOW_WORKER_DATABASE_URL"].rsplit("/", 1)[-1]
    test_database = connection.settings_dict["NAME"]
    if worker_database != test_database:
        pytest.fail(f"the stack's worker reads {worker_database!r}, the tests {test_database!r}: "
                    "start the stack with --worker-db test")
    replies = app.control.ping(timeout=5)
    if not replies:
        pytest.fail("no Celery worker answers a ping through the broker")
    return os.environ["PLEDGEFLOW_STACK_WORKER"]


@pytest.fixture
def through_the_broker(settings, stack_worker):
    """Tasks go to Redis for the worker instead of running in this process (the suite's default)."""
    # Read Celery's configuration before touching Django's settings: Celery loads it lazily, once,
    # and would otherwise keep this test's override for the rest of the session.
    was_eager = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = was_eager


def stack(command: str) -> None:
    subprocess.run([str(STACK_SCRIPT), command, "--dir", os.environ["PLEDGEFLOW_STACK_DIR"]], check=True,
                   stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def redis_outage():
    """`with redis_outage():` Redis is stopped inside the block and started again after it, whatever happens."""
    from contextlib import contextmanager

    @contextmanager
    def outage():
        stack("redis-stop")
        try:
            yield
        finally:
            stack("redis-start")

    yield outage
    # Should a test fail between the two, leave Redis running for the next one.
    if subprocess.run([str(STACK_SCRIPT), "status", "--dir", os.environ["PLEDGEFLOW_STACK_DIR"]],
                      capture_output=True, text=True).stdout.find("redis: up") < 0:
        stack("redis-start")


def wait_until(condition: Callable[[], object], *, seconds: float, what: str):
    """Poll `condition` until it returns something truthy; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.25)


def stack_status() -> str:
    return subprocess.run([str(STACK_SCRIPT), "status", "--dir", os.environ["PLEDGEFLOW_STACK_DIR"]],
                          capture_output=True, text=True, timeout=60).stdout


@pytest.fixture
def postgres_outage():
    """`with postgres_outage():` the stack's PostgreSQL is stopped (fast: every session cut) inside the block.

    After the block it is started again and this process's connections, broken by the stop, are
    dropped so that the next query opens a new one.
    """
    from contextlib import contextmanager

    from django.db import connections

    @contextmanager
    def outage():
        stack("postgres-stop")
        try:
            yield
        finally:
            stack("postgres-start")
            connections.close_all()

    yield outage
    if "postgres: up" not in stack_status():
        stack("postgres-start")
        connections.close_all()


@pytest.fixture
def worker_kill(stack_worker):
    """`worker_kill()` SIGKILLs the stack's worker and its pool (one process group), then starts a new one.

    Nothing is shut down warmly: the messages it held stay unacknowledged in Redis, as after an OOM
    kill or a lost machine. Returns the killed pid.
    """
    import signal

    def kill() -> int:
        pid = int((Path(os.environ["PLEDGEFLOW_STACK_DIR"]) / "worker.pid").read_text().strip())
        os.killpg(pid, signal.SIGKILL)  # stack.sh starts the worker in a session of its own: pgid == pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        stack("worker-stop")   # nothing left to stop: clears the pid files, sets the old log aside
        stack("worker-start")  # waits for the new worker's "ready"
        return pid

    yield kill
    if "worker: up" not in stack_status():
        stack("worker-start")


@pytest.fixture(autouse=True)
def worker_idle_before_flush(transactional_db):
    """After each real-stack test, before pytest-django empties the database: wait (at most 20 s) until the
    worker has no task running, so the TRUNCATE does not deadlock with a task still holding row locks
    (the outbox's dispatch after the PostgreSQL-outage test did once)."""
    yield
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            active = app.control.inspect(timeout=1).active() or {}
        except Exception:  # the broker away: nothing to wait for here
            return
        if not any(active.values()):
            return
        time.sleep(0.25)
