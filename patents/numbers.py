"""Patent numbers: parse what people type, check it, and give the one normalised form the register stores."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.errors import ValidationFailed

CN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

# Digit 5 of a Chinese application number: the kind of right, and whether it entered via the PCT.
CN_KIND_DIGITS = {
    "1": ("invention", False),
    "2": ("utility_model", False),
    "3": ("design", False),
    "8": ("invention", True),
    "9": ("utility_model", True),
}

# The 12-digit numbering began on 1 October 2003; earlier numbers have 8 digits and are not handled here.
CN_FIRST_YEAR = 2003
CN_LAST_YEAR = 2099

# Kind codes the USPTO prints on granted patents, by the kind of right they belong to.
US_KIND_CODES = {
    "invention": {"A", "B1", "B2"},
    "design": {"S", "S1"},
    "reissue": {"E"},
}


class PatentNumberError(ValidationFailed):
    """A patent number that cannot be on the register: 400, naming what is wrong with it."""

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(message, code=code, details=details)


@dataclass(frozen=True)
class PatentNumber:
    """One patent number, checked. `normalised` is what the register stores and compares."""

    normalised: str
    jurisdiction: str  # "CN" | "US"
    kind: str  # "invention" | "utility_model" | "design"
    serial: str  # CN: digits 6-12; US: the number without prefix or kind code
    filing_year: int | None = None  # CN only: the year the application was filed
    check_digit: str | None = None  # CN only: "0"-"9" or "X"
    pct: bool = False  # CN only: entered the national phase via the PCT
    kind_code: str = ""  # US only: "B2", "S1", ... as given
    reissue: bool = False  # US only: an RE number

    @property
    def base(self) -> str:
        """The number without a US kind code: two spellings of one patent share it."""
        if self.jurisdiction == "US" and self.kind_code:
            return self.normalised[: -len(self.kind_code)]
        return self.normalised

    @property
    def display(self) -> str:
        """Spaced as printed on certificates: "ZL 2021 1 0921116.9", "US 10,123,456 B2"."""
        if self.jurisdiction == "CN":
            digits = self.normalised[2:14]
            return f"ZL {digits[:4]} {digits[4]} {digits[5:]}.{self.check_digit}"
        prefix = "RE" if self.reissue else ("D" if self.kind == "design" else "")
        grouped = f"{int(self.serial):,}"
        return f"US {prefix}{grouped}" + (f" {self.kind_code}" if self.kind_code else "")


def cn_check_digit(twelve_digits: str) -> str:
    """The check character of a 12-digit Chinese application number: weighted sum mod 11, 10 written "X"."""
    if len(twelve_digits) != 12 or not twelve_digits.isdigit():
        raise ValueError("a Chinese application number has 12 digits before its check digit")
    remainder = sum(int(d) * w for d, w in zip(twelve_digits, CN_WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def _compact(text: str) -> str:
    # NFKC turns full-width "ＺＬ２０２１…" and "．" into ASCII; people paste these from Chinese documents.
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s,\-_/]", "", text).upper()


_CN = re.compile(r"^(?:ZL|CN)?(\d{12})(?:[.·]?([0-9X]))?$")
_US = re.compile(r"^US(RE|D)?(\d+)(A|B1|B2|S1|S|E)?$")


def parse_patent_number(text: str) -> PatentNumber:
    """Parse a Chinese (ZL…) or US (US…) patent number as typed and check it.

    Raises PatentNumberError with code "malformed_number", "check_digit_missing",
    "check_digit_mismatch", "unknown_kind" or "kind_code_mismatch".
    """
    if not isinstance(text, str) or not text.strip():
        raise PatentNumberError("malformed_number", "A patent number is required.", {"number": text})
    compact = _compact(text)
    if compact.startswith("US"):
        return _parse_us(text, compact)
    return _parse_cn(text, compact)


def normalise_patent_number(text: str) -> str:
    """The stored form of a patent number, e.g. "zl 2021 1 0921116.9" -> "ZL202110921116.9"."""
    return parse_patent_number(text).normalised


def _parse_cn(given: str, compact: str) -> PatentNumber:
    match = _CN.match(compact)
    if not match:
        raise PatentNumberError(
            "malformed_number",
            f"'{given}' is not a patent number: expected ZL + 12 digits + '.' + check digit "
            "(e.g. ZL202110921116.9) or US + 7 or 8 digits (e.g. US10123456B2).",
            {"number": given},
        )
    digits, given_check = match.groups()
    expected = cn_check_digit(digits)
    if given_check is None:
        raise PatentNumberError(
            "check_digit_missing",
            f"'{given}' has no check digit; for these 12 digits it would be {expected}.",
            {"number": given, "expected_check_digit": expected},
        )
    if given_check != expected:
        raise PatentNumberError(
            "check_digit_mismatch",
            f"'{given}' has check digit {given_check} but its digits give {expected}; "
            "a digit is probably mistyped.",
            {"number": given, "check_digit": given_check, "expected_check_digit": expected},
        )
    year = int(digits[:4])
    if not CN_FIRST_YEAR <= year <= CN_LAST_YEAR:
        raise PatentNumberError(
            "malformed_number",
            f"'{given}' would have been filed in {year}; 12-digit numbers start in {CN_FIRST_YEAR}.",
            {"number": given, "filing_year": year},
        )
    kind_digit = digits[4]
    if kind_digit not in CN_KIND_DIGITS:
        raise PatentNumberError(
            "unknown_kind",
            f"'{given}' has kind digit {kind_digit}; it must be 1 (invention), 2 (utility model), "
            "3 (design), 8 (PCT invention) or 9 (PCT utility model).",
            {"number": given, "kind_digit": kind_digit},
        )
    kind, pct = CN_KIND_DIGITS[kind_digit]
    return PatentNumber(
        normalised=f"ZL{digits}.{expected}",
        jurisdiction="CN",
        kind=kind,
        serial=digits[5:],
        filing_year=year,
        check_digit=expected,
        pct=pct,
    )


def _parse_us(given: str, compact: str) -> PatentNumber:
    match = _US.match(compact)
    if not match:
        raise PatentNumberError(
            "malformed_number",
            f"'{given}' is not a US patent number: expected US + 7 or 8 digits with an optional "
            "kind code (e.g. US10123456B2, US 7,654,321 B1, USD912345S, USRE49123E).",
            {"number": given},
        )
    series, digits, kind_code = match.groups()
    kind_code = kind_code or ""
    digits = digits.lstrip("0")  # USPTO full-text pads numbers to 8 digits: US07123456 is US7123456
    if series == "D":
        kind, allowed, sizes = "design", US_KIND_CODES["design"], (5, 6, 7)
    elif series == "RE":
        kind, allowed, sizes = "invention", US_KIND_CODES["reissue"], (5, 6)
    else:
        kind, allowed, sizes = "invention", US_KIND_CODES["invention"], (7, 8)
    if len(digits) not in sizes:
        raise PatentNumberError(
            "malformed_number",
            f"'{given}' has {len(digits)} digits; a US {'design' if series == 'D' else 'reissue' if series == 'RE' else 'utility'} "
            f"patent number has {' or '.join(map(str, sizes))}.",
            {"number": given},
        )
    if kind_code and kind_code not in allowed:
        raise PatentNumberError(
            "kind_code_mismatch",
            f"'{given}' carries kind code {kind_code}, which does not belong on this kind of US patent "
            f"(expected {', '.join(sorted(allowed))}).",
            {"number": given, "kind_code": kind_code, "allowed": sorted(allowed)},
        )
    return PatentNumber(
        normalised=f"US{series or ''}{digits}{kind_code}",
        jurisdiction="US",
        kind=kind,
        serial=digits,
        kind_code=kind_code,
        reissue=series == "RE",
    )
