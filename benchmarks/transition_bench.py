"""`start_review` through the whole project against a bare DRF view doing the minimal write, on PostgreSQL.

    source "$(scripts/stack.sh up --no-worker)"            # or any DATABASE_URL on PostgreSQL
    .venv/bin/python benchmarks/transition_bench.py [--requests 300]

Both answer a POST through Django's test client (the middleware, URL resolution, DRF, token
authentication; no socket, so the figures are the process's own work) in the same run, interleaved:

- pledgeflow: POST /api/v1/applications/<id>/transitions/start_review/ as a bank officer, which
  checks role, state and payload, fires the state machine, saves under the optimistic lock, writes
  the audit entry and answers with the application's full detail.
- bare: an APIView with token authentication that, in one transaction, runs one guarded
  UPDATE ... WHERE state = 'valued' and one audit INSERT, and answers {"state": ...}.

Each request takes a fresh application seeded in bulk in the state `valued` (each with two pledged
patents), so no request undoes another's work and both sides do the same transition once per row.
Goal (issue 11): pledgeflow at most 1.5x the bare view in median latency and CPU, at most 8 queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
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
from accounts.roles import BANK_OFFICER  # noqa: E402
from financing.models import AuditEntry, PledgeApplication  # noqa: E402

GOAL_RATIO = 1.5
GOAL_QUERIES = 8


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


def run(client: APIClient, url: str) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.post(url, {}, format="json")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return wall * 1000, cpu * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="per side")
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
    rows = iter(seed_valued(2 * (args.requests + warmup + 1), bank=bank, enterprise=enterprise, officer=officer))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    sides = {
        "pledgeflow": lambda pk: f"/api/v1/applications/{pk}/transitions/start_review/",
        "bare DRF": lambda pk: f"/bare/{pk}/start_review/",
    }
    for _ in range(warmup):
        for url in sides.values():
            run(client, url(next(rows)))
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    for _ in range(args.requests):
        for name, url in sides.items():  # interleaved: both sides see the same machine
            samples[name].append(run(client, url(next(rows))))
    queries = {}
    for name, url in sides.items():
        with CaptureQueriesContext(connection) as ctx:
            run(client, url(next(rows)))
        queries[name] = len(ctx.captured_queries)
        if args.sql:
            print(name, *(f"    {q['sql'][:110]}" for q in ctx.captured_queries), sep="\n")
    figures = {
        name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s)) for name, s in samples.items()
    }
    print(f"start_review, {args.requests} requests per side, Django test client, PostgreSQL")
    print(f"{'':12} {'median ms':>10} {'CPU ms':>8} {'queries':>8}")
    for name, (wall, cpu) in figures.items():
        print(f"{name:12} {wall:10.2f} {cpu:8.2f} {queries[name]:8d}")
    (pw, pc), (bw, bc) = figures["pledgeflow"], figures["bare DRF"]
    latency, cpu = pw / bw, pc / bc
    print(f"ratio        {latency:9.2f}x {cpu:7.2f}x   goal <= {GOAL_RATIO}x, <= {GOAL_QUERIES} queries")
    ok = latency <= GOAL_RATIO and cpu <= GOAL_RATIO and queries["pledgeflow"] <= GOAL_QUERIES
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
