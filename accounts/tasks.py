"""Celery tasks of the accounts app."""
from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from knox.models import get_token_model


# Daily (config.settings CELERY_BEAT_SCHEDULE): API tokens past their expiry. accounts.auth refuses an
# expired token the moment it is used; this removes the ones nobody used again. Safe to run twice.
@shared_task(name="accounts.tasks.tokens_clear_expired", acks_late=True)
def tokens_clear_expired() -> int:
    deleted, _ = get_token_model().objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
