"""Test settings: the embedded default unless the environment names a real stack."""
from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
MEDIA_ROOT = env.path("PLEDGEFLOW_STORAGE_DIR", default=BASE_DIR / "var" / "test-media")
# Tests run tasks in-process; the real-stack tests switch this off for themselves.
CELERY_TASK_ALWAYS_EAGER = True
# Throttle counts in this process's memory, emptied between tests (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The webhook tests' receivers listen on loopback.
PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK = True
