"""`start_review` through the whole project against a bare DRF view doing the minimal write, on PostgreSQL.

    source "$(scripts/stack.sh up --no-worker)"            # or any DATABASE_URL on PostgreSQL
    .venv/bin/python benchmarks/transition_bench.py [--requests 300] [--throughput [--seconds 30]]

Three sides answer a POST through Django's test client (the middleware, URL resolution, DRF, token
authentication; no socket, so the figures are the process's own work) in the same run, interleaved:

- pledgeflow: POST /api/v1/applications/<id>/transitions/start_review/ as a bank officer, which
  checks role, state and payload, fires the state machine, saves under the optimistic lock, writes
  the audit entry and the outbox's event, and answers with the application's full detail
  (WORKFLOW.md); after the commit the process's publishing thread hands the event's dispatch to
  the broker (as in production: the stack's Redis, nobody consuming; not in-process as the test
  settings do). Its CPU is counted to the request: a request's CPU runs until that thread is idle.
- pledgeflow, minimal: the same with `Prefer: return=minimal`, answered from the application in
  hand (id, state, its times, available_transitions) without a further query.
- bare: an APIView with knox's token authentication that, in one transaction, runs one guarded
  UPDATE ... WHERE state = 'valued' and one audit INSERT, and answers {"state": ...}.

Each request takes a fresh application seeded in bulk in the state `valued` (each with two pledged
patents), so no request undoes another's work and every side does the same transition once per row.
`--throughput` then serves each side with gunicorn (3 sync workers, docker-compose's default) on
loopback and loads it with 8 keep-alive clients for 30 s per side, in six turns of 5 s: transitions per second and the
ratio to the bare view. Goals (issue 11): at most 1.5x the bare view in median latency and CPU, at
most 8 queries, at least 0.67x its throughput; the exit status is 0 when the minimal side meets them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import threading
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

# As in production: what a transition queues after its commit (the outbox's event, documents) goes
# to the broker (the stack's Redis, nobody consuming), not run in this process as the test settings do.
from django.conf import settings  # noqa: E402

settings.CELERY_TASK_ALWAYS_EAGER = False  # before Celery first reads its configuration

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from knox.auth import TokenAuthentication  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from rest_framework.permissions import IsAuthenticated  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from accounts.models import Bank, Enterprise, User  # noqa: E402
from core.queue import publish_wait  # noqa: E402
from accounts.roles import BANK_OFFICER  # noqa: E402
from financing.models import AuditEntry, PledgeApplication  # noqa: E402

GOAL_RATIO = 1.5
GOAL_QUERIES = 8
GOAL_THROUGHPUT = 0.67


class BareStartReview(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request, pk):
        now = timezone.now()
        with transaction.atomic():
            moved = PledgeApplication.objects.filter(pk=pk, state="valued").update(
                state="under_review", state_changed_at=now, updated_at=now
            )
            if not moved:
                return Response({"error": "not valued"}, status=409)
            AuditEntry.objects.create(
                application_id=pk, actor=request.user, actor_role=BANK_OFFICER, transition="start_review",
                source_state="valued", target_state="under_review", payload={}, outcome="succeeded",
            )
        return Response({"state": "under_review"})


urlpatterns = [path("bare/<int:pk>/start_review/", BareStartReview.as_view()), path("", include("config.urls"))]

if os.environ.get("TRANSITION_BENCH_SERVE"):  # gunicorn's workers, for --throughput (below)
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    application = get_wsgi_application()


def world() -> tuple[User, Bank, Enterprise]:
    bank, _ = Bank.objects.get_or_create(name="Transition bench bank")
    enterprise, _ = Enterprise.objects.get_or_create(name="Transition bench enterprise")
    officer, _ = User.objects.get_or_create(username="transition_bench_officer", defaults={"bank": bank})
    officer.groups.set([Group.objects.get_or_create(name=BANK_OFFICER)[0]])
    return officer, bank, enterprise


def seed_valued(count: int, *, bank: Bank, enterprise: Enterprise, officer: User) -> list[int]:
    """`count` applications in `valued`, two pledged patents each, in three INSERT ... SELECTs."""
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO patents_patent (number, jurisdiction, kind, title, filing_date, grant_date, status,
                annual_fee_paid_until, ownership_frozen, invalidation_pending, same_day_twin, foreign_family,
                strategic_industry, award, term_adjustment_days, created_at, updated_at)
            SELECT 'TB' || left(md5(random()::text || i), 28), 'CN', 'invention', 'Bench method ' || i, DATE '2021-03-01',
                DATE '2022-06-01', 'in_force', DATE '2030-01-01', false, false, false, false, false, '', 0, now(), now()
            FROM generate_series(1, %s) AS i RETURNING id
            """,
            [2 * count],
        )
        patents = sorted(row[0] for row in cur.fetchall())
        cur.execute(
            """
            INSERT INTO financing_pledgeapplication (bank_id, enterprise_id, created_by_id, amount_requested,
                currency, term_months, purpose, state, rejection_reasons, state_changed_at, created_at, updated_at)
            SELECT %s, %s, %s, 5000000.00, 'CNY', 12, 'Bench', 'valued', '[]'::jsonb, now(), now(), now()
            FROM generate_series(1, %s) RETURNING id
            """,
            [bank.pk, enterprise.pk, officer.pk, count],
        )
        applications = sorted(row[0] for row in cur.fetchall())
        cur.execute(
            "INSERT INTO financing_pledgedpatent (application_id, patent_id, co_owner_consent) "
            "SELECT a, p, false FROM unnest(%s::bigint[], %s::bigint[]) AS t(a, p)",
            [[a for a in applications for _ in (0, 1)], patents],
        )
    return applications


FULL, MINIMAL, BARE = "pledgeflow", "pledgeflow, minimal", "bare DRF"
SIDES = {
    FULL: (lambda pk: f"/api/v1/applications/{pk}/transitions/start_review/", {}),
    MINIMAL: (lambda pk: f"/api/v1/applications/{pk}/transitions/start_review/", {"Prefer": "return=minimal"}),
    BARE: (lambda pk: f"/bare/{pk}/start_review/", {}),
}


def run(client: APIClient, url: str, headers: dict | None = None) -> tuple[float, float]:
    """Latency: until the answer. CPU: until the process's publishing thread has also handed over
    what the request queued after its commit (core.queue.publish_soon), so that work is counted to
    the request that caused it and not to the next side's."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.post(url, {}, format="json", headers=headers or {})
    wall = time.perf_counter() - wall
    publish_wait(5)
    cpu = time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return wall * 1000, cpu * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throughput(token_key: str, rows, *, seconds: float, connections: int, workers: int = 3, rounds: int = 6) -> str:
    """Each side served by gunicorn (sync workers, production's default count) on loopback, `connections`
    keep-alive clients posting as fast as answered for `seconds`; transitions per second."""
    port = free_port()
    env = {**os.environ, "TRANSITION_BENCH_SERVE": "1", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "transition_bench:application", "--chdir",
         str(Path(__file__).resolve().parent), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "--log-level", "warning"],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        lock = threading.Lock()
        pools = {name: [next(rows) for _ in range(int(seconds * 400) + 50)] for name in SIDES}
        done, failed, elapsed = ({name: 0 for name in SIDES} for _ in range(3))

        def client(name, stop_at):
            url, headers = SIDES[name]
            pool = pools[name]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            head = {"Authorization": f"Token {token_key}", "Content-Type": "application/json", **headers}
            while time.monotonic() < stop_at:
                with lock:
                    if not pool:
                        return
                    pk = pool.pop()
                conn.request("POST", url(pk), body=b"{}", headers=head)
                response = conn.getresponse()
                response.read()
                with lock:
                    if response.status == 200:
                        done[name] += 1
                    else:
                        failed[name] += 1

        for name, (url, headers) in SIDES.items():  # each worker's first requests (imports, connections) are not counted
            for pk in [pools[name].pop() for _ in range(20)]:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", url(pk), body=b"{}",
                             headers={"Authorization": f"Token {token_key}", "Content-Type": "application/json", **headers})
                conn.getresponse().read()
        # The sides take turns, `rounds` slices each, so that a slower or busier minute of a shared
        # machine falls on every side alike rather than on whichever side it happened to meet.
        for _ in range(rounds):
            for name in SIDES:
                started = time.monotonic()
                threads = [threading.Thread(target=client, args=(name, started + seconds / rounds))
                           for _ in range(connections)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed[name] += time.monotonic() - started
        for name in SIDES:
            if failed[name]:
                raise RuntimeError(f"{name}: {failed[name]} requests were not answered 200")
        rates = {name: done[name] / elapsed[name] for name in SIDES}
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [f"throughput, gunicorn {workers} sync workers, {connections} connections, {seconds:.0f} s per side "
             f"in {rounds} turns"]
    for name, rate in rates.items():
        lines.append(f"{name:20} {rate:8.1f}/s {rate / rates[BARE]:6.2f}x the bare view's")
    lines.append(f"goal: at least {GOAL_THROUGHPUT}x the bare view's")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="per side")
    parser.add_argument("--throughput", action="store_true", help="also serve each side with gunicorn and load it")
    parser.add_argument("--seconds", type=float, default=30.0, help="of load per side, with --throughput")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients, with --throughput")
    parser.add_argument("--sql", action="store_true", help="print the start of each query of one request per side")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("transition_bench needs PostgreSQL: set DATABASE_URL (scripts/stack.sh up prints one)", file=sys.stderr)
        return 2
    settings.ROOT_URLCONF = __name__
    call_command("migrate", verbosity=0)
    officer, bank, enterprise = world()
    _, token_key = AuthToken.objects.create(user=officer)  # the settings' knox tokens, hashed
    warmup = 10
    needed = len(SIDES) * (args.requests + warmup + 1)
    if args.throughput:
        needed += len(SIDES) * (int(args.seconds * 400) + 50)
    rows = iter(seed_valued(needed, bank=bank, enterprise=enterprise, officer=officer))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    for _ in range(warmup):
        for url, headers in SIDES.values():
            run(client, url(next(rows)), headers)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in SIDES}
    for _ in range(args.requests):
        for name, (url, headers) in SIDES.items():  # interleaved: every side sees the same machine
            samples[name].append(run(client, url(next(rows)), headers))
    queries = {}
    for name, (url, headers) in SIDES.items():
        with CaptureQueriesContext(connection) as ctx:
            run(client, url(next(rows)), headers)
        queries[name] = len(ctx.captured_queries)
        if args.sql:
            print(name, *(f"    {q['sql'][:110]}" for q in ctx.captured_queries), sep="\n")
    figures = {
        name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s)) for name, s in samples.items()
    }
    print(f"start_review, {args.requests} requests per side, Django test client, PostgreSQL")
    print(f"{'':20} {'median ms':>10} {'CPU ms':>8} {'queries':>8} {'x latency':>10} {'x CPU':>8}")
    bare_wall, bare_cpu = figures[BARE]
    for name, (wall, cpu) in figures.items():
        print(f"{name:20} {wall:10.2f} {cpu:8.2f} {queries[name]:8d} {wall / bare_wall:9.2f}x {cpu / bare_cpu:7.2f}x")
    print(f"goal: at most {GOAL_RATIO}x the bare view's latency and CPU, at most {GOAL_QUERIES} queries "
          "(BEGIN and COMMIT counted)")
    if args.throughput:
        print(throughput(token_key, rows, seconds=args.seconds, connections=args.connections))
    wall, cpu = figures[MINIMAL]
    ok = wall / bare_wall <= GOAL_RATIO and cpu / bare_cpu <= GOAL_RATIO and queries[MINIMAL] <= GOAL_QUERIES
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
