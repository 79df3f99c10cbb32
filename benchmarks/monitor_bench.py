"""Benchmark of the post-loan sweep: time and peak memory over many seeded pledges, against a smaller baseline.

    .venv/bin/python benchmarks/monitor_bench.py                     # 100,000 pledges, baseline 10,000
    .venv/bin/python benchmarks/monitor_bench.py --pledges 20000 --baseline 2000
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/monitor_bench.py   # on PostgreSQL

It works in a throwaway test database (a temp SQLite file, or test_<name> on PostgreSQL), seeds
pledges with bulk_create, and sweeps them. Memory is the tracemalloc peak of Python allocations
during a sweep, in a separate pass from the timed one (tracing slows Python down). The ratios
compare the big run with the baseline in the same process: per-pledge time near 1x means the
sweep scales linearly; peak memory near 1x (not pledges/baseline) means it is bounded by the
batch size. For contrast it also sweeps the big run as one single batch.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

TODAY = dt.date(2026, 3, 1)
SEED_CHUNK = 5000


def seed(start: int, stop: int, *, bank, enterprise, user) -> None:
    """Pledges start..stop-1, one patent each; about one in five has something to flag."""
    from financing.models import LoanTerms, PledgeApplication, PledgedPatent
    from patents.models import Patent
    from patents.numbers import cn_check_digit

    now = timezone.now()
    for first in range(start, stop, SEED_CHUNK):
        indices = range(first, min(first + SEED_CHUNK, stop))
        patents = []
        for i in indices:
            twelve = f"2016{1 if i % 50 != 2 else 2}{i:07d}"
            patents.append(Patent(
                number=f"ZL{twelve}.{cn_check_digit(twelve)}",
                jurisdiction="CN",
                kind="utility_model" if i % 50 == 2 else "invention",  # utility models filed 2016 expire 2026
                title=f"Benchmark patent {i}",
                filing_date=dt.date(2016, 6, 1),
                grant_date=dt.date(2017, 6, 1),
                annual_fee_paid_until=(
                    dt.date(2026, 1, 1) if i % 20 == 0 else dt.date(2026, 4, 1) if i % 20 == 1 else dt.date(2027, 6, 1)
                ),
                invalidation_pending=i % 100 == 3,
                ownership_frozen=i % 200 == 4,
            ))
        Patent.objects.bulk_create(patents)
        applications = PledgeApplication.objects.bulk_create([
            PledgeApplication(
                bank=bank, enterprise=enterprise, created_by=user, amount_requested=Decimal("1000000.00"),
                currency="CNY", term_months=12,
                # Most are under a live pledge; some already released, which the sweep skips.
                state="released" if i % 10 == 9 else ("disbursed" if i % 3 else "registered"),
            )
            for i in indices
        ])
        if applications[0].pk is None:  # a backend that does not return ids from bulk_create
            ids = list(PledgeApplication.objects.order_by("-id").values_list("id", flat=True)[: len(applications)])
            for application, pk in zip(applications, reversed(ids)):
                application.pk = application.id = pk
        LoanTerms.objects.bulk_create([
            LoanTerms(application=a, amount=Decimal("800000.00"), annual_rate=Decimal("0.045"), term_months=12,
                      recommended_by=user, recommended_at=now, approved_by=user, approved_at=now,
                      signed_on=dt.date(2026, 1, 15))
            for a in applications
        ])
        if patents[0].pk is None:
            numbers = [p.number for p in patents]
            by_number = dict(Patent.objects.filter(number__in=numbers).values_list("number", "id"))
            for p in patents:
                p.pk = p.id = by_number[p.number]
        PledgedPatent.objects.bulk_create([
            PledgedPatent(application=a, patent=p) for a, p in zip(applications, patents)
        ])


def timed_sweep(*, batch_size: int) -> tuple[float, object]:
    from monitoring.models import Alert
    from monitoring.services import monitor_pledges_run

    Alert.objects.all().delete()
    started = time.perf_counter()
    summary = monitor_pledges_run(today=TODAY, batch_size=batch_size)
    return time.perf_counter() - started, summary


def traced_sweep(*, batch_size: int) -> int:
    """Peak bytes Python allocated during a sweep from scratch."""
    from monitoring.models import Alert
    from monitoring.services import monitor_pledges_run

    Alert.objects.all().delete()
    tracemalloc.start()
    tracemalloc.reset_peak()
    monitor_pledges_run(today=TODAY, batch_size=batch_size)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def again_sweep(*, batch_size: int) -> tuple[float, object]:
    from monitoring.services import monitor_pledges_run

    started = time.perf_counter()
    summary = monitor_pledges_run(today=TODAY, batch_size=batch_size)
    return time.perf_counter() - started, summary


def measure(label: str, batch_size: int) -> dict:
    seconds, summary = timed_sweep(batch_size=batch_size)
    again_seconds, again = again_sweep(batch_size=batch_size)
    peak = traced_sweep(batch_size=batch_size)
    row = {
        "label": label, "pledges": summary.pledges, "seconds": seconds, "per_pledge_us": seconds / summary.pledges * 1e6,
        "peak_mb": peak / 2**20, "opened": summary.opened, "again_seconds": again_seconds,
        "again_writes": again.opened + again.updated + again.resolved, "batches": summary.batches,
    }
    print(
        f"{label:<34} {row['pledges']:>8} active  {seconds:7.2f} s  {row['per_pledge_us']:7.1f} us/pledge  "
        f"peak {row['peak_mb']:7.1f} MB  alerts {row['opened']:>6}  second run {again_seconds:6.2f} s "
        f"with {row['again_writes']} writes",
        flush=True,
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--no-single-batch", action="store_true", help="skip the one-batch contrast run")
    args = parser.parse_args()
    logging.getLogger("monitoring").setLevel(logging.WARNING)  # the sweep's own summary line
    if not 0 < args.baseline < args.pledges:
        parser.error("need 0 < --baseline < --pledges")

    scratch = tempfile.mkdtemp(prefix="pledgeflow-bench-")
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # A file, not SQLite's in-memory test database, so the process's memory is the sweep's.
        database.setdefault("TEST", {})["NAME"] = str(Path(scratch) / "bench.sqlite3")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import Bank, Enterprise, User

        print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]}; batch size {args.batch_size}; "
              f"sweep date {TODAY.isoformat()}", flush=True)
        bank = Bank.objects.create(name="Benchmark Bank", name_zh="基准银行")
        enterprise = Enterprise.objects.create(name="Benchmark Co.", name_zh="基准公司", credit_code="91330000000000000X")
        user = User.objects.create(username="bench")

        started = time.perf_counter()
        seed(0, args.baseline, bank=bank, enterprise=enterprise, user=user)
        print(f"seeded {args.baseline} applications in {time.perf_counter() - started:.1f} s", flush=True)
        base = measure(f"baseline ({args.baseline:,})", args.batch_size)

        started = time.perf_counter()
        seed(args.baseline, args.pledges, bank=bank, enterprise=enterprise, user=user)
        print(f"seeded {args.pledges - args.baseline} more in {time.perf_counter() - started:.1f} s", flush=True)
        big = measure(f"full ({args.pledges:,})", args.batch_size)
        single = None if args.no_single_batch else measure("full, one single batch (contrast)", args.pledges)

        scale = big["pledges"] / base["pledges"]
        print()
        print(f"pledges:             {scale:.1f}x the baseline")
        print(f"time per pledge:     {big['per_pledge_us'] / base['per_pledge_us']:.2f}x the baseline "
              f"(1x = linear); full sweep {big['seconds']:.1f} s")
        print(f"peak memory:         {big['peak_mb'] / base['peak_mb']:.2f}x the baseline "
              f"({big['peak_mb']:.1f} MB vs {base['peak_mb']:.1f} MB): bounded by the batch, not the pledges")
        if single:
            print(f"one single batch:    peak {single['peak_mb']:.1f} MB = {single['peak_mb'] / big['peak_mb']:.1f}x "
                  f"the batched sweep: what batching saves")
        print(f"second run:          {big['again_writes']} writes, {big['again_seconds']:.1f} s (idempotent)")
        print(f"process max RSS:     {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
              f"(includes seeding)")
    finally:
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
