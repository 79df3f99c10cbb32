"""`import_patents FILE.csv`: bulk load of the patent register, each row saved whole or not at all.

The columns and rules are patents.imports' (its docstring lists them); this command reads the file,
shows a progress bar and prints the summary. Rejected rows are listed at the end with their line,
field and reason, and with --rejects FILE written out as CSV (the original columns plus "errors")
to correct and load again. The registrar's import page in the portal does the same.
"""
from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from patents.imports import ImportResult, UnreadableFile, csv_rows, patents_import


class Command(BaseCommand):
    help = "Load patents into the register from a CSV file (see patents.imports for the columns)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--rejects", type=Path, help="write rejected rows, with an 'errors' column, to this CSV")
        parser.add_argument("--delimiter", default=",", help="column separator (default ',')")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="rows per commit; each row is still all-or-nothing (default 500)"
        )

    def handle(
        self, *args, csv_file: Path, rejects: Path | None, delimiter: str, no_progress: bool, batch_size: int, **options
    ):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            handle = csv_file.open(newline="", encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"cannot read {csv_file}: {error.strerror}") from None
        with handle:
            try:
                rows, fieldnames = csv_rows(handle, delimiter=delimiter, name=str(csv_file))
            except UnreadableFile as error:
                raise CommandError(str(error)) from None

        progress = tqdm(total=len(rows), unit="row", disable=no_progress, file=sys.stderr)
        result = patents_import(rows=rows, fieldnames=fieldnames, batch_size=batch_size,
                                on_row=lambda: progress.update(1))
        progress.close()

        self._summarise(result)
        if rejects and result.rejected_rows:
            rejects.write_text(result.rejects_csv(delimiter=delimiter), encoding="utf-8")
            self.stdout.write(f"Rejected rows written to {rejects}")

    def _summarise(self, result: ImportResult) -> None:
        self.stdout.write(f"{result.total} rows: {result.created} created, {result.updated} updated, "
                          f"{result.rejected} rejected")
        if result.rejections:
            self.stdout.write("Rejected rows:")
            for r in result.rejections:
                self.stdout.write(f"  line {r.line}: {r.field or '(row)'}: {r.message}")
