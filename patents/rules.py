"""The patent register's rules: every problem, per field, with a set of patent values (DOMAIN.md §3). Pure.

The API (through patents.services) and `import_patents` both judge a patent here, so a value one
accepts the other accepts, with the same field and message. Shapes (a date that is not a date, a
status that is not one of the choices, a title too long for its column) are the caller's: the
serializer, the CSV parser and the model's own validation.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from patents import terms
from patents.numbers import PatentNumber, PatentNumberError, parse_patent_number

# Nothing is filed before a country has a patent office to file with: the Chinese Patent Law came
# into force on 1985-04-01; the first US patent act was signed on 1790-04-10. Together with "not in
# the future" this keeps every date the register holds within the years date arithmetic can reach.
FIRST_FILING_DATE: dict[str, dt.date] = {"CN": dt.date(1985, 4, 1), "US": dt.date(1790, 4, 10)}

# An annual fee is paid a year at a time, so the paid-until date lies at most a year past the last day in force.
FEE_PAID_BEYOND_EXPIRY = dt.timedelta(days=366)

JURISDICTION_NAMES = {"CN": "Chinese", "US": "US"}


@dataclass(frozen=True)
class PatentCheck:
    """The values as the register would store them (number normalised, jurisdiction and kind read from
    it) and every problem found, by field."""

    values: dict[str, Any]
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_patent(values: Mapping[str, Any], *, today: dt.date) -> PatentCheck:
    """Judge one patent's values against the register's rules on the day `today`.

    `values` has the Patent fields (number, title, filing_date, grant_date, annual_fee_paid_until,
    same_day_twin, term_adjustment_days, and optionally jurisdiction and kind, which must agree with
    the number when given); a field left out is judged absent, except the title, which is judged
    only when given. Every rule is checked, so a caller can report all problems at once.
    """
    problems: dict[str, list[str]] = {}
    checked = dict(values)

    def problem(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    number: PatentNumber | None = None
    try:
        number = parse_patent_number(values.get("number") or "")
    except PatentNumberError as error:
        problem("number", error.message)
    if number is not None:
        checked["number"] = number.normalised
        for name in ("jurisdiction", "kind"):
            implied, given = getattr(number, name), values.get(name)
            if given and given != implied:
                problem(name, f"the number {number.normalised} is a {implied} patent, not {given}")
            checked[name] = implied

    if "title" in values and not (values["title"] or "").strip():  # a valuation quote describes no title
        problem("title", "a title is required")

    filing_date: dt.date | None = values.get("filing_date")
    grant_date: dt.date | None = values.get("grant_date")
    if filing_date is None:
        problem("filing_date", "a filing date is required")
    else:
        if filing_date > today:
            problem("filing_date", f"{filing_date} is in the future")
        if number is not None:
            first = FIRST_FILING_DATE[number.jurisdiction]
            if filing_date < first:
                problem("filing_date", f"{filing_date} is before the first {number.jurisdiction} filing could be "
                                       f"made ({first})")
            if number.filing_year and filing_date.year != number.filing_year:
                problem("filing_date", f"{filing_date} is not in {number.filing_year}, the filing year the number "
                                       "states")
    if grant_date is not None:
        if grant_date > today:
            problem("grant_date", f"{grant_date} is in the future; a patent not yet granted has no grant date")
        if filing_date is not None and grant_date < filing_date:
            problem("grant_date", f"{grant_date} is before the filing date {filing_date}")

    if values.get("same_day_twin") and number is not None and (number.jurisdiction, number.kind) != (
        "CN", "utility_model"
    ):
        problem("same_day_twin", "only a Chinese utility model can have a same-day invention twin")

    adjustment = values.get("term_adjustment_days") or 0
    if adjustment < 0:
        problem("term_adjustment_days", "may not be negative")
    elif adjustment and number is not None:
        if not terms.term_adjustable(number.jurisdiction, number.kind):
            problem(
                "term_adjustment_days",
                "only a US utility patent (term adjustment) or a Chinese invention (term compensation, "
                f"Patent Law art. 42) has days added to its term, not a {_named(number)}",
            )
        else:
            most = terms.TERM_ADJUSTMENT_MAX_DAYS[(number.jurisdiction, number.kind)]
            if adjustment > most:
                problem("term_adjustment_days",
                        f"{adjustment} days is more than the {most} a {_named(number)}'s term may be lengthened by")

    # The dates and days behind the expiry passed their bounds, so the arithmetic stays within the calendar.
    expiry_inputs_ok = not problems.keys() & {"number", "filing_date", "grant_date", "term_adjustment_days"}
    if number is not None and filing_date is not None and expiry_inputs_ok:
        expiry = terms.expiry_date(
            jurisdiction=number.jurisdiction, kind=number.kind, filing_date=filing_date,
            term_adjustment_days=adjustment, grant_date=grant_date,
        )
        paid_until: dt.date | None = values.get("annual_fee_paid_until")
        if paid_until is not None and not filing_date <= paid_until <= expiry + FEE_PAID_BEYOND_EXPIRY:
            problem("annual_fee_paid_until",
                    f"{paid_until} is not between the filing date {filing_date} and a year after the patent "
                    f"expires ({expiry})")
    return PatentCheck(values=checked, problems=problems)


def _named(number: PatentNumber) -> str:
    kind = {"invention": "utility patent" if number.jurisdiction == "US" else "invention"}.get(
        number.kind, number.kind.replace("_", " ")
    )
    return f"{JURISDICTION_NAMES[number.jurisdiction]} {kind}"
