"""Checks that the suite's clocks are moved by DAYS (make clock-shifted runs it under faketime).

Usage: clock_check.py DAYS TRUE_EPOCH_SECONDS (the true time, read outside faketime).
"""
from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import sys
import threading
import time

days, true_epoch = int(sys.argv[1]), int(sys.argv[2])
expected = dt.datetime.fromtimestamp(true_epoch, dt.timezone.utc) + dt.timedelta(days=days)
sqlite_now = sqlite3.connect(":memory:").execute("select datetime('now')").fetchone()[0]
seen = {
    "datetime.now": dt.datetime.now(dt.timezone.utc),
    "time.time": dt.datetime.fromtimestamp(time.time(), dt.timezone.utc),
    "SQLite now": dt.datetime.fromisoformat(sqlite_now).replace(tzinfo=dt.timezone.utc),
}
failed = [f"{name} is {moment}, expected about {expected}" for name, moment in seen.items()
          if abs(moment - expected) > dt.timedelta(minutes=10)]
today = dt.date.today()
if today not in {(expected + dt.timedelta(hours=h)).astimezone().date() for h in (-1, 0, 1)}:
    failed.append(f"date.today is {today}, expected {expected.astimezone().date()}")

# Timed waits (Thread.join(timeout), Lock.acquire(timeout)) must return, not hang as they do
# when libfaketime also fakes the monotonic clock.
signal.signal(signal.SIGALRM, lambda *_: sys.exit("a timed wait hung: is the monotonic clock faked? (FAKETIME_DONT_FAKE_MONOTONIC=1)"))
signal.alarm(10)
started = time.monotonic()
waiter = threading.Thread(target=threading.Event().wait, args=(0.2,), daemon=True)
waiter.start()
waiter.join(timeout=5)
if waiter.is_alive() or time.monotonic() - started > 3:
    failed.append("a timed wait did not return in time")
signal.alarm(0)

for name, moment in seen.items():
    print(f"  {name:13} {moment:%Y-%m-%d %H:%M:%S %Z}")
print(f"  {'date.today':13} {today}")
if failed:
    sys.exit("the clock is not moved as expected:\n  " + "\n  ".join(failed))
print(f"clock moved {days:+d} days: the suite runs on {today}")
