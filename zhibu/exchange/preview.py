"""What an import will change, shown before it is confirmed: per sheet the rows to add, the rows to change
(field by field) and how many stay as they are, and who a record will count as 缺席 without being listed.

The import is run as a dry run (zhibu.exchange.workbook.import_workbook) with a `Preview` observing the
writing: it exports the login's data of the workbook's sheets just before the writing transaction and again
inside it, after the writing (then rolled back), and compares the two exports row by row. Working on the exported rows — the public exchange format —
keeps this independent of how each sheet writes (save, bulk create, update).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zhibu.lib.cells import cell_text

# The columns that name a row (as an import matches it); a row whose other cells differ is "changed".
ROW_KEYS = {
    "党组织": ("名称",),
    "党员": ("姓名", "所在组织"),
    "组织关系": ("编号", "姓名", "变动类型", "日期"),
    "活动": ("组织", "编号", "类型", "日期", "主题"),
    "清单": ("组织", "编号", "清单", "年度", "内容"),
    "党费": ("姓名", "组织", "月份"),
    "积分调整": ("姓名", "组织", "日期", "事由"),
    "民主评议": ("姓名", "组织", "年度"),
}
SHOWN_PER_SHEET = 200  # more rows than this are counted, not listed


def _text(value: Any) -> str:
    """A cell as the reader sees it, so an export and a workbook compare equal when they mean the same."""
    if isinstance(value, (list, tuple)):
        return "、".join(_text(part) for part in value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}" if (value.hour, value.minute) != (0, 0) else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
    if isinstance(value, bool):
        return "是" if value else "否"
    return cell_text(value)


@dataclass
class FieldChange:
    column: str
    before: str
    after: str


@dataclass
class RowChange:
    label: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class SheetPreview:
    name: str
    added: list[str] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    added_count: int = 0
    changed_count: int = 0
    unchanged_count: int = 0
    absentees: list[tuple[str, list[str]]] = field(default_factory=list)  # record → names counted 缺席

    @property
    def hidden(self) -> int:
        return self.added_count - len(self.added) + self.changed_count - len(self.changed)


def _keyed(sheet: str, rows) -> dict[tuple, dict[str, str]]:
    """Rows by their key; twins (same key) are told apart by their order, as the import matches them."""
    keys = ROW_KEYS.get(sheet, ())
    seen: Counter = Counter()
    keyed = {}
    for row in rows:
        texts = {column: _text(value) for column, value in row.items()}
        key = tuple(texts.get(column, "") for column in keys)
        seen[key] += 1
        keyed[key + (seen[key],)] = texts
    return keyed


def _label(sheet: str, key: tuple) -> str:
    return " ".join(part for part in key[:-1] if part) + (f"（第{key[-1]}条）" if key[-1] > 1 else "")


class Preview:
    """import_workbook(observer=…): exports the workbook's sheets before the writing and after it, then compares."""

    def __init__(self, actor):
        self.actor = actor
        self.sheet_names: list[str] = []
        self.before_rows: dict[str, dict[tuple, dict[str, str]]] = {}
        self.sheets: list[SheetPreview] = []

    def _export(self) -> dict[str, dict[tuple, dict[str, str]]]:
        from zhibu.exchange.sheets import SHEETS
        from zhibu.orgs import access

        orgs = access.managed_orgs(self.actor)
        return {sheet.name: _keyed(sheet.name, sheet().export_rows(self.actor, orgs))
                for sheet in SHEETS if sheet.name in self.sheet_names}

    def before(self, sheet_names: list[str]) -> None:
        """Called before the writing transaction: only the sheets the workbook holds are exported."""
        self.sheet_names = sheet_names
        self.before_rows = self._export()

    def after(self) -> None:
        """Called inside the transaction, after the writing (a dry run then rolls it back)."""
        for name, rows in self._export().items():
            self.sheets.append(self._compare(name, self.before_rows.get(name, {}), rows))

    def _compare(self, name: str, before: dict, after: dict) -> SheetPreview:
        sheet = SheetPreview(name)
        for key, row in after.items():
            old = before.get(key)
            if old is None:
                sheet.added_count += 1
                if len(sheet.added) < SHOWN_PER_SHEET:
                    sheet.added.append(_label(name, key))
                if name == "活动":
                    self._absentees(sheet, row)
                continue
            changes = [FieldChange(column, old.get(column, ""), value) for column, value in row.items()
                       if old.get(column, "") != value]
            if changes:
                sheet.changed_count += 1
                if len(sheet.changed) < SHOWN_PER_SHEET:
                    sheet.changed.append(RowChange(_label(name, key), changes))
                if name == "活动":
                    self._absentees(sheet, row)
            else:
                sheet.unchanged_count += 1
        return sheet

    def _absentees(self, sheet: SheetPreview, row: dict[str, str]) -> None:
        """Those due at the record (its type's circle) whom the row does not list: the figures count them 缺席."""
        from zhibu.records.attendance import figures
        from zhibu.records.models import Activity

        records = Activity.objects.filter(org__name=row.get("组织", ""), type__name=row.get("类型", ""),
                                          date=row.get("日期", "")[:10] or None, subject=row.get("主题", ""))
        if row.get("编号"):
            records = records.filter(ref=row["编号"])
        for record in records.select_related("org", "type")[:1]:
            missing = figures(record).unrecorded
            if missing:
                label = f"{row.get('日期', '')} {row.get('组织', '')} {row.get('类型', '')}".strip()
                sheet.absentees.append((label, [person.name for person in missing]))

    @property
    def changes_anything(self) -> bool:
        return any(sheet.added_count or sheet.changed_count for sheet in self.sheets)


def preview_workbook(source, actor, *, filename: str = ""):
    """(ImportResult of the dry run, Preview) for an uploaded workbook; nothing is written."""
    from zhibu.exchange.workbook import import_workbook

    preview = Preview(actor)
    result = import_workbook(source, actor, dry_run=True, filename=filename, observer=preview)
    return result, preview
