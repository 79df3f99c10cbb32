"""documents_requeue: queue again the documents still pending (queued while the broker was down)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from documents.services import documents_requeue_pending


class Command(BaseCommand):
    help = "Queue again every document still pending after --older-than minutes (default 2, as beat runs it)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=2, help="minutes a document has been pending")

    def handle(self, *args, older_than, **options):
        count = documents_requeue_pending(older_than=dt.timedelta(minutes=older_than))
        self.stdout.write(f"{count} pending document(s) queued again")
