"""Printable ledgers (台账) as .xlsx: a title row, a header row, bordered data rows, an optional totals row.

Unlike the exchange workbook (one header row, meant to be read back), a
台账 is meant to be printed and filed: it carries a title, fits the page
width in landscape and repeats its header on every printed page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

Kind = Literal["text", "money", "date", "number"]

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_TOTAL_FILL = PatternFill("solid", fgColor="F7F7F7")
_FORMATS = {"money": "0.00", "date": "yyyy-mm-dd", "number": "0", "text": "@"}


@dataclass(frozen=True)
class LedgerColumn:
    name: str
    width: float = 10
    kind: Kind = "text"


@dataclass
class LedgerSheet:
    title: str  # the sheet tab (at most 31 characters)
    heading: str  # the printed title above the table
    columns: Sequence[LedgerColumn]
    rows: Iterable[Sequence[Any]]
    subheading: str = ""  # e.g. "单位：元　导出日期：2026-11-25"
    totals: Sequence[Any] | None = None
    notes: Sequence[str] = field(default_factory=tuple)  # lines printed below the table


def _cell_value(value: Any, kind: Kind) -> Any:
    if value is None or value == "":
        return None
    if kind == "money" and isinstance(value, Decimal):
        return float(value)  # Excel has no decimal type; two places are kept by the number format
    return value


LINE_HEIGHT = 15  # points per text line at the default font size


def _display_width(text: str) -> int:
    """Width in Excel's column units: a Chinese character takes two."""
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text)


def _lines_needed(values: Sequence[Any], columns: Sequence[LedgerColumn]) -> int:
    """How many lines the tallest wrapped cell of a row needs; Excel and LibreOffice do not grow rows by themselves."""
    lines = 1
    for value, column in zip(values, columns):
        if column.kind != "text" or not value:
            continue
        for part in str(value).split("\n"):
            lines = max(lines, math.ceil(_display_width(part) / max(column.width - 1, 1)) or 1)
    return lines


def _write(worksheet, sheet: LedgerSheet) -> None:
    width = len(sheet.columns)
    worksheet.append([sheet.heading])
    worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    worksheet["A1"].font = Font(bold=True, size=16)
    worksheet["A1"].alignment = Alignment(horizontal="center")
    worksheet.row_dimensions[1].height = 30
    worksheet.append([sheet.subheading])
    worksheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    worksheet["A2"].alignment = Alignment(horizontal="right")
    worksheet.append([column.name for column in sheet.columns])
    for cell in worksheet[3]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_as_text = [LedgerColumn(column.name, column.width) for column in sheet.columns]
    worksheet.row_dimensions[3].height = LINE_HEIGHT * _lines_needed([c.name for c in sheet.columns], header_as_text)

    def append(values: Sequence[Any], *, total: bool = False) -> None:
        worksheet.append([_cell_value(value, column.kind) for value, column in zip(values, sheet.columns)])
        for cell, column in zip(worksheet[worksheet.max_row], sheet.columns):
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column.kind == "text")
            if cell.value is not None and column.kind != "text":
                cell.number_format = _FORMATS[column.kind]
            if total:
                cell.font, cell.fill = Font(bold=True), _TOTAL_FILL
        worksheet.row_dimensions[worksheet.max_row].height = LINE_HEIGHT * _lines_needed(values, sheet.columns)

    for row in sheet.rows:
        append(row)
    if sheet.totals is not None:
        append(sheet.totals, total=True)
    for note in sheet.notes:
        worksheet.append([note])
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A4"
    worksheet.print_title_rows = "3:3"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True


def ledger_workbook(sheets: Sequence[LedgerSheet]) -> bytes:
    """An .xlsx file with one printable ledger per sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        _write(workbook.create_sheet(sheet.title[:31]), sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def subheading(today: date, unit: str = "") -> str:
    return "　".join(part for part in (f"单位：{unit}" if unit else "", f"导出日期：{today:%Y-%m-%d}") if part)
