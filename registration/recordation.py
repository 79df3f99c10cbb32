"""The USPTO's check of a recordation cover sheet (37 CFR 3.31) and its notice of non-recordation codes.

Recording a security interest at the USPTO is ministerial: the office reads the cover sheet, not the
title, so none of the Chinese refusal grounds apply (DOMAIN.md §3). Pure: plain values in, grounds out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from registration.refusals import OTHER, Ground

COVER_SHEET_INCOMPLETE = "COVER_SHEET_INCOMPLETE"
PROPERTY_NOT_IDENTIFIED = "PROPERTY_NOT_IDENTIFIED"
FEE_NOT_PAID = "FEE_NOT_PAID"

# The reasons a notice of non-recordation gives, in the order notices list them.
NON_RECORDATION_CODES: tuple[str, ...] = (COVER_SHEET_INCOMPLETE, PROPERTY_NOT_IDENTIFIED, FEE_NOT_PAID, OTHER)

NON_RECORDATION_TITLES: dict[str, tuple[str, str]] = {
    COVER_SHEET_INCOMPLETE: ("The recordation cover sheet lacks a required item (37 CFR 3.31)", "登记封面页缺少必备事项"),
    PROPERTY_NOT_IDENTIFIED: ("A patent is not identified by its patent number", "未以专利号指明所涉专利"),
    FEE_NOT_PAID: ("The recording fee has not been paid", "未缴纳登记费"),
    OTHER: ("Another reason the Office does not record the document", "其他不予登记的原因"),
}

# What the Office states, and the cover sheet alone cannot show (a fee paid by a separate payment).
REGISTRAR_ONLY: frozenset[str] = frozenset({FEE_NOT_PAID, OTHER})

# 37 CFR 3.31(a) and (c) for a patent security interest, in the order of the cover sheet.
COVER_SHEET_ITEMS: tuple[str, ...] = (
    "conveying_party", "receiving_party", "receiving_party_address", "nature_of_conveyance", "patent_numbers",
    "execution_date", "correspondence_address", "number_of_properties", "total_fee", "signed_statement",
)
SECURITY_AGREEMENT = "Security Agreement"
RELEASE_BY_SECURED_PARTY = "Release by Secured Party"

# 37 CFR 1.21(h): recording a patent assignment, agreement or other paper is free when submitted
# electronically (EPAS), which is how pledgeflow records; a paper submission pays per property.
RECORDING_FEE_ELECTRONIC = Decimal("0.00")


def recording_fee(number_of_properties: int, *, electronic: bool = True, per_property_on_paper: Decimal = Decimal("50.00")) -> Decimal:
    """The total fee a cover sheet states: none for electronic recording, else a fee per property."""
    return RECORDING_FEE_ELECTRONIC if electronic else per_property_on_paper * number_of_properties


@dataclass(frozen=True)
class CoverPatent:
    """One property on the cover sheet: its number, and whether it is a granted patent (not an application)."""

    number: str
    jurisdiction: str
    granted: bool


@dataclass(frozen=True)
class CoverSheet:
    """The items of a recordation cover sheet for patents, as the filing states them."""

    conveying_party: str
    receiving_party: str
    receiving_party_address: str
    nature_of_conveyance: str
    patents: tuple[CoverPatent, ...]
    execution_date: dt.date | None
    correspondence_address: str
    number_of_properties: int | None
    total_fee: Decimal | None
    signed_by: str

    @property
    def patent_numbers(self) -> tuple[str, ...]:
        return tuple(p.number for p in self.patents)


def non_recordation_grounds(sheet: CoverSheet) -> list[Ground]:
    """Every reason the Office would not record `sheet`, filing-wide first; an empty list means it records."""
    stated = {
        "conveying_party": bool(sheet.conveying_party.strip()),
        "receiving_party": bool(sheet.receiving_party.strip()),
        "receiving_party_address": bool(sheet.receiving_party_address.strip()),
        "nature_of_conveyance": sheet.nature_of_conveyance in (SECURITY_AGREEMENT, RELEASE_BY_SECURED_PARTY),
        "patent_numbers": bool(sheet.patents),
        "execution_date": sheet.execution_date is not None,
        "correspondence_address": bool(sheet.correspondence_address.strip()),
        "number_of_properties": sheet.number_of_properties is not None
        and sheet.number_of_properties == len(sheet.patents) > 0,
        "total_fee": sheet.total_fee is not None,
        "signed_statement": bool(sheet.signed_by.strip()),
    }
    grounds: list[Ground] = []
    missing = [item for item in COVER_SHEET_ITEMS if not stated[item]]
    if missing:
        grounds.append(Ground(COVER_SHEET_INCOMPLETE, None, {"missing": missing}, office="US"))
    for patent in sheet.patents:
        # A US patent is identified by its number; an application, or another office's patent, is not one.
        if patent.jurisdiction != "US" or not patent.granted:
            grounds.append(Ground(
                PROPERTY_NOT_IDENTIFIED, patent.number,
                {"jurisdiction": patent.jurisdiction, "granted": patent.granted}, office="US",
            ))
    return grounds
