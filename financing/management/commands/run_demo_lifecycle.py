"""run_demo_lifecycle: one portfolio application through every stage to `released`, by the API's services."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import DomainError
from financing import services
from financing.demo import demo_seed
from financing.lifecycle import DEMO_AMOUNT, DEMO_PATH, DEMO_PORTFOLIO, demo_values


class Command(BaseCommand):
    help = "Walk one demo portfolio application from draft to released and write every document into --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="directory for the documents (created if missing)")

    def handle(self, *args, out, **options):
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        world = demo_seed()
        users = world.users
        application = services.application_create(
            by=users["applicant"],
            bank=world.bank,
            patents=list(DEMO_PORTFOLIO),
            amount_requested=DEMO_AMOUNT,
            currency="CNY",
            term_months=12,
            purpose="Expand the adaptive-lens production line (demo)",
        )
        self.stdout.write(f"{application.reference} created in draft by applicant for {', '.join(DEMO_PORTFOLIO)}")
        values = demo_values(today=timezone.localdate())
        for name, username in DEMO_PATH:
            source = application.state
            try:
                services.TRANSITIONS[name](application=application, by=users[username], **values[name])
            except DomainError as error:
                raise CommandError(f"{name} by {username} refused: {error.code}: {error.message} {error.details}") from error
            self.stdout.write(f"{name:<20} {source:>20} -> {application.state:<20} by {username}")
        written = _export_documents(application, out_dir)
        self.stdout.write(f"{application.reference} ended in {application.state}; {len(written)} documents in {out_dir}")
        for path in written:
            self.stdout.write(f"  {path}")


def _export_documents(application, out_dir: Path) -> list[Path]:
    try:
        from documents.services import documents_export
    except ImportError:
        return []
    return documents_export(application=application, out_dir=out_dir)
