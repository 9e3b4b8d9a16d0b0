"""组织关系转接台账: the year's changes with their letters, from the ledger registry and `zhibu ledger`."""

import io
from datetime import date

from django.core.management import call_command
from openpyxl import load_workbook

from zhibu.orgs import access, membership
from zhibu.orgs.membership import Change
from zhibu.records.ledger_registry import LEDGERS


def test_the_ledger_lists_the_years_changes_with_their_letters(tree, tmp_path):
    membership.record_event(tree.people.a_other, Change("内部转接", date(2025, 7, 15), target=tree.orgs.b))
    membership.record_event(tree.people.b_member, Change("转出", date(2025, 1, 5), other_party="某县委组织部",
                                                         dues_paid_to="2024-12"))
    membership.record_event(tree.people.a_member, Change("转出", date(2024, 3, 1), other_party="另一年"))
    name, _mime, content = LEDGERS["zhuanjie"].produce(access.SYSTEM, tree.orgs.committee, 2025)
    assert name == "测试机关党委-2025年组织关系转接台账.xlsx"
    sheet = load_workbook(io.BytesIO(content))["组织关系转接台账"]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "测试机关党委2025年党员组织关系转接台账"
    header = values[2] if "姓名" in values[2] else values[1]
    data = [dict(zip(header, row)) for row in values if row[0] in (1, 2)]
    assert [(r["姓名"], r["变动类型"], r["对方组织"], r["状态"]) for r in data] == [
        ("孙党员", "转出", "某县委组织部", "逾期未回执"), ("赵同志", "内部转接", "乙支部", "已生效")]
    out = tmp_path / "zj.xlsx"
    call_command("ledger", "组织关系转接台账", org="乙支部", year="2025", out=str(out))
    rows = list(load_workbook(out)["组织关系转接台账"].iter_rows(values_only=True))
    assert sum(1 for row in rows if row[0] in (1, 2)) == 2  # the one who left 乙支部 and the one who came
