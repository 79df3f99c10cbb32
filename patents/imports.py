"""Bulk load of the patent register from CSV, for `import_patents` and the registrar's import page.

CSV columns (header row required; UTF-8, a BOM from Excel is fine; order free):

  number                 required  ZL202110921116.9 / "ZL 2021 1 0921116.9" / US10123456B2 (normalised on load)
  title                  required
  filing_date            required  YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD); a CN number's year must match
  grant_date             optional  empty while not granted; not before filing_date
  owners                 optional  enterprises separated by ";": unified credit code, name or Chinese name
  status                 optional  in_force (default), lapsed, expired, invalidated
  annual_fee_paid_until  optional  date
  ownership_frozen, invalidation_pending, same_day_twin, foreign_family, strategic_industry
                         optional  true/false, yes/no, 1/0, 是/否; empty is false
  award                  optional  empty, national_science_technology_award, national_patent_award
  term_adjustment_days   optional  days added to the term: US utility patents' term adjustment, Chinese
                                   inventions' term compensation (Patent Law art. 42); default 0
  jurisdiction, kind     optional  if given, must agree with what the number says

Each row is judged by the register's rules (patents.rules), as the API judges a patent, and saved
through the same services (patents.services), all or nothing per row. A number already on the
register is updated from its row (owners replaced); a new one is created. Rejected rows come back
with their line, field and reason, and as CSV (the original columns plus "errors") to correct and
load again.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import Enterprise
from core.errors import PermissionRefused, ValidationFailed
from patents import rules
from patents.models import Patent
from patents.services import may_write_register, patent_create, patent_update

REQUIRED_COLUMNS = ("number", "title", "filing_date")
FLAG_COLUMNS = ("ownership_frozen", "invalidation_pending", "same_day_twin", "foreign_family", "strategic_industry")
OPTIONAL_COLUMNS = (
    "grant_date",
    "owners",
    "status",
    "annual_fee_paid_until",
    *FLAG_COLUMNS,
    "award",
    "term_adjustment_days",
    "jurisdiction",
    "kind",
)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

TRUE_WORDS = {"true", "t", "yes", "y", "1", "是", "x"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "否", ""}
DATE_SEPARATORS = ("-", "/", ".")
OWNER_SEPARATORS = (";", "；", "|")


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    message: str


class RowRejected(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


class OwnerDirectory:
    """Enterprises by credit code, name and Chinese name, loaded once for the whole file."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Enterprise]] = {}
        for enterprise in Enterprise.objects.all():
            for key in {enterprise.credit_code, enterprise.name, enterprise.name_zh}:
                if key:
                    self.by_key.setdefault(key.strip().casefold(), []).append(enterprise)

    def find(self, text: str) -> Enterprise:
        matches = {e.pk: e for e in self.by_key.get(text.strip().casefold(), [])}
        if not matches:
            raise ValueError(f"no enterprise with credit code or name '{text.strip()}'")
        if len(matches) > 1:
            raise ValueError(f"'{text.strip()}' names {len(matches)} enterprises; use the credit code")
        return next(iter(matches.values()))


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for separator in DATE_SEPARATORS:
        parts = text.split(separator)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                break
    raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")


def _flag(text: str) -> bool:
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"'{text}' is not true or false")


def parse_row(row: dict[str, str], owners: OwnerDirectory, *, today: dt.date) -> tuple[dict, list[Enterprise]]:
    """The Patent fields and owners a CSV row describes; RowRejected naming every bad field.

    The row's text is read here (dates, flags, choices, owners); whether the patent it describes
    may be on the register is patents.rules' to say.
    """
    problems: list[tuple[str, str]] = []
    value = {name: (row.get(name) or "").strip() for name in KNOWN_COLUMNS}
    fields: dict = {"number": value["number"], "title": value["title"]}
    if value["jurisdiction"]:
        fields["jurisdiction"] = value["jurisdiction"].upper()
    if value["kind"]:
        fields["kind"] = value["kind"]

    if len(value["title"]) > Patent._meta.get_field("title").max_length:
        problems.append(("title", f"longer than {Patent._meta.get_field('title').max_length} characters"))

    for name in ("filing_date", "grant_date", "annual_fee_paid_until"):
        try:
            fields[name] = _date(value[name])
        except ValueError as error:
            problems.append((name, str(error)))

    status = value["status"] or Patent.Status.IN_FORCE
    if status not in Patent.Status.values:
        problems.append(("status", f"'{status}' is not one of {', '.join(Patent.Status.values)}"))
    fields["status"] = status

    award = value["award"]
    if award not in Patent.Award.values:
        problems.append(("award", f"'{award}' is not one of {', '.join(v for v in Patent.Award.values if v)}"))
    fields["award"] = award

    for name in FLAG_COLUMNS:
        try:
            fields[name] = _flag(value[name])
        except ValueError as error:
            problems.append((name, str(error)))

    adjustment = value["term_adjustment_days"] or "0"
    if not adjustment.isdigit():
        problems.append(("term_adjustment_days", f"'{adjustment}' is not a whole number of days"))
    else:
        fields["term_adjustment_days"] = int(adjustment)

    enterprises: list[Enterprise] = []
    text = value["owners"]
    for separator in OWNER_SEPARATORS[1:]:
        text = text.replace(separator, OWNER_SEPARATORS[0])
    for name in filter(None, (part.strip() for part in text.split(OWNER_SEPARATORS[0]))):
        try:
            enterprises.append(owners.find(name))
        except ValueError as error:
            problems.append(("owners", str(error)))

    unreadable = {name for name, _ in problems}
    check = rules.check_patent(fields, today=today)
    for name, messages in check.problems.items():
        if name not in unreadable:  # a value that could not be read is reported once, as unreadable
            problems.extend((name, message) for message in messages)
    if problems:
        raise RowRejected(problems)
    return check.values, enterprises


def save_row(fields: dict, owners: list[Enterprise]) -> bool:
    """Create or update one patent and its owners through the register's services; True if it was created."""
    with transaction.atomic():
        patent = Patent.objects.select_for_update().filter(number=fields["number"]).first()
        if patent is None:
            patent_create(by=None, owners=owners, **fields)
            return True
        patent_update(patent=patent, by=None, owners=owners, **fields)
        return False


class UnreadableFile(ValueError):
    """The file as a whole cannot be loaded: not UTF-8 CSV, or its header lacks or has unknown columns."""


def csv_rows(handle: TextIO, *, delimiter: str = ",", name: str = "the file") -> tuple[list[tuple[int, dict]], list[str]]:
    """The rows of a CSV text stream, each with the line it ended on, and its header; UnreadableFile if unusable."""
    reader = csv.DictReader(handle, delimiter=delimiter)
    try:
        fieldnames = [column.strip() for column in (reader.fieldnames or [])]
        reader.fieldnames = fieldnames
        missing = [c for c in REQUIRED_COLUMNS if c not in fieldnames]
        if missing:
            raise UnreadableFile(f"{name}: missing column(s) {', '.join(missing)}; the header has {fieldnames}")
        unknown = [c for c in fieldnames if c and c not in KNOWN_COLUMNS]
        if unknown:
            raise UnreadableFile(f"{name}: unknown column(s) {', '.join(unknown)}; known: {', '.join(KNOWN_COLUMNS)}")
        # reader.line_num after a row is the line it ended on: quoted fields may span lines.
        rows = [(reader.line_num, row) for row in reader]
    except (UnicodeDecodeError, csv.Error) as error:
        raise UnreadableFile(f"{name}: not a readable UTF-8 CSV file ({error})") from None
    return rows, fieldnames


@dataclass
class ImportResult:
    """What one import did: counts, every rejection, and the rejected rows as they were read."""

    fieldnames: list[str]
    total: int = 0
    created: int = 0
    updated: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rejected_rows: list[tuple[dict, list[Rejection]]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def rejects_csv(self, *, delimiter: str = ",") -> str:
        """The rejected rows with an "errors" column, to correct and load again; "" when none were rejected."""
        if not self.rejected_rows:
            return ""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[*self.fieldnames, "errors"], delimiter=delimiter,
                                extrasaction="ignore")
        writer.writeheader()
        for row, found in self.rejected_rows:
            errors = "; ".join(f"{r.field or 'row'}: {r.message}" for r in found)
            writer.writerow({**row, "errors": errors})
        return out.getvalue()


def _load(line: int, row: dict, owners: OwnerDirectory, today: dt.date, result: ImportResult) -> list[Rejection]:
    try:
        fields, enterprises = parse_row(row, owners, today=today)
        if save_row(fields, enterprises):
            result.created += 1
        else:
            result.updated += 1
        return []
    except RowRejected as rejected:
        return [Rejection(line, name, message) for name, message in rejected.problems]
    except ValidationFailed as error:
        return [Rejection(line, name, message) for name, messages in error.details.items() for message in messages]
    except DatabaseError as error:
        return [Rejection(line, "", f"the database refused the row: {error}")]


def patents_import(
    *,
    rows: list[tuple[int, dict]],
    fieldnames: list[str],
    by=None,
    batch_size: int = 500,
    on_row: Callable[[], None] | None = None,
) -> ImportResult:
    """Load `rows` (from csv_rows) into the register; `by` None is the command line, else a registrar or admin.

    One commit per batch, a savepoint per row: a bad row rolls back alone, but the database syncs to
    disk once per batch instead of once per row.
    """
    if by is not None and not may_write_register(by):
        raise PermissionRefused("only registrars and administrators may change the patent register")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    owners = OwnerDirectory()
    today = timezone.localdate()
    result = ImportResult(fieldnames=list(fieldnames), total=len(rows))
    for start in range(0, len(rows), batch_size):
        with transaction.atomic():
            for line, row in rows[start : start + batch_size]:
                found = _load(line, row, owners, today, result)
                if found:
                    result.rejections.extend(found)
                    result.rejected_rows.append((row, found))
                if on_row is not None:
                    on_row()
    return result
