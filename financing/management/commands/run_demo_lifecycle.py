"""run_demo_lifecycle: one portfolio application through every stage to `released`, by the API's services."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import DomainError
from financing import services
from financing.demo import demo_seed
from financing.lifecycle import (
    DEMO_AMOUNT, DEMO_PATH, DEMO_PORTFOLIO, DEMO_US_PATH, DEMO_US_PORTFOLIO, demo_us_values, demo_values,
)
from valuation.selectors import valuation_current_for


class Command(BaseCommand):
    help = ("Walk one demo portfolio application from draft to released, then the demo's US pledge through "
            "recordation at the USPTO to its release, and write every document into --out (the US one's into --out/us).")

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
        self._walk(application, DEMO_PATH, demo_values(today=timezone.localdate()), users)
        self._export(application, out_dir)

        # The US pledge: recorded with reel and frame instead of registered, refused (if it were) by a
        # notice of non-recordation; the amount asked is what its valuation lets the bank lend.
        us = services.application_create(
            by=users["applicant"], bank=world.bank, patents=list(DEMO_US_PORTFOLIO), amount_requested=DEMO_AMOUNT,
            currency="USD", term_months=12, purpose="US production tooling, secured by the US patents (demo)",
        )
        self.stdout.write(f"{us.reference} created in draft by applicant for {', '.join(DEMO_US_PORTFOLIO)}")
        today = timezone.localdate()
        ucc1 = f"{today.year} {us.pk:07d}"  # a UCC-1 file number is the state's, one per financing statement
        self._walk(us, DEMO_US_PATH[:2], demo_us_values(today=today, amount=DEMO_AMOUNT, ucc1_file_number=ucc1), users)
        cap = valuation_current_for(us).loan_cap
        self._walk(us, DEMO_US_PATH[2:],
                   demo_us_values(today=today, amount=min(DEMO_AMOUNT, cap), ucc1_file_number=ucc1), users)
        self._export(us, out_dir / "us")

    def _walk(self, application, path, values, users) -> None:
        for name, username in path:
            source = application.state
            try:
                services.TRANSITIONS[name](application=application, by=users[username], **values[name])
            except DomainError as error:
                raise CommandError(f"{name} by {username} refused: {error.code}: {error.message} {error.details}") from error
            self.stdout.write(f"{name:<20} {source:>20} -> {application.state:<20} by {username}")

    def _export(self, application, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
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
