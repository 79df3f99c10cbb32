"""The Celery application "pledgeflow": settings come from Django's (namespace CELERY), plus its beat schedule."""
import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("pledgeflow")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Policy, not configuration: a worker that accepted pickle would run code sent by anyone who can
# write to Redis, so JSON is fixed here and wins over any setting.
app.conf.update(
    accept_content=["json"],
    result_accept_content=["json"],
    task_serializer="json",
    result_serializer="json",
)

# Defaults: a CELERY_* Django setting (config/settings/base.py, from the environment) overrides each.
PLEDGEFLOW_DEFAULTS = {
    # A task is acknowledged only once done, and put back if its worker dies mid-way; every
    # task takes ids and is safe to run twice, so a redelivery does no harm.
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
    # Such a task cannot be acknowledged once the broker connection is gone and will be redelivered
    # anyway: stop it rather than let it finish twice (Celery 6's default).
    "worker_cancel_long_running_tasks_on_connection_loss": True,
    # One message at a time per process: PDF tasks are slow, so prefetching starves others.
    "worker_prefetch_multiplier": 1,
    "task_time_limit": 300,
    "task_soft_time_limit": 240,
    # PDF building holds on to font and image caches; recycle processes now and then.
    "worker_max_tasks_per_child": 200,
    # Redis redelivers an unacknowledged message after this long; it must exceed the longest
    # task plus any retry countdown.
    "broker_transport_options": {"visibility_timeout": 3600},
    "broker_connection_retry_on_startup": True,
    "result_expires": 24 * 3600,
    "beat_schedule": {
        # The post-loan sweep (DOMAIN.md §2 step 8), early each morning, bank time (CELERY_TIMEZONE).
        "monitor-pledges-daily": {
            "task": "monitoring.tasks.monitor_pledges_run",
            "schedule": crontab(hour=6, minute=0),
        },
        # Documents queued while the broker was down are still pending: hand them to the queue again
        # (the task only picks those pending for more than 10 minutes; generating twice is a no-op).
        "documents-requeue-pending": {
            "task": "documents.tasks.documents_requeue_pending",
            "schedule": crontab(minute="*/15"),
        },
    },
}


def pledgeflow_defaults() -> dict:
    # Celery ranks add_defaults() above the config source, so leave out what Django sets.
    from django.conf import settings

    return {key: value for key, value in PLEDGEFLOW_DEFAULTS.items() if not hasattr(settings, f"CELERY_{key.upper()}")}


app.add_defaults(pledgeflow_defaults)

app.autodiscover_tasks()
