"""Building small exchange workbooks in tests."""

import io

from openpyxl import Workbook


def workbook_bytes(sheets: dict[str, list[list]]) -> io.BytesIO:
    """sheets: sheet name → rows, the first row being the column names."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def issue_messages(result) -> list[str]:
    """An import's issues as the user reads them ("第3行，列“姓名”：…")."""
    return [str(issue) for issue in result.issues]


def assert_each_reported(result, expected: list[str], *, nothing_else: bool = False) -> None:
    """Each expected text stands in one of the import's issues (and, with `nothing_else`, there are no others)."""
    found = issue_messages(result)
    missing = [text for text in expected if not any(text in message for message in found)]
    assert missing == [], (missing, found)
    if nothing_else:
        assert len(found) == len(expected), found


ORG_HEADER = ["名称", "上级", "类别", "单位", "业务领域", "所在地", "成立日期", "换届日期", "任期年限"]
PERSON_HEADER = ["姓名", "所在组织", "党小组", "人员类别", "入党日期", "身份证号", "手机号", "党内职务"]
