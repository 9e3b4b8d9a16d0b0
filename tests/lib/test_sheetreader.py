"""The import's sheet reader gives exactly the values openpyxl's read-only, data-only iter_rows gives."""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from zhibu.lib.sheetreader import open_workbook


def _both(content: bytes) -> tuple[dict, dict]:
    def rows(book):
        found = {title: list(book[title].iter_rows(values_only=True)) for title in book.sheetnames}
        sizes = {title: (book[title].max_row, book[title].max_column) for title in book.sheetnames}
        book.close()
        return found, sizes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = rows(load_workbook(io.BytesIO(content), read_only=True, data_only=True))
        ours = rows(open_workbook(io.BytesIO(content)))
    return theirs, ours


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet_xml(sheet_xml: str, *, epoch_1904: bool = False) -> bytes:
    """A workbook made by openpyxl whose first sheet's XML is replaced by `sheet_xml` (its styles kept: style 1
    is a date, style 2 a date and time, style 3 a duration, style 4 a plain number)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "活动"
    sheet["A1"], sheet["A1"].number_format = date(2025, 1, 1), "yyyy-mm-dd"
    sheet["A2"], sheet["A2"].number_format = datetime(2025, 1, 1, 8, 30), "yyyy-mm-dd h:mm"
    sheet["A3"], sheet["A3"].number_format = timedelta(hours=2), "[h]:mm:ss"
    sheet["A4"], sheet["A4"].number_format = 3.5, "0.00"
    sheet["A5"] = "共享"
    if epoch_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        book.epoch = CALENDAR_MAC_1904
    source = zipfile.ZipFile(io.BytesIO(_saved(book)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            target.writestr(item, data)
        target.writestr("xl/sharedStrings.xml", SHARED_STRINGS)
    return out.getvalue()


def _style_ids() -> list[int]:
    """The s= of A1..A4 in the workbook _with_sheet_xml starts from (date, date and time, duration, number)."""
    book = Workbook()
    sheet = book.active
    for row, (value, number_format) in enumerate(
        [(date(2025, 1, 1), "yyyy-mm-dd"), (datetime(2025, 1, 1, 8, 30), "yyyy-mm-dd h:mm"),
         (timedelta(hours=2), "[h]:mm:ss"), (3.5, "0.00")], start=1):
        sheet.cell(row, 1, value).number_format = number_format
    xml = zipfile.ZipFile(io.BytesIO(_saved(book))).read("xl/worksheets/sheet1.xml").decode()
    import re

    return [int(s) for s in re.findall(r'<c r="A\d" s="(\d+)"', xml)]


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHARED_STRINGS = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="3" uniqueCount="3"><si><t>共享</t></si>'
                  '<si><r><t>富</t></r><r><t>文本</t></r></si><si><t>a_x005F_x000D_b</t></si></sst>')


def _sheet(body: str, dimension: str | None = None, after: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>{body}</sheetData>{after}</worksheet>'


def test_a_workbook_written_by_openpyxl_in_both_modes_reads_alike():
    rows = [["编号", "组织", "日期", "数量", "金额", "是否"],
            ["S1", "第一支部", date(2025, 3, 18), 3, 12.5, True],
            ["", None, datetime(2025, 3, 18, 14, 30), 3.0, "1,250.50", False],
            [None, "  空格  ", "2025年3月18日", -1, 1e20, None]]
    for write_only in (True, False):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("活动")
        for values in rows:
            sheet.append(values)
        if write_only:
            sheet.append([])
            sheet.append(["尾", None, None, None, None, None, "超出"])
        else:
            sheet["H9"] = "远处"
            del book["Sheet"]
        theirs, ours = _both(_saved(book))
        assert ours == theirs
        assert ours[0]["活动"][1][2] == datetime(2025, 3, 18)


def test_cells_of_every_type_style_and_shape_read_alike():
    date_style, datetime_style, duration_style, number_style = _style_ids()
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="s"><v>0</v></c><c r="D1" t="s"><v>1</v></c><c r="E1" t="s"><v>2</v></c></row>'
        f'<row r="3"><c r="A3" s="{date_style}"><v>45000</v></c><c r="B3" s="{datetime_style}"><v>45000.5</v></c>'
        f'<c r="C3" s="{duration_style}"><v>0.25</v></c><c r="D3" s="{number_style}"><v>3.50</v></c>'
        '<c r="E3"><v>1E3</v></c><c r="F3"><v>7</v></c><c r="G3" t="b"><v>1</v></c><c r="H3" t="e"><v>#N/A</v></c></row>'
        '<row><c t="str"><f>A1</f><v>公式值</v></c><c t="d"><v>2025-03-18T14:30:00</v></c><c><v></v></c>'
        '<c t="inlineStr"><is><r><t>富</t></r><r><rPr><sz val="11"/></rPr><t>文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></is></c>'
        '<c t="inlineStr"><is><t xml:space="preserve"> 前后 </t></is></c><c t="inlineStr"/>'
        '<c t="inlineStr"><is><t/></is></c><!-- a comment --><c r="k4" t="inlineStr"><is><t>小写列</t></is></c></row>'
        f'<row r="6.0"><c r="B6"><v>1</v></c><c r="A6" s="{date_style}"><v>99999999</v></c></row>'
        '<row r="8" spans="1:3" ht="20" customHeight="1"><c r="B8" t="inlineStr"><is><t>第八行</t></is></c></row>'
    )
    for dimension in (None, "A1:D7", "A1:Z20", "B2:C8"):
        for epoch_1904 in (False, True):
            theirs, ours = _both(_with_sheet_xml(_sheet(body, dimension), epoch_1904=epoch_1904))
            assert ours == theirs, (dimension, epoch_1904)


def test_a_dimension_after_the_data_is_not_read_by_either():
    content = _with_sheet_xml(_sheet('<row r="1"><c r="C1"><v>1</v></c></row>', after='<dimension ref="A1:F9"/>'))
    theirs, ours = _both(content)
    assert ours == theirs
    assert ours[1]["活动"] == (None, None)


def test_an_empty_sheet_and_an_empty_row_read_alike():
    for body in ("", "<row/>", '<row r="2"/>', '<row r="1"/><row r="3"><c r="B3"><v>2</v></c></row>'):
        for dimension in (None, "A1", "A1:C3"):
            theirs, ours = _both(_with_sheet_xml(_sheet(body, dimension)))
            assert ours == theirs, (body, dimension)


@pytest.mark.parametrize("coordinate", ["1A", "A1B", "", "AAAA1", "$B$6", "A0", "a7"])
def test_a_bad_coordinate_fails_alike(coordinate):
    content = _with_sheet_xml(_sheet(f'<row r="1"><c r="A1"><v>1</v></c><c r="{coordinate}"><v>2</v></c></row>'))
    outcomes = []
    for book in (load_workbook(io.BytesIO(content), read_only=True, data_only=True), open_workbook(io.BytesIO(content))):
        try:
            outcomes.append(("rows", list(book["活动"].iter_rows(values_only=True))))
        except Exception as error:  # noqa: BLE001 - the kind of failure is what is compared
            outcomes.append(("error", type(error)))
    (theirs, expected), (ours, found) = outcomes
    # Ours fails as openpyxl's does, as UnreadableSheet (a ValueError the import explains in Chinese).
    assert theirs == ours and (found == expected if ours == "rows" else issubclass(found, expected))


def test_a_bad_row_number_fails_alike():
    content = _with_sheet_xml(_sheet('<row r="1.5"><c r="A1"><v>1</v></c></row>'))
    for book in (load_workbook(io.BytesIO(content), read_only=True, data_only=True), open_workbook(io.BytesIO(content))):
        with pytest.raises(ValueError):
            list(book["活动"].iter_rows(values_only=True))


def test_cells_are_read_as_values_only():
    book = open_workbook(io.BytesIO(_with_sheet_xml(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))))
    with pytest.raises(TypeError):
        list(book["活动"].iter_rows())
    assert list(book["活动"].iter_rows(max_row=1, values_only=True)) == [(1,)]


def test_times_of_day_read_alike():
    book = Workbook()
    sheet = book.active
    sheet.append([time(14, 30), datetime(2025, 1, 1), date(1900, 2, 28), date(1900, 3, 1)])
    theirs, ours = _both(_saved(book))
    assert ours == theirs
