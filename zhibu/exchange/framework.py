"""The sheet framework of the exchange workbook: what a sheet is (`Sheet`, its `Column`s), the rows it reads
(`Row`, `RowReader`), the problems it reports (`Issue`, each with its fix) and what it did (`SheetSummary`,
`ImportResult`). Each sheet in `zhibu/exchange/sheets/` builds on this; the driver that lists the sheets, reads a
workbook and writes it in one transaction is `zhibu/exchange/workbook.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any, ClassVar, Iterable

from zhibu.lib.cells import CellError, cell_text
from zhibu.lib.textinput import check_field


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int | None
    column: str | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = [f"工作表“{self.sheet}”"] if self.sheet else []
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"列“{self.column}”")
        text = "，".join(where) + ("：" if where else "") + self.message
        if not self.fix:
            return text
        # A message that ends in its own question or full stop needs no second one before the fix.
        return text + ("" if text.endswith(("？", "。", "！")) else "。") + self.fix


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    # "app_label.Model.field" whose max_length and validators the column's text must meet (one definition of
    # each limit, on the model): the text is normalised (zhibu/lib/textinput.py) and checked by that field's rules.
    field: str = ""

    def model_field(self):
        return _model_field(self.field)


@lru_cache(maxsize=None)
def _model_field(path: str):
    """The model field "app_label.Model.field" names (looked up once: every row's every text column asks)."""
    from django.apps import apps

    app_label, model_name, field_name = path.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


@dataclass
class Row:
    """One data row as read: column name → raw cell value, plus its row number for messages."""

    number: int
    cells: dict[str, Any]

    def text(self, column: str) -> str:
        return cell_text(self.cells.get(column))

    def raw(self, column: str):
        return self.cells.get(column)


@dataclass
class SheetSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


@dataclass
class ImportContext:
    """Shared state of one import: who imports, what earlier sheets declared, the problems found."""

    actor: Any
    issues: list[Issue] = field(default_factory=list)
    # Filled by sheets as they parse, for the sheets after them (e.g. organisation name → kind).
    declared: dict[str, Any] = field(default_factory=dict)

    def add(self, sheet: str, row: int | None, column: str | None, message: str, fix: str = "") -> None:
        if not fix and column:  # every error says how to fix it: at least what the column takes
            fix = default_fix(sheet, column)
        self.issues.append(Issue(sheet, row, column, message, fix))


def default_fix(sheet: str, column: str) -> str:
    from zhibu.exchange.columnhelp import HELP, SHEET_HELP

    text = SHEET_HELP.get((sheet, column)) or HELP.get(column)
    return f"请改正后重新导入；“{column}”应填：{text}" if text else f"请核对“{column}”后重新导入"


class RowReader:
    """Reads typed values from a row, recording a problem instead of raising, so every problem is listed."""

    def __init__(self, sheet: "Sheet", row: Row, context: ImportContext):
        self.sheet, self.row, self.context = sheet, row, context
        self.ok = True

    def problem(self, column: str | None, message: str, fix: str = "") -> None:
        self.ok = False
        self.context.add(self.sheet.name, self.row.number, column, message, fix)

    def text(self, column: str) -> str:
        value = self.row.text(column)
        spec = self.sheet.column(column)
        if spec is not None and spec.field and value:
            value, problems = check_field(spec.model_field(), value, label=column)
            for problem in problems:
                self.problem(column, problem)
        if not value and self.sheet.is_required(column):
            self.problem(column, "必填项为空", f"请填写“{column}”")
        return value

    def parsed(self, column: str, parser, fix: str = ""):
        raw = self.row.raw(column)
        try:
            value = parser(raw)
        except CellError as error:
            self.problem(column, str(error), fix)
            return None
        if value is None and self.sheet.is_required(column):
            self.problem(column, "必填项为空", f"请填写“{column}”")
        return value

    def choice(self, column: str, choices: Iterable[str], default: str | None = None) -> str | None:
        value = self.text(column)
        if not value:
            return default
        allowed = list(choices)
        if value not in allowed:
            self.problem(column, f"“{value}”不是有效的{column}", "可填：" + "、".join(allowed))
            return None
        return value

    def past_date(self, column: str, parser) -> date | None:
        value = self.parsed(column, parser)
        if value and value > date.today():
            self.problem(column, f"{value:%Y-%m-%d} 晚于今天", f"“{column}”不能是将来的日期，请核对")
            return None
        return value


class Sheet:
    """One sheet of the exchange workbook. Subclasses declare columns and implement parse/apply/export."""

    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]

    @classmethod
    def is_required(cls, column: str) -> bool:
        return column in cls._column_index()[1]

    @classmethod
    def column(cls, name: str) -> Column | None:
        return cls._column_index()[0].get(name)

    @classmethod
    def _column_index(cls) -> tuple[dict[str, Column], frozenset[str]]:
        """Each column by name (the first of a name) and the names of required ones, made once per sheet class:
        every cell read asks."""
        index = cls.__dict__.get("_columns_by_name")
        if index is None or index[2] is not cls.columns:
            by_name: dict[str, Column] = {}
            for c in cls.columns:
                by_name.setdefault(c.name, c)
            index = (by_name, frozenset(c.name for c in cls.columns if c.required), cls.columns)
            cls._columns_by_name = index
        return index[0], index[1]

    @classmethod
    def column_names(cls) -> list[str]:
        return [c.name for c in cls.columns]

    def parse(self, rows: list[Row], context: ImportContext) -> list:
        """Check every row; return what apply() needs. Record problems in the context."""
        raise NotImplementedError

    def apply(self, parsed: list, context: ImportContext) -> SheetSummary:
        raise NotImplementedError

    def export_rows(self, actor, orgs) -> Iterable[dict[str, Any]]:
        raise NotImplementedError


@dataclass
class ImportResult:
    issues: list[Issue]
    summaries: dict[str, SheetSummary]
    written: bool
    notes: list[str] = field(default_factory=list)  # what the preview should say besides the changes (e.g. columns not kept)

    @property
    def ok(self) -> bool:
        return not self.issues
