"""The Celery application "pledgeflow": all of its configuration is Django's settings (namespace CELERY)."""
import os

from celery import Celery

# A worker or beat started without DJANGO_SETTINGS_MODULE serves real loans: production settings, which
# refuse to start without a real secret key. Only manage.py defaults to the local, debugging settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("pledgeflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
