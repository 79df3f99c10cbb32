"""`manage.py check --deploy` with production settings: clean but for the warnings README's
"Production" section explains (W008: the TLS proxy redirects; W021: HSTS preload is the bank's choice)."""
from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXPLAINED = {"security.W008", "security.W021"}


def deploy_check(**extra: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),  # 54 characters
        "DJANGO_ALLOWED_HOSTS": "x",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=REPO, env=environment, capture_output=True,
        text=True, timeout=120,
    )


def warning_ids(output: str) -> set[str]:
    return set(re.findall(r"\(([a-z_.]+\.[EW]\d+)\)", output))


def test_check_deploy_warns_only_of_what_the_readme_explains():
    result = deploy_check()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert warning_ids(output) <= EXPLAINED, output
    readme = (REPO / "README.md").read_text()
    for warning in EXPLAINED:
        assert warning in readme, f"README does not explain {warning}"


def test_opting_in_to_redirect_and_preload_leaves_no_warning():
    result = deploy_check(DJANGO_SECURE_SSL_REDIRECT="true", DJANGO_SECURE_HSTS_PRELOAD="true")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert warning_ids(output) == set(), output
    assert "no issues" in output


@pytest.mark.parametrize(
    "extra,warning",
    [({"DJANGO_SECURE_HSTS_SECONDS": "0"}, "security.W004"), ({"DJANGO_SECURE_COOKIES": "false"}, "security.W012")],
)
def test_turning_protections_off_is_reported(extra, warning):
    result = deploy_check(**extra)
    assert warning in warning_ids(result.stdout + result.stderr)


PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(repr((s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
    " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)))"
)


def production_settings(**extra: str) -> tuple:
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.production",
                   "DJANGO_SECRET_KEY": secrets.token_urlsafe(40), **extra}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 (our own repr of plain values)


def test_production_defaults_hsts_on_and_no_proxy_header_trusted():
    assert production_settings() == (31536000, True, None, True, True)


def test_the_proxy_header_is_trusted_only_when_configured():
    assert production_settings(DJANGO_BEHIND_TLS_PROXY="true")[2] == ("HTTP_X_FORWARDED_PROTO", "https")
