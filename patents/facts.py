"""What the register says of one patent, as plain values: the one shape valuation, monitoring and registration read.

Pure: no database. Build it from a `Patent` row with `PatentFacts.of(patent)`, or from a
`values_list(*PatentFacts.fields(prefix))` row with `PatentFacts.from_values(row)`, so no caller
lists the fields again; the expiry is always `patents.terms.expiry_date` of these facts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from patents import terms

IN_FORCE = "in_force"


@dataclass(frozen=True)
class PatentFacts:
    """One patent as the register shows it."""

    number: str
    jurisdiction: str
    kind: str
    filing_date: dt.date
    grant_date: dt.date | None = None
    term_adjustment_days: int = 0
    status: str = IN_FORCE
    annual_fee_paid_until: dt.date | None = None
    ownership_frozen: bool = False
    invalidation_pending: bool = False
    same_day_twin: bool = False
    foreign_family: bool = False
    strategic_industry: bool = False
    award: str = ""
    title: str = ""
    # Whether the patent has been granted. The register knows it from the grant date, so it is
    # left None there and follows grant_date; a caller describing a patent (a valuation quote)
    # may say it was granted without giving the date when the term does not depend on it.
    granted: bool | None = None

    # The register's fields these facts are read from, in the order `from_values` takes them.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "number", "jurisdiction", "kind", "filing_date", "grant_date", "term_adjustment_days", "status",
        "annual_fee_paid_until", "ownership_frozen", "invalidation_pending", "same_day_twin", "foreign_family",
        "strategic_industry", "award", "title",
    )

    def __post_init__(self) -> None:
        if self.granted is None:
            object.__setattr__(self, "granted", self.grant_date is not None)
        elif not self.granted and self.grant_date is not None:
            raise ValueError(f"{self.number} has a grant date ({self.grant_date}) but is said not to be granted")

    @classmethod
    def fields(cls, prefix: str = "") -> tuple[str, ...]:
        """ORM paths for `values_list`, e.g. `PatentFacts.fields("patent__")` from a pledged patent."""
        return tuple(f"{prefix}{name}" for name in cls.FIELDS)

    @classmethod
    def from_values(cls, row: Sequence[Any]) -> PatentFacts:
        """From a `values_list(*PatentFacts.fields(prefix))` row (or its tail)."""
        return cls(**dict(zip(cls.FIELDS, row, strict=True)))

    @classmethod
    def of(cls, patent: Any) -> PatentFacts:
        """From a `patents.models.Patent` (or anything with its attributes)."""
        return cls(**{name: getattr(patent, name) for name in cls.FIELDS})

    @property
    def expiry_date(self) -> dt.date:
        """The last day in force (patents.terms.expiry_date: grant date and term adjustment included).

        Raises ValueError for a kind the law gives no term (none the register accepts).
        """
        return terms.expiry_date(
            jurisdiction=self.jurisdiction,
            kind=self.kind,
            filing_date=self.filing_date,
            term_adjustment_days=self.term_adjustment_days,
            grant_date=self.grant_date,
        )

    @property
    def in_force(self) -> bool:
        """In force by the register's status (whether its term has run out depends on the day: see expiry_date)."""
        return self.status == IN_FORCE

    def fee_lapse_date(self, day: dt.date) -> dt.date | None:
        """As known on `day`, the date the patent lapsed for an annual fee unpaid past its grace period, or None."""
        return terms.fee_lapse_date(
            paid_until=self.annual_fee_paid_until, on=day, jurisdiction=self.jurisdiction, grant_date=self.grant_date
        )

    def in_force_on(self, day: dt.date) -> bool:
        lapsed = self.fee_lapse_date(day)
        return self.in_force and day <= self.expiry_date and not (lapsed and lapsed <= day)
