"""The one .xlsx writer: printable ledgers (台账) and plain tables (the exchange workbook).

A 台账 is meant to be printed and filed: a title, a header row repeated on
every printed page, bordered rows whose long texts wrap, columns fitted to the
width of a landscape A4 page and nothing printed outside the table. A plain
table (`write_sheet`) has one header row and is meant to be read back.

Both are written in openpyxl's write-only (streaming) mode: a row is written
when it is appended, so an export of any size holds one row in memory.

Every cell passes through `cell_value`: text a user typed that a spreadsheet
program would take for a formula (it starts with =, +, -, @, a tab or a
carriage return) is stored as text that displays as typed, never as a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

Kind = Literal["text", "money", "date", "number", "percent"]

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="F7F7F7")
_FORMATS = {"money": "0.00", "date": "yyyy-mm-dd", "number": "0", "percent": "0.0%"}
LINE_HEIGHT = 15  # points per text line at the default font size

# What makes Excel, WPS or LibreOffice read a typed text as a formula (or as DDE, `=cmd|' /C calc'!A0`).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def cell_value(value: Any) -> Any:
    """What a cell stores for a value from the database: numbers as numbers, lists joined, nothing as empty."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def make_cell(worksheet, value: Any, **style: Any) -> Cell:
    """The one place a cell is made: a formula-like text is forced to text (and quoted, so editing keeps it text)."""
    cell = Cell(worksheet, row=1, column=1, value=cell_value(value))  # placed where it is appended
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def display_width(text: str) -> int:
    """Width in Excel's column units: a Chinese character (or full-width punctuation) takes two."""
    return sum(2 if ord(character) >= 0x2E80 else 1 for character in text)


def lines_needed(texts: Sequence[Any], widths: Sequence[float]) -> int:
    """How many lines the tallest wrapped cell of a row needs; Excel and LibreOffice do not grow rows by themselves."""
    lines = 1
    for value, width in zip(texts, widths):
        if value is None or value == "":
            continue
        for part in _as_text(value).split("\n"):
            lines = max(lines, math.ceil(display_width(part) / max(width - 1.5, 1)) or 1)
    return lines


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


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
    landscape: bool = True


def _print_setup(worksheet, *, header_rows: str, landscape: bool = True) -> None:
    """A4, one page wide and as many pages long as the rows need, header rows on every page, page numbers."""
    worksheet.page_setup.orientation = "landscape" if landscape else "portrait"
    worksheet.page_setup.paperSize = "9"  # A4
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    worksheet.print_options.horizontalCentered = True
    worksheet.print_title_rows = header_rows
    worksheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _write_ledger(workbook: Workbook, sheet: LedgerSheet) -> None:
    worksheet = workbook.create_sheet(sheet.title[:31])
    columns = list(sheet.columns)
    widths = [column.width for column in columns]
    last = get_column_letter(len(columns))
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A4"
    _print_setup(worksheet, header_rows="3:3", landscape=sheet.landscape)

    row_number = 0

    def add(cells: list[Cell], height: float | None = None) -> None:
        nonlocal row_number
        row_number += 1
        if height:
            worksheet.row_dimensions[row_number].height = height
        worksheet.append(cells)

    def merged_line(text: str, font: Font | None = None, horizontal: str = "left", height: float | None = None) -> None:
        add([make_cell(worksheet, text, font=font or Font(), alignment=Alignment(horizontal=horizontal, vertical="center",
                                                                          wrap_text=True))], height)
        if len(columns) > 1:
            worksheet.merged_cells.add(f"A{row_number}:{last}{row_number}")

    merged_line(sheet.heading, Font(bold=True, size=16), "center", 30)
    merged_line(sheet.subheading, horizontal="right")
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    add([make_cell(worksheet, column.name, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=header_alignment)
         for column in columns], LINE_HEIGHT * lines_needed([c.name for c in columns], widths))

    def data_row(values: Sequence[Any], *, total: bool = False) -> None:
        cells = []
        for value, column in zip(values, columns):
            style: dict[str, Any] = {"border": BORDER}
            if column.kind == "text" or isinstance(value, str):
                style["alignment"] = Alignment(vertical="top", wrap_text=True)
            elif value is None or value == "":
                pass
            else:
                style["alignment"] = Alignment(vertical="top", horizontal="center")
                style["number_format"] = _FORMATS[column.kind]
            if column.kind == "money" and isinstance(value, Decimal):
                value = float(value)  # Excel has no decimal type; two places are kept by the number format
            if total:
                style["font"], style["fill"] = HEADER_FONT, TOTAL_FILL
            cells.append(make_cell(worksheet, value, **style))
        text_widths = [w if (c.kind == "text" or isinstance(v, str)) else 0 for v, c, w in zip(values, columns, widths)]
        if total and values and len(columns) > 1:
            # The totals label ("合计 3 次") takes the empty cells after it instead of wrapping in a narrow column.
            span = 1
            while span < len(values) and values[span] in (None, ""):
                span += 1
            if span > 1:
                worksheet.merged_cells.add(f"A{row_number + 1}:{get_column_letter(span)}{row_number + 1}")
                text_widths[0] = sum(widths[:span])
        shown = [v if w else None for v, w in zip(values, text_widths)]
        add(cells, LINE_HEIGHT * lines_needed(shown, text_widths))

    for row in sheet.rows:
        data_row(row)
    if sheet.totals is not None:
        data_row(sheet.totals, total=True)
    for note in sheet.notes:
        merged_line(note, height=LINE_HEIGHT * lines_needed([note], [sum(widths)]))
    worksheet.print_area = f"A1:{last}{max(row_number, 3)}"


def ledger_workbook(sheets: Sequence[LedgerSheet], target: IO[bytes] | None = None) -> bytes:
    """An .xlsx file with one printable ledger per sheet (written into `target` if given, else returned)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_ledger(workbook, sheet)
    return _save(workbook, target)


def write_sheet(workbook: Workbook, title: str, columns: Sequence[str], rows: Iterable[dict[str, Any]],
                header_notes: dict[str, str] | None = None) -> None:
    """A plain table meant to be read back: one header row named by `columns`, a row per dict.

    `header_notes`: a note (cell comment) on a column's name, saying what goes in it; it is not a cell value,
    so the table still reads back as it was."""
    worksheet = workbook.create_sheet(title)
    for index, name in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(10, display_width(name) + 4)
    worksheet.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = make_cell(worksheet, name, font=HEADER_FONT, fill=HEADER_FILL)
        if header_notes and header_notes.get(name):
            cell.comment = Comment(header_notes[name], "支部党建工作系统", width=260, height=120)
        header.append(cell)
    worksheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            style = {}
            if isinstance(value, datetime):
                style["number_format"] = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                style["number_format"] = "yyyy-mm-dd"
            elif isinstance(value, time):
                style["number_format"] = "hh:mm"
            cells.append(make_cell(worksheet, value, **style))
        worksheet.append(cells)


def table_workbook(tables: Iterable[tuple], target: IO[bytes] | None = None) -> bytes:
    """An .xlsx file of plain tables (title, column names, rows[, header notes]), streamed."""
    workbook = Workbook(write_only=True)
    for title, columns, rows, *notes in tables:
        write_sheet(workbook, title, columns, rows, notes[0] if notes else None)
    return _save(workbook, target)


def _save(workbook: Workbook, target: IO[bytes] | None) -> bytes:
    if target is not None:
        workbook.save(target)
        return b""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def subheading(today: date, unit: str = "") -> str:
    return "　".join(part for part in (f"单位：{unit}" if unit else "", f"导出日期：{today:%Y-%m-%d}") if part)
