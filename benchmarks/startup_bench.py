"""Django start-up of the service against a bare Django project, each in fresh processes.

    .venv/bin/python benchmarks/startup_bench.py [--runs 9] [--settings config.settings.local]

What is timed is what a gunicorn worker does before its first request: import the WSGI module
(django.setup(): settings, every app and its models, then the middleware chain) and load the
URLconf with every view module it names. The baseline is a bare Django project in the same
run: settings.configure() with contenttypes and auth only, the same WSGI handler and a
one-view URLconf. Each run is a new interpreter (nothing cached in sys.modules), the two sides
interleaved; the time is taken inside the process from before `import django` (interpreter
start-up is the same for both and left out). Fastest and median of --runs.

Then `python -X importtime` of the service's start-up: the ten costliest non-standard-library
modules by cumulative import time (nested: a package's figure includes what it imports) and
the import time each top-level package costs by itself (self times summed; these add up).

Last, whether a web process imports reportlab: load the WSGI application, resolve every URL
pattern (each view's module imported), serve /healthz through the test client, and check that
no reportlab module is in sys.modules. PDFs are made by the Celery worker (documents/tasks.py).

Bytecode: every side reads compiled .pyc files from a throw-away PYTHONPYCACHEPREFIX (filled by
a first run, so nothing is written into the checkout). "pledgeflow, project compiled at each
start" is the same with the project's own .pyc removed and writing them off, which is what the
Docker image did before it ran compileall (PYTHONDONTWRITEBYTECODE=1, /app not writable by the
user gunicorn runs as: every worker compiled the project's sources again).

Runs on the embedded default's settings with a throw-away SQLite file (DATABASE_URL is set to
one under the temporary directory, so nothing in the checkout is touched). The machine's load
moves single figures a lot; import times are the least of --importtime-runs runs per module.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROJECT = """
import time
started = time.perf_counter()
import django
from django.urls import get_resolver
import config.wsgi  # django.setup() and the middleware chain, as gunicorn's worker does
get_resolver().url_patterns  # the URLconf and every view module it names
print((time.perf_counter() - started) * 1000)
"""

BARE = """
import time
started = time.perf_counter()
import sys, types
import django
from django.conf import settings
urls = types.ModuleType("bare_urls")
sys.modules["bare_urls"] = urls
settings.configure(
    DEBUG=False,
    SECRET_KEY="bench",
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    ROOT_URLCONF="bare_urls",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
from django.http import HttpResponse
from django.urls import get_resolver, path
urls.urlpatterns = [path("", lambda request: HttpResponse("ok"))]
get_resolver().url_patterns
print((time.perf_counter() - started) * 1000)
"""

WEB_PROCESS = """
import sys
import config.wsgi
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

def walk(resolver):
    count = 0
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            count += walk(pattern)
        else:
            pattern.callback  # the view itself, its module imported
            count += 1
    return count

patterns = walk(get_resolver())
response = Client().get("/healthz", HTTP_HOST="localhost")
loaded = sorted(name for name in sys.modules if name == "reportlab" or name.startswith("reportlab."))
print(patterns, response.status_code, len(loaded), " ".join(loaded[:5]))
"""


def child_env(settings: str, database: Path, pycache: Path, *, write_bytecode: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    if write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def without_project(pycache: Path, scratch: Path) -> Path:
    """A copy of the bytecode cache without the project's own modules (the stdlib's and the packages' kept)."""
    copy = scratch / "pycache-no-project"
    shutil.copytree(pycache, copy)
    shutil.rmtree(copy / ROOT.relative_to(ROOT.anchor), ignore_errors=True)
    return copy


def run(code: str, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        sys.exit(f"a start-up run failed:\n{done.stderr[-3000:]}")
    return done


def importtime(env: dict[str, str], runs: int) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) of every import in the service's start-up, least of `runs` runs each."""
    best: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        for line in run(PROJECT, env, "-X", "importtime").stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
            if match:
                name, own, cumulative = match.group(4), int(match.group(1)), int(match.group(2))
                previous = best.get(name, (own, cumulative))
                best[name] = (min(own, previous[0]), min(cumulative, previous[1]))
    return [(name, own, cumulative) for name, (own, cumulative) in best.items()]


def project_packages() -> set[str]:
    return {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--importtime-runs", type=int, default=3)
    parser.add_argument("--settings", default="config.settings.local")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pledgeflow-startup-") as scratch_dir:
        scratch = Path(scratch_dir)
        pycache = scratch / "pycache"
        env = child_env(args.settings, scratch / "startup.sqlite3", pycache)
        run(PROJECT, env)  # fills the bytecode cache of both sides and warms the file cache
        run(BARE, env)
        run(WEB_PROCESS, env)
        compiling = child_env(args.settings, scratch / "startup.sqlite3", without_project(pycache, scratch), write_bytecode=False)
        sides = {
            "pledgeflow": (PROJECT, env),
            "pledgeflow, project compiled at each start": (PROJECT, compiling),
            "bare Django": (BARE, env),
        }
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.runs):
            for name, (code, side_env) in sides.items():
                times[name].append(float(run(code, side_env).stdout.split()[-1]))
        print(f"start-up: django.setup() + WSGI handler + URLconf, {args.runs} fresh processes each ({args.settings})")
        print(f"{'':44} {'fastest ms':>11} {'median ms':>10} {'vs bare (fastest, median)':>27}")
        bare = times["bare Django"]
        for name, values in times.items():
            ratios = f"{min(values) / min(bare):.1f}x, {statistics.median(values) / statistics.median(bare):.1f}x"
            print(f"{name:44} {min(values):>11.0f} {statistics.median(values):>10.0f} {ratios:>27}")

        rows = importtime(env, args.importtime_runs)
        stdlib, ours = set(sys.stdlib_module_names), project_packages()
        not_stdlib = [row for row in rows if row[0].split(".")[0] not in stdlib]
        print(f"\nslowest imports by cumulative time, least of {args.importtime_runs} runs (not the standard library; nested, so they overlap):")
        for name, _, cumulative in sorted(not_stdlib, key=lambda row: -row[2])[:10]:
            owner = "project" if name.split(".")[0] in ours else "third-party"
            print(f"  {cumulative / 1000:8.1f} ms  {name} ({owner})")
        by_package: dict[str, int] = defaultdict(int)
        for name, own_us, _ in rows:
            by_package[name.split(".")[0]] += own_us
        shares: dict[str, int] = defaultdict(int)
        for package, own_us in by_package.items():
            shares["project" if package in ours else "stdlib" if package in stdlib else "third-party"] += own_us
        total = sum(by_package.values())
        split = ", ".join(f"{owner} {own_us / 1000:.0f} ms" for owner, own_us in sorted(shares.items(), key=lambda item: -item[1]))
        print(f"\nimport time by top-level package, self times summed: {total / 1000:.0f} ms ({split})")
        print(
            "(a module's self time is whatever ran while its body ran: django.setup() itself counts under config.wsgi,"
            " and so does a garbage-collection pass that falls there)"
        )
        for name, own_us in sorted(by_package.items(), key=lambda item: -item[1])[:12]:
            owner = "project" if name in ours else "stdlib" if name in stdlib else "third-party"
            print(f"  {own_us / 1000:8.1f} ms  {name} ({owner})")

        patterns, status, loaded, names = (run(WEB_PROCESS, env).stdout.split(maxsplit=3) + [""])[:4]
        verdict = "no" if loaded == "0" else f"YES ({loaded} modules: {names.strip()} ...)"
        print(
            f"\nweb process (WSGI app loaded, {patterns} URL patterns resolved to their views, /healthz answered "
            f"{status}): reportlab imported? {verdict}"
        )
        if loaded != "0":
            sys.exit(1)


if __name__ == "__main__":
    main()
