"""The application list at scale on PostgreSQL: p50/p95 of each list case a bank officer asks for.

    source "$(scripts/stack.sh up --no-worker)"            # or any DATABASE_URL on PostgreSQL
    .venv/bin/python benchmarks/list_bench.py               # 50,000 applications (quick)
    .venv/bin/python benchmarks/list_bench.py --rows 1000000

Seeds the database DATABASE_URL names (migrating it first) with N applications in plain SQL
(INSERT ... SELECT generate_series: seconds at 50,000, minutes at a million), each pledging one patent (every
tenth also the next one's, so `?patent=` finds one or two applications, as in life), loan terms for every state from
`recommended` on, across five banks of which the first holds 28% of the rows, like the issue's
figures. A seed of the same size is reused; --reseed forces a new one. The requests go through
the DRF test client with token authentication, as a bank officer of the big bank: the whole
view, filter, pagination and serializer, but no HTTP socket. The cases take turns, one request
each. Goal: p95 <= 50 ms for every case.
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

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import Bank, Enterprise, User  # noqa: E402
from accounts.roles import BANK_OFFICER  # noqa: E402

GOAL_P95_MS = 50.0
BANKS = 5
ENTERPRISES = 2000
BIG_BANK_SHARE = 28  # percent of rows
TERMS_STATES = (
    "recommended", "approved", "contracted", "registration_filed", "registered", "registration_refused",
    "disbursed", "released", "defaulted", "disposed",
)
STATES = (
    "draft", "submitted", "valued", "under_review", "recommended", "approved", "rejected", "contracted",
    "registration_filed", "registered", "registration_refused", "disbursed", "released", "defaulted",
    "disposed", "withdrawn",
)


def cn_number(serial: int) -> str:
    from patents.numbers import cn_check_digit

    twelve = f"20211{serial:07d}"
    return f"ZL{twelve}.{cn_check_digit(twelve)}"


def seed(rows: int) -> None:
    states_array = "ARRAY[" + ",".join(f"'{s}'" for s in STATES) + "]"
    terms_states = ",".join(f"'{s}'" for s in TERMS_STATES)
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE financing_auditentry, financing_loanterms, financing_pledgedpatent, "
            "financing_pledgeapplication, patents_patent_owners, patents_patent CASCADE"
        )
        officer = User.objects.get(username="bench_officer")
        banks = list(Bank.objects.filter(name__startswith="Bench bank").order_by("pk").values_list("pk", flat=True))
        enterprises = list(
            Enterprise.objects.filter(name__startswith="Bench enterprise").order_by("pk").values_list("pk", flat=True)
        )
        started = time.perf_counter()
        cur.execute(
            """
            INSERT INTO patents_patent (number, jurisdiction, kind, title, filing_date, grant_date, status,
                annual_fee_paid_until, ownership_frozen, invalidation_pending, same_day_twin, foreign_family,
                strategic_industry, award, term_adjustment_days, created_at, updated_at)
            SELECT 'ZL20211' || lpad(i::text, 7, '0') || '.X', 'CN', 'invention', 'Method number ' || i,
                DATE '2021-03-01', DATE '2022-06-01', 'in_force', DATE '2030-01-01', false, false, false, false,
                false, '', 0, now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [rows],
        )
        cur.execute("SELECT min(id) FROM patents_patent")
        first_patent = cur.fetchone()[0]
        cur.execute(
            f"""
            INSERT INTO financing_pledgeapplication (bank_id, enterprise_id, created_by_id, amount_requested,
                currency, term_months, purpose, state, rejection_reasons, state_changed_at, created_at, updated_at)
            SELECT
                CASE WHEN i %% 100 < {BIG_BANK_SHARE} THEN %(big)s ELSE (%(banks)s)[1 + i %% 4 + 1] END,
                (%(enterprises)s)[1 + i %% {ENTERPRISES}],
                %(officer)s,
                ((i::bigint * 7919) %% 100000 + 1) * 100.00,
                'CNY', 12, 'Working capital',
                ({states_array})[1 + (i * 31) %% {len(STATES)}],
                '[]'::jsonb,
                now() - make_interval(secs => (%(rows)s - i) * 30),
                now() - make_interval(secs => (%(rows)s - i) * 30),
                now()
            FROM generate_series(1, %(rows)s) AS i
            """,
            {"big": banks[0], "banks": banks, "enterprises": enterprises, "officer": officer.pk, "rows": rows},
        )
        cur.execute("SELECT min(id) FROM financing_pledgeapplication")
        first_application = cur.fetchone()[0]
        # Statistics before the foreign keys are checked a million times: right after a TRUNCATE the
        # planner takes both tables for empty, and checks each key by a scan of the whole table.
        cur.execute("ANALYZE patents_patent")
        cur.execute("ANALYZE financing_pledgeapplication")
        cur.execute(
            """
            INSERT INTO financing_pledgedpatent (application_id, patent_id, co_owner_consent)
            SELECT %(a)s + i - 1, %(p)s + i - 1, false FROM generate_series(1, %(rows)s) AS i
            UNION ALL
            SELECT %(a)s + i - 1, %(p)s + i %% %(rows)s, false FROM generate_series(20, %(rows)s, 10) AS i
            """,
            {"a": first_application, "p": first_patent, "rows": rows},
        )
        cur.execute(
            f"""
            INSERT INTO financing_loanterms (application_id, amount, annual_rate, term_months, recommended_by_id,
                recommended_at, default_reason, disposal_method)
            SELECT id, amount_requested, 0.0435, 12, %s, created_at, '', ''
            FROM financing_pledgeapplication WHERE state IN ({terms_states})
            """,
            [officer.pk],
        )
        cur.execute("UPDATE patents_patent SET number = %s WHERE id = %s", [cn_number(1), first_patent])
        print(f"seeded {rows:,} applications in {time.perf_counter() - started:.1f} s", flush=True)
    # Fresh statistics and a visibility map, as autovacuum would leave a long-lived table.
    with connection.cursor() as cur:
        for table in ("patents_patent", "financing_pledgeapplication", "financing_pledgedpatent", "financing_loanterms"):
            cur.execute(f"VACUUM ANALYZE {table}")


def ensure_world() -> User:
    for n in range(BANKS):
        Bank.objects.get_or_create(name=f"Bench bank {n}")
    existing = set(Enterprise.objects.filter(name__startswith="Bench enterprise").values_list("name", flat=True))
    Enterprise.objects.bulk_create(
        Enterprise(name=name)
        for name in (f"Bench enterprise {n}" for n in range(ENTERPRISES))
        if name not in existing
    )
    big_bank = Bank.objects.filter(name__startswith="Bench bank").order_by("pk").first()
    officer, _ = User.objects.get_or_create(username="bench_officer", defaults={"bank": big_bank})
    officer.groups.set([Group.objects.get_or_create(name=BANK_OFFICER)[0]])
    return officer


def seeded_rows() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM financing_pledgeapplication")
        return cur.fetchone()[0]


def measure(client: APIClient, urls: list[str], repeat: int) -> list[tuple[float, float, float, int, int]]:
    """p50, p95, median CPU, queries and rows of each url. The urls take turns, one request each, so
    that a busy moment of a shared machine falls on every case alike rather than on one case's run."""
    for url in urls:
        for _ in range(3):  # warm the caches and the code paths
            client.get(url)
    times, cpu = {url: [] for url in urls}, {url: [] for url in urls}
    for _ in range(repeat):
        for url in urls:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times[url].append((time.perf_counter() - started) * 1000)
            cpu[url].append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
    figures = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        p50 = statistics.median(times[url])
        p95 = statistics.quantiles(times[url], n=20)[-1] if len(times[url]) >= 20 else max(times[url])
        figures.append((p50, p95, statistics.median(cpu[url]), len(ctx.captured_queries), len(response.json()["results"])))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the SQL of each case's slowest query")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("list_bench needs PostgreSQL: set DATABASE_URL (scripts/stack.sh up prints one)", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    officer = ensure_world()
    if args.reseed or seeded_rows() != args.rows:
        seed(args.rows)
    _, token_key = AuthToken.objects.create(user=officer)  # the settings' knox tokens, hashed
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    in_scope = officer.bank.applications.count()
    print(f"{args.rows:,} applications; the officer's bank holds {in_scope:,}; {args.repeat} requests per case")
    deep_page = min(1000, in_scope // 25)  # page 1000 exists from 100,000 rows on
    cases = [
        ("first page", "/api/v1/applications/"),
        ("?state=under_review", "/api/v1/applications/?state=under_review"),
        ("?patent=", f"/api/v1/applications/?patent={cn_number(1)}"),
        ("?ordering=-amount_requested", "/api/v1/applications/?ordering=-amount_requested"),
        (f"page {deep_page}", f"/api/v1/applications/?page={deep_page}"),
    ]
    failed = False
    # CPU: this process's (Django's) median per request, apart from PostgreSQL's; on a busy machine
    # it moves less than the wall-clock figures.
    print(f"{'case':32} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8} {'rows':>5}  goal p95 <= {GOAL_P95_MS:.0f} ms")
    for (name, url), (p50, p95, cpu, queries, results) in zip(cases, measure(client, [u for _, u in cases], args.repeat)):
        ok = p95 <= GOAL_P95_MS
        failed |= not ok
        print(f"{name:32} {p50:8.1f} {p95:8.1f} {cpu:7.1f} {queries:8d} {results:5d}  {'ok' if ok else 'OVER'}", flush=True)
        if args.explain:
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            for query in ctx.captured_queries:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
