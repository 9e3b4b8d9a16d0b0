"""Opening an uploaded .xlsx for reading its values: openpyxl's read-only workbook with a faster sheet reader.

openpyxl reads the workbook's parts (sheet names, styles, shared strings) and is kept for them; a worksheet's
own XML, which is nearly all of an import's bytes, is read here with lxml instead of openpyxl's pure-Python
parser, which made a dictionary and often a rich-text object per cell (a third of an import's time). The values
are exactly those of openpyxl's `iter_rows(values_only=True)` on a read-only, data-only workbook: the same
numbers, dates (by the cell's style and the workbook's epoch), booleans, shared and inline strings, the same
padding of short rows and missing rows to the declared dimension.

openpyxl also read each sheet once more when opening it, to find its dimension: it stopped only at the end of
the sheet's data when the sheet declared none (workbooks written by openpyxl, this product's own exports among
them). Here the dimension is looked for only before the data starts, where the format puts it.

Call `check_office_package` (zhibu/lib/uploads.py) first: it refuses entity declarations, and lxml is told not
to resolve entities nor touch the network besides.
"""

from __future__ import annotations

from warnings import warn
from xml.etree.ElementTree import fromstring as stdlib_fromstring

from lxml import etree
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_DIMENSION = f"{{{SHEET_MAIN_NS}}}dimension"
_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_DIGITS = "0123456789"
# As openpyxl's parser (expat through defusedxml) sees the document: no comments or processing instructions among
# a row's cells, no entities resolved, nothing fetched.
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "remove_comments": True, "remove_pis": True}


class UnreadableSheet(ValueError):
    """A worksheet whose XML cannot be read (a damaged or hand-edited file); its message says so in Chinese."""

    def __init__(self, title: str):
        super().__init__("文件已损坏，无法读取此工作表的单元格")
        self.title = title


def open_workbook(source):
    """The workbook in `source` (a path or a binary stream), read-only and with cached values instead of formulas,
    as openpyxl's `load_workbook(source, read_only=True, data_only=True)` gives it; its sheets read values only."""
    reader = _Reader(source, read_only=True, keep_vba=False, data_only=True, keep_links=True, rich_text=False)
    reader.read()
    return reader.wb


class _Reader(ExcelReader):
    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:  # read as openpyxl does, so a broken one is refused alike
                get_dependents(self.archive, rels_path)
            worksheet = ValuesWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class ValuesWorksheet(ReadOnlyWorksheet):
    """A read-only worksheet whose rows are read as values by lxml (see the module docstring)."""

    def _get_size(self):
        try:
            self._read_size()
        except (etree.XMLSyntaxError, ValueError) as error:
            raise UnreadableSheet(self.title) from error

    def _read_size(self):
        with self._get_source() as source:
            for event, element in etree.iterparse(source, events=("start",), **_SAFE):
                if element.tag == _DIMENSION:
                    self._min_column, self._min_row, self._max_column, self._max_row = \
                        SheetDimension.from_tree(element).boundaries
                    return
                if element.tag == _DATA:
                    return

    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
        # Mirrors openpyxl's ReadOnlyWorksheet._cells_by_row, values only.
        if not values_only:
            raise TypeError("this worksheet reads values only: iter_rows(values_only=True)")
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row = []
        if max_col is not None:
            empty_row = (None,) * (max_col + 1 - min_col)
        counter = min_row
        idx = 1
        with self._get_source() as source:
            for idx, cells in self._readable(self._parsed_rows(source)):
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # some rows are missing
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield _row_values(cells, min_col, max_col)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row

    def _readable(self, rows):
        """`rows`, a damaged sheet's syntax error or bad row number or coordinate raised as UnreadableSheet."""
        try:
            yield from rows
        except (etree.XMLSyntaxError, ValueError) as error:
            raise UnreadableSheet(self.title) from error

    def _parsed_rows(self, source):
        """(row number, [(column, value), …]) for each row of the sheet, as openpyxl's WorkSheetParser reads them."""
        workbook = self.parent
        shared_strings, epoch = self._shared_strings, workbook.epoch
        date_formats, timedelta_formats = workbook._date_formats, workbook._timedelta_formats
        columns: dict[str, int] = {}  # a coordinate's letters → column number
        row_counter = 0
        for _event, row in etree.iterparse(source, events=("end",), tag=_ROW, **_SAFE):
            number = row.get("r")
            if number is not None:
                try:
                    row_counter = int(number)
                except ValueError:
                    as_float = float(number)
                    if not as_float.is_integer():
                        raise ValueError(f"{number} is not a valid row number") from None
                    row_counter = int(as_float)
            else:
                row_counter += 1
            column = 0
            cells = []
            append = cells.append
            for cell in row:
                get = cell.get
                coordinate = get("r")
                if coordinate:
                    letters = coordinate.rstrip(_DIGITS)
                    column = columns.get(letters) if letters != coordinate else None
                    if column is None:
                        column = coordinate_to_tuple(coordinate)[1]  # raises on a bad coordinate, as openpyxl
                        if letters.isascii() and letters.isalpha():  # openpyxl splits these where the digits start
                            columns[letters] = column
                else:
                    column += 1
                data_type = get("t", "n")
                if data_type == "inlineStr":
                    # <is><t>text</t></is>, nearly every string a product writes, read without a search.
                    child = cell[0] if len(cell) == 1 else None
                    if child is None or child.tag != _INLINE:
                        child = cell.find(_INLINE)
                    append((column, None if child is None else _inline_text(child)))
                    continue
                value = cell.findtext(_VALUE) or None
                if value is not None:
                    if data_type == "n":
                        value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                        style_id = get("s", 0)
                        if style_id:
                            style_id = int(style_id)
                        if style_id in date_formats:
                            try:
                                value = from_excel(value, epoch, timedelta=style_id in timedelta_formats)
                            except (OverflowError, ValueError):
                                warn(f"Cell {coordinate} is marked as a date but the serial value {value} is outside "
                                     "the limits for dates. The cell will be treated as an error.")
                                value = "#VALUE!"
                    elif data_type == "s":
                        value = shared_strings[int(value)]
                    elif data_type == "b":
                        value = bool(int(value))
                    elif data_type == "d":
                        value = from_ISO8601(value)
                append((column, value))
            row.clear()
            while row.getprevious() is not None:  # the rows already read are dropped: memory stays flat
                del row.getparent()[0]
            yield row_counter, cells


def _row_values(cells, min_col, max_col) -> tuple:
    # Mirrors openpyxl's ReadOnlyWorksheet._get_row, values only.
    if not cells and not max_col:
        return ()
    max_col = max_col or cells[-1][0]
    values = [None] * (max_col + 1 - min_col)
    for column, value in cells:
        if min_col <= column <= max_col:
            values[column - min_col] = value
    return tuple(values)


def _inline_text(element) -> str:
    """The text of an inline string (<is>), as openpyxl's Text(…).content gives it."""
    if len(element) == 1:
        (text,) = element
        if text.tag == _TEXT:  # openpyxl takes a <t>'s own text, whatever its attributes or children
            return text.text or ""
    # Rich text, phonetic runs or anything unusual: openpyxl's own reading of it.
    return Text.from_tree(stdlib_fromstring(etree.tostring(element))).content
