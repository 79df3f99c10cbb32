"""The Celery application "pledgeflow": all of its configuration is Django's settings (namespace CELERY)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("pledgeflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
