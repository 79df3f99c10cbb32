"""Check docker-compose.yml against the settings: services, commands, environment and volumes.

Run by .ci/run after `docker-compose config` has parsed the file (no Docker engine needed):

    .venv/bin/python scripts/compose_check.py

It renders the file with `docker-compose config` in a scratch directory holding a .env made from
.env.example, then checks what the containers would get, and finally loads
config.settings.production with the web service's environment to see that the settings read it
as intended. Exit status 1 and one line per problem when anything is off.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
# Names docker-compose itself uses, not settings the app reads.
COMPOSE_ONLY = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "PLEDGEFLOW_HTTP_PORT", "GUNICORN_WORKERS"}
# Read by Django/Celery before or outside the settings files.
PROCESS_LEVEL = {"DJANGO_SETTINGS_MODULE"}
CI_SECRET_KEY = "compose-check-only-0123456789abcdefghijklmnopqrstuvwxyz"
CI_DB_PASSWORD = "compose-check-only"

problems: list[str] = []


def problem(message: str) -> None:
    problems.append(message)


def settings_names() -> set[str]:
    """Every environment name the settings modules read through django-environ."""
    names: set[str] = set()
    for path in sorted((REPO / "config" / "settings").glob("*.py")):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', path.read_text()))
    return names


def documented_names() -> set[str]:
    text = (REPO / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def compose_config(scratch: Path) -> list[str]:
    return ["docker-compose", "--project-directory", str(scratch), "-f", str(scratch / "docker-compose.yml"), "config"]


def render_compose() -> dict:
    """`docker-compose config` in a scratch copy, with a .env as an operator would write it."""
    scratch = Path(tempfile.mkdtemp(prefix="pledgeflow-compose-"))
    try:
        shutil.copy(REPO / "docker-compose.yml", scratch / "docker-compose.yml")
        env_lines = (REPO / ".env.example").read_text().splitlines()
        env_lines += [f"DJANGO_SECRET_KEY={CI_SECRET_KEY}", f"POSTGRES_PASSWORD={CI_DB_PASSWORD}"]
        (scratch / ".env").write_text("\n".join(env_lines) + "\n")
        rendered = subprocess.run(
            compose_config(scratch), capture_output=True, text=True, cwd=scratch,
        )
        if rendered.returncode != 0:
            sys.exit(f"docker-compose config failed:\n{rendered.stderr}")
        # Without the secret, compose must refuse rather than start production with no key.
        (scratch / ".env").write_text(f"POSTGRES_PASSWORD={CI_DB_PASSWORD}\n")
        refused = subprocess.run(
            compose_config(scratch), capture_output=True, text=True, cwd=scratch,
        )
        if refused.returncode == 0 or "DJANGO_SECRET_KEY" not in refused.stderr:
            problem("docker-compose config accepts a missing DJANGO_SECRET_KEY")
        return yaml.safe_load(rendered.stdout)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    if isinstance(command, str):
        command = command.split()
    return [word for part in command for word in str(part).split()]


def mounts(service: dict) -> dict[str, str]:
    """Container path -> volume name, for named volumes."""
    found = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source"), volume.get("target")
        found[target] = source
    return found


def check_services(compose: dict) -> None:
    services = compose.get("services", {})
    if set(services) != SERVICES:
        problem(f"services are {sorted(services)}, expected {sorted(SERVICES)}")
    for name, service in services.items():
        if not (service.get("healthcheck") or {}).get("test"):
            problem(f"{name}: no health check")
        if name in APP_SERVICES:
            depends = service.get("depends_on") or {}
            for needed in ("postgres", "redis"):
                if (depends.get(needed) or {}).get("condition") != "service_healthy":
                    problem(f"{name}: does not wait for {needed} to be healthy")
    for name in ("postgres", "redis"):
        if not any(target for target in mounts(services.get(name, {}))):
            problem(f"{name}: keeps its data in no volume")


def check_commands(compose: dict) -> None:
    services = compose.get("services", {})
    web = " ".join(command_words(services.get("web", {})))
    migrate, gunicorn = web.find("manage.py migrate"), web.find("gunicorn config.wsgi:application")
    if migrate < 0 or gunicorn < 0 or migrate > gunicorn:
        problem(f"web: should run `manage.py migrate` and then `gunicorn config.wsgi:application`: {web!r}")
    if "0.0.0.0:8000" not in web:
        problem("web: gunicorn does not bind 0.0.0.0:8000")
    if not any(str(port).endswith("8000") for port in services.get("web", {}).get("ports", []) or []) and not any(
        isinstance(port, dict) and port.get("target") == 8000 for port in services.get("web", {}).get("ports", []) or []
    ):
        problem("web: port 8000 is not published")
    if "localhost:8000/healthz" not in json.dumps(services.get("web", {}).get("healthcheck", {})):
        problem("web: the health check does not call /healthz on port 8000")
    for name, role in (("worker", "worker"), ("beat", "beat")):
        words = command_words(services.get(name, {}))
        if words[:4] != ["celery", "-A", "config", role]:
            problem(f"{name}: command should start `celery -A config {role}`, is {words[:4]}")
    dockerfile = (REPO / "Dockerfile").read_text()
    if "EXPOSE 8000" not in dockerfile or "collectstatic" not in dockerfile:
        problem("Dockerfile: should EXPOSE 8000 and run collectstatic")


def check_environment(compose: dict, known: set[str]) -> dict[str, str]:
    services = compose.get("services", {})
    envs = {
        name: {k: ("" if v is None else str(v)) for k, v in (services.get(name, {}).get("environment") or {}).items()}
        for name in APP_SERVICES
    }
    web = envs["web"]
    for name in APP_SERVICES[1:]:
        for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL", "PLEDGEFLOW_STORAGE_DIR",
                    "DJANGO_SECRET_KEY"):
            if envs[name].get(key) != web.get(key):
                problem(f"{name}: {key} differs from web's")
    for name, env in envs.items():
        for key in env:
            if key not in known | COMPOSE_ONLY | PROCESS_LEVEL:
                problem(f"{name}: sets {key}, which no setting reads (typo?)")
        if env.get("DJANGO_SETTINGS_MODULE") != "config.settings.production":
            problem(f"{name}: DJANGO_SETTINGS_MODULE is {env.get('DJANGO_SETTINGS_MODULE')!r}, not production")
        if env.get("DJANGO_SECRET_KEY") != CI_SECRET_KEY:
            problem(f"{name}: DJANGO_SECRET_KEY does not come from .env")

    postgres_env = services.get("postgres", {}).get("environment") or {}
    database = urlsplit(web.get("DATABASE_URL", ""))
    if database.scheme not in {"postgres", "postgresql", "pgsql"} or database.hostname != "postgres":
        problem(f"DATABASE_URL should point at the postgres service: {web.get('DATABASE_URL')!r}")
    if (database.username, database.password, database.path.lstrip("/")) != (
        postgres_env.get("POSTGRES_USER"), postgres_env.get("POSTGRES_PASSWORD"), postgres_env.get("POSTGRES_DB")
    ):
        problem("DATABASE_URL's user, password or database differ from the postgres service's")
    for key in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = urlsplit(web.get(key, ""))
        if url.scheme != "redis" or url.hostname != "redis":
            problem(f"{key} should point at the redis service: {web.get(key)!r}")

    storage = web.get("PLEDGEFLOW_STORAGE_DIR", "")
    volumes = {name: mounts(services.get(name, {})).get(storage) for name in ("web", "worker")}
    if not volumes["web"] or volumes["web"] != volumes["worker"]:
        problem(f"web and worker must share one volume at PLEDGEFLOW_STORAGE_DIR={storage!r}: {volumes}")
    return web


def check_documented(known: set[str]) -> None:
    documented = documented_names()
    for name in sorted(known - documented):
        problem(f".env.example does not document {name}, which the settings read")
    for name in sorted(documented - known - COMPOSE_ONLY - PROCESS_LEVEL):
        problem(f".env.example documents {name}, which nothing reads")


PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from config.celery import app
app.loader.import_default_modules()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_host": settings.DATABASES["default"]["HOST"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "media_root": str(settings.MEDIA_ROOT),
    "static_root": str(settings.STATIC_ROOT),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "serializer": app.conf.task_serializer,
    "accept": list(app.conf.accept_content),
    "beat_tasks": sorted(entry["task"] for entry in app.conf.beat_schedule.values()),
    "registered_tasks": sorted(app.tasks),
}))
"""


def check_settings_read_it(web_env: dict[str, str]) -> None:
    """Production settings, loaded with web's environment, must see a real stack."""
    env = {"PATH": "/usr/bin:/bin", **web_env}
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, env=env)
    if probe.returncode != 0:
        problem(f"config.settings.production does not load with web's environment:\n{probe.stderr[-2000:]}")
        return
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    expected = {
        "debug": False,
        "engine": "django.db.backends.postgresql",
        "db_host": "postgres",
        "broker": web_env.get("CELERY_BROKER_URL"),
        "eager": False,
        "media_root": web_env.get("PLEDGEFLOW_STORAGE_DIR"),
        "static_root": web_env.get("PLEDGEFLOW_STATIC_ROOT"),
        "session_cookie_secure": True,
        "serializer": "json",
        "accept": ["json"],
    }
    for key, value in expected.items():
        if seen[key] != value:
            problem(f"production settings read {key}={seen[key]!r}, expected {value!r}")
    for task in ("monitoring.tasks.monitor_pledges_run", "documents.tasks.documents_requeue_pending"):
        if task not in seen["beat_tasks"]:
            problem(f"beat does not schedule {task}: {seen['beat_tasks']}")
    for task in sorted(set(seen["beat_tasks"]) - set(seen["registered_tasks"])):
        problem(f"beat schedules {task}, which no worker would know")

    # And with the development key it must refuse to start.
    unsafe = {**env, "DJANGO_SECRET_KEY": "django-insecure-pledgeflow-embedded-default-only"}
    refused = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, env=unsafe)
    if refused.returncode == 0 or "ImproperlyConfigured" not in refused.stderr:
        problem("config.settings.production starts with the development secret key")


def main() -> int:
    if shutil.which("docker-compose") is None:
        sys.exit("docker-compose is not installed (Debian: apt-get install docker-compose)")
    known = settings_names()
    compose = render_compose()
    check_services(compose)
    check_commands(compose)
    web_env = check_environment(compose, known)
    check_documented(known)
    check_settings_read_it(web_env)
    for line in problems:
        print(f"compose_check: {line}")
    if problems:
        return 1
    print(f"compose_check: docker-compose.yml matches the settings ({len(SERVICES)} services, "
          f"{len(known)} settings documented)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
