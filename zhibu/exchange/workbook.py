"""Reading and writing the exchange workbook (see docs/exchange-format.md).

A sheet is one class in `zhibu.exchange.sheets` (registered in SHEETS, in the
order their references require), built on the framework in `framework.py`. Import
runs in two passes: every sheet first reads and checks all its rows, collecting
every problem; only a workbook without problems is written, in one transaction.
"""

from __future__ import annotations

import zipfile
import os

from django.conf import settings
from django.db import transaction
from openpyxl.utils.exceptions import InvalidFileException

from zhibu.lib.cells import cell_text
from zhibu.lib.ledgerbook import table_workbook
from zhibu.lib.sheetreader import UnreadableSheet, open_workbook
from zhibu.lib.personal import mask_address, mask_id_number, mask_phone
from zhibu.lib.uploads import UploadError, check_office_package
from zhibu.exchange.framework import (  # noqa: F401 (the framework's names, for the driver's callers)
    Column, ImportContext, ImportResult, Issue, Row, RowReader, Sheet, SheetSummary, default_fix,
)


_TOO_MANY = object()
ROW_LIMIT_FIX = "请把数据分成几个工作簿分别导入（每次导入的行数上限由管理员用环境变量 ZHIBU_IMPORT_MAX_ROWS 设置）"


def _too_many_rows(rows: int | None, limit: int) -> str:
    counted = f"共有 {rows} 行数据，" if rows else ""
    return f"工作簿{counted}超过每次导入的上限 {limit} 行，未做任何处理"


def _read_sheet_rows(sheet_class: type[Sheet], worksheet, context: ImportContext, *, limit: int | None = None):
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    names = [cell_text(cell) for cell in header]
    known = sheet_class.column_names()
    # A wrong column name is reported and its column left out, and a missing column reported once: the rows are
    # still checked, so one broken column does not hide the other errors of the sheet (all errors in one pass).
    header_ok = True
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name not in known:
            header_ok = False
            from difflib import get_close_matches

            guess = get_close_matches(name, known, n=1, cutoff=0.3)
            context.add(
                sheet_class.name,
                1,
                name,
                f"未知的列名“{name}”",
                (f"是否应为“{guess[0]}”？" if guess else "") + "可用的列名：" + "、".join(known),
            )
        elif names.count(name) > 1 and names.index(name) + 1 == position:
            header_ok = False
            context.add(sheet_class.name, 1, name, "列名重复", "每列只能出现一次，请删除多余的列")
    for column in sheet_class.columns:
        if column.required and column.name not in names:
            header_ok = False
            context.add(sheet_class.name, 1, column.name, "缺少必填列", f"请在第1行加上列名“{column.name}”")
    if not header_ok:
        missing = {column.name for column in sheet_class.columns if column.required and column.name not in names}
        context.declared.setdefault(MISSING_COLUMNS, {})[sheet_class.name] = missing
        names = [name if name in known and names.index(name) + 1 == position else ""
                 for position, name in enumerate(names, start=1)]
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {name: value for name, value in zip(names, values) if name}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in cells.values()):
            continue
        if limit is not None and len(result) >= limit:
            return _TOO_MANY  # the sheet's size was not declared (or wrongly): stop reading at the limit
        result.append(Row(number, cells))
    return result


class _Rollback(Exception):
    pass


# ImportContext.declared key: sheet name → required columns missing from its header (reported once, not per row).
MISSING_COLUMNS = "missing_columns"


def _without_repeats_of_missing_columns(context: ImportContext) -> None:
    missing = context.declared.get(MISSING_COLUMNS, {})
    if missing:
        context.issues[:] = [issue for issue in context.issues
                             if not (issue.row and issue.row > 1 and issue.column in missing.get(issue.sheet, ()))]


def import_workbook(source, actor, *, dry_run: bool = False, filename: str = "", progress=None,
                    observer=None) -> ImportResult:
    """Check and (unless dry_run or a problem is found) write a whole workbook, all or nothing.

    The workbook is read and every row checked outside any transaction, so no write lock is held meanwhile; only
    the writing happens in one transaction. ``progress(done, total, stage)``, when given, is told each step:
    reading, checking and writing each sheet. ``observer`` (zhibu/exchange/preview.py) is asked to look at the data
    of the workbook's sheets before the transaction (`before(sheet_names)`) and again inside it, after the writing
    (`after()`): a dry run's preview compares the two."""
    from zhibu.exchange.sheets import SHEETS

    context = ImportContext(actor=actor)
    if isinstance(source, (str, os.PathLike)):  # the commands pass a path; the checks read a stream
        with open(source, "rb") as handle:
            return import_workbook(handle, actor, dry_run=dry_run, filename=filename or os.path.basename(source),
                                   progress=progress, observer=observer)
    steps = 1 + 3 * len(SHEETS)

    def step(done: int, stage: str) -> None:
        if progress is not None:
            progress(done, steps, stage)

    step(0, "正在检查文件")
    try:
        # Sizes, parts, rows, columns and entity declarations, before openpyxl inflates anything.
        check_office_package(source, filename or "工作簿", workbook=True)
    except UploadError as error:
        context.add("", None, None, str(error), "")
        return ImportResult(context.issues, {}, False)
    try:
        workbook = open_workbook(source)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        detail = str(error) if isinstance(error, OSError) else ""
        context.add("", None, None, "无法读取文件：它不是有效的 .xlsx 工作簿" + (f"（{detail}）" if detail else ""),
                    "请用 Excel 或 WPS 另存为“Excel 工作簿 (*.xlsx)”后再导入")
        return ImportResult(context.issues, {}, False)
    from zhibu.exchange import national

    try:
        if national.is_national(workbook):  # the roster in the national system's columns
            return national.import_roster(workbook, context, dry_run=dry_run, limit=settings.IMPORT_MAX_ROWS)
        known_sheets = {sheet.name: sheet for sheet in SHEETS}
        for title in workbook.sheetnames:
            if title not in known_sheets:
                context.add(title, None, None, f"未知的工作表“{title}”", "可用的工作表：" + "、".join(known_sheets))
        limit = settings.IMPORT_MAX_ROWS
        declared = sum(max((workbook[title].max_row or 1) - 1, 0) for title in workbook.sheetnames if title in known_sheets)
        if declared > limit:
            workbook.close()
            context.add("", None, None, _too_many_rows(declared, limit), ROW_LIMIT_FIX)
            return ImportResult(context.issues, {}, False)
        rows_by_sheet = {}
        counted = 0
        for number, sheet_class in enumerate(SHEETS):
            if sheet_class.name in workbook.sheetnames:
                step(1 + number, f"正在读取工作表“{sheet_class.name}”")
                rows = _read_sheet_rows(sheet_class, workbook[sheet_class.name], context, limit=limit - counted)
                if rows is _TOO_MANY:
                    workbook.close()
                    context.issues[:] = [Issue("", None, None, _too_many_rows(None, limit), ROW_LIMIT_FIX)]
                    return ImportResult(context.issues, {}, False)
                if rows is not None:
                    rows_by_sheet[sheet_class.name] = rows
                    counted += len(rows)
    except UnreadableSheet as error:  # a damaged sheet: said once, nothing written
        workbook.close()
        context.issues[:] = [Issue(error.title, None, None, str(error),
                                   "请用 Excel 或 WPS 打开后另存为“Excel 工作簿 (*.xlsx)”，再导入")]
        return ImportResult(context.issues, {}, False)
    workbook.close()
    # A sheet may need to know what a later one says (sheet 党员 checks a change of 所在组织 against 组织关系).
    context.declared["rows_by_sheet"] = rows_by_sheet
    parsed = {}
    for number, sheet_class in enumerate(SHEETS):
        if sheet_class.name in rows_by_sheet:
            step(1 + len(SHEETS) + number, f"正在检查工作表“{sheet_class.name}”（{len(rows_by_sheet[sheet_class.name])} 行）")
            sheet = sheet_class()
            parsed[sheet_class.name] = (sheet, sheet.parse(rows_by_sheet[sheet_class.name], context))
    _without_repeats_of_missing_columns(context)
    if context.issues:
        return ImportResult(context.issues, {}, False)
    summaries: dict[str, SheetSummary] = {}
    if observer is not None:
        observer.before(list(parsed))  # read outside the transaction: no write lock while it exports
    try:
        with transaction.atomic():
            for number, (name, (sheet, plan)) in enumerate(parsed.items()):
                step(1 + 2 * len(SHEETS) + number, f"正在写入工作表“{name}”")
                summaries[name] = sheet.apply(plan, context)
            if observer is not None:
                observer.after()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return ImportResult([], summaries, not dry_run)


# Columns holding personal data: written in full, or masked when the export is made masked.
PERSONAL_COLUMNS = {"身份证号": mask_id_number, "手机号": mask_phone, "户籍所在地": mask_address, "现居住地": mask_address}


def _masked(rows):
    for row in rows:
        yield {name: (PERSONAL_COLUMNS[name](value) if name in PERSONAL_COLUMNS and value else value) for name, value in row.items()}


def _counted(rows, progress, done: int, total: int, name: str):
    """The rows as they are written, telling `progress` every 500 rows."""
    progress(done, total, f"正在写入工作表“{name}”")
    for number, row in enumerate(rows, start=1):
        if number % 500 == 0:
            progress(done, total, f"正在写入工作表“{name}”（已写 {number} 行）")
        yield row


def export_workbook(actor, orgs, sheet_names: list[str] | None = None, *, masked: bool = False,
                    progress=None) -> bytes:
    """The exchange workbook for the given organisations (already scoped to what the actor may see).

    ``masked`` writes ID-card and mobile numbers with their middle digits hidden. The caller decides (access.
    may_export_personal_data) and logs the export (accesslog.log_export). ``progress(done, total, stage)``, when
    given, is told each sheet as it starts and every 500 rows."""
    from zhibu.exchange.sheets import SHEETS

    chosen = [sheet_class for sheet_class in SHEETS if not sheet_names or sheet_class.name in sheet_names]

    def rows(sheet_class):
        found = sheet_class().export_rows(actor, orgs)
        found = _masked(found) if masked else found
        if progress is None:
            return found
        return _counted(found, progress, chosen.index(sheet_class), len(chosen), sheet_class.name)

    content = table_workbook((sheet_class.name, sheet_class.column_names(), rows(sheet_class)) for sheet_class in chosen)
    if progress is not None:
        progress(len(chosen), len(chosen), "已写完")
    return content
