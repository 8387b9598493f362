"""Gradebook export: the per-student table as CSV or XLSX (through openpyxl) for a
school's learning-management system or a spreadsheet.

Names are typed by students, so a cell that a spreadsheet would run as a formula
(starting with =, +, -, @, a tab or a carriage return) is written as text: in CSV with
a leading apostrophe (the OWASP advice for CSV injection), in XLSX as a string cell.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def gradebook(table: pd.DataFrame) -> pd.DataFrame:
    """The per-student table (statistics.student_table) as gradebook columns: the
    student first, scores rounded to one decimal, times as ISO 8601 text in UTC."""
    out = table.reset_index() if table.index.name == "student" else table.copy()
    for col in out.columns:
        if col.endswith("score %"):
            out[col] = out[col].round(1)
        elif col == "last activity":
            out[col] = ["" if pd.isna(t) else t.isoformat(timespec="seconds") for t in out[col]]
    return out


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(table: pd.DataFrame, path: Path | str) -> Path:
    """Write the gradebook as UTF-8 CSV (with a byte-order mark, so spreadsheet programs
    read accented names right). Returns the path."""
    path = Path(path)
    book = gradebook(table).map(_safe)
    book.to_csv(path, index=False, encoding="utf-8-sig", na_rep="")
    return path


def write_xlsx(table: pd.DataFrame, path: Path | str, sheet: str = "Gradebook") -> Path:
    """Write the gradebook as an Excel workbook: a header row, numbers as numbers, every
    text cell as text (never a formula), columns sized to their content."""
    path = Path(path)
    book = gradebook(table)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([str(c) for c in book.columns])
    for row in book.itertuples(index=False):
        ws.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                # openpyxl treats a string starting with "=" as a formula: keep it text.
                cell.data_type = "s"
    for i, col in enumerate(book.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in book[col]])
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    ws.freeze_panes = "B2"
    wb.save(path)
    return path
