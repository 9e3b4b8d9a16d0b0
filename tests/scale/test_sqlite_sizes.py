"""Sizes that used to break the default SQLite install ("Expression tree is too large"): a committee's export and
its 三会一课台账 over 40 branches and more than 1,000 people."""

import io

from django.core.management import call_command
from openpyxl import load_workbook

from tests.scale.conftest import YEAR, add_branches
from zhibu.compliance.facts import check
from zhibu.orgs import access
from zhibu.records.ledger_registry import ledger_named


def test_a_committee_of_40_branches_exports_and_writes_its_ledger(tree, tmp_path):
    add_branches(tree.orgs.committee, 40, members=26)
    out = tmp_path / "unit.xlsx"
    call_command("export", str(out), "--org", tree.orgs.committee.name, stdout=io.StringIO())
    book = load_workbook(out, read_only=True)
    assert _rows(book["活动"]) == 40 * 4 and _rows(book["党员"]) >= 40 * 26
    _name, _mime, content = ledger_named("sanhui").produce(access.SYSTEM, tree.orgs.committee, YEAR)
    assert _rows(load_workbook(io.BytesIO(content), read_only=True)["支部党员大会"]) > 40
    result = check(access.SYSTEM, tree.orgs.committee, YEAR)
    assert len(result.branches) == 42


def _rows(sheet) -> int:
    return sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(value is not None for value in row))
