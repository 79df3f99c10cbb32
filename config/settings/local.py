"""The embedded default: SQLite, tasks in-process, files on local disk. What a newcomer gets."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A developer's webhook receiver runs on this machine.
PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK = env.bool("PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK", default=True)
