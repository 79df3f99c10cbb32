"""Statistics and claims as tables, for CSV and XLSX (openpyxl).

The statistics: one row for the whole, then one per bank and per month. Claims: one row each, with its split.
"""
from __future__ import annotations

import csv
import io

FIGURES = ("loans", "amount", "enterprises", "inclusive_loans", "inclusive_share", "outstanding_principal",
           "npl_ratio", "high_value_patents")
COLUMNS = ("scope", "bank", "bank_name", "month", *FIGURES)


def statistics_rows(statistics: dict) -> list[list]:
    rows = [["total", "", "", "", *(statistics[f] for f in FIGURES)]]
    rows += [["bank", b["bank"], b["bank_name"], "", *(b[f] for f in FIGURES)] for b in statistics["by_bank"]]
    rows += [["month", "", "", m["month"], *(m[f] for f in FIGURES)] for m in statistics["by_month"]]
    return rows


CLAIM_PARTIES = ("pool", "bank", "insurer", "appraiser", "guarantor")
CLAIM_COLUMNS = ("claim", "status", "programme", "kind", "application", "bank_name", "enterprise_name", "loss",
                 "amount", *(f"split_{party}" for party in CLAIM_PARTIES), "claimed_at", "decided_at")


def claim_rows(claims) -> list[list]:
    from decimal import Decimal

    rows = []
    for claim in claims:
        application, programme = claim.enrolment.application, claim.enrolment.programme
        split = claim.split or {}
        rows.append([
            claim.pk, claim.status, programme.name, programme.kind, application.reference, application.bank.name,
            application.enterprise.name, claim.loss, claim.amount,
            *(Decimal(split[party]) if party in split else None for party in CLAIM_PARTIES),
            claim.claimed_at.date().isoformat(), claim.decided_at.date().isoformat() if claim.decided_at else None,
        ])
    return rows


def as_csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    # With a byte-order mark, so that Excel opens the Chinese names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(columns, rows, *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)  # Decimals stay exact numbers in the cell
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def statistics_csv(statistics: dict) -> bytes:
    return as_csv(COLUMNS, statistics_rows(statistics))


def statistics_xlsx(statistics: dict) -> bytes:
    return as_xlsx(COLUMNS, statistics_rows(statistics), title="statistics")
