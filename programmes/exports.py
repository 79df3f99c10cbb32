"""The statistics as a table, for CSV and XLSX (openpyxl): one row for the whole, then one per bank and per month."""
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


def statistics_csv(statistics: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in statistics_rows(statistics):
        writer.writerow(["" if value is None else value for value in row])
    # With a byte-order mark, so that Excel opens the Chinese bank names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def statistics_xlsx(statistics: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "statistics"
    sheet.append(list(COLUMNS))
    for row in statistics_rows(statistics):
        sheet.append(row)  # Decimals stay exact numbers in the cell
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
