"""党员教育培训学时台账: each member's records and total against 32; exempted members are marked, not judged."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from tests.records.conftest import make_record
from zhibu.orgs import access
from zhibu.orgs.models import Exemption
from zhibu.records.ledger_registry import ledger_named


def test_the_ledger_lists_hours_and_states(tree):
    member, other, secretary = tree.people.a_member, tree.people.a_other, tree.people.a_secretary
    make_record(tree.orgs.a, "党课", date(2025, 3, 1), subject="学习党章", roll={member: "出席", other: "缺席"})
    make_record(tree.orgs.a, "理论学习", date(2025, 4, 1), roll={member: "出席"}, study_hours=Decimal(28))
    Exemption.objects.create(person=secretary, start=date(2024, 1, 1), reason="年老体弱")
    ledger = ledger_named("xueshi")
    filename, _, content = ledger.produce(access.SYSTEM, tree.orgs.a, 2025)
    assert filename == "甲支部-2025年党员教育培训学时台账.xlsx"
    rows = {row[1]: row for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=4, values_only=True) if row[1]}
    assert rows["李党员"][3] == "03-01 党课《学习党章》 4；04-01 理论学习 28" and rows["李党员"][4] == 32
    assert rows["李党员"][6] == "达到" and rows["赵同志"][6] == "差32学时"
    assert rows["王书记"][6].startswith("免于参加组织生活")
