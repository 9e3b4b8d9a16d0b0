"""Sheet 民主评议: all or nothing, one result per member and year, 处置 for 不合格, and a round trip."""

import io
from datetime import date

from openpyxl import load_workbook

from tests.appraisal.conftest import add_members
from tests.exchange.workbooks import assert_each_reported, workbook_bytes
from zhibu.appraisal import services
from zhibu.appraisal.models import Appraisal, Participant, Status
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Category, Organisation

HEADER = ["姓名", "组织", "年度", "评定结果", "处置", "评定日期"]


def _import(rows, actor=access.SYSTEM, **kwargs):
    return import_workbook(workbook_bytes({"民主评议": [HEADER, *rows]}), actor, **kwargs)


def test_rows_make_a_finished_appraisal(tree):
    add_members(tree.orgs.a, 1, prefix="预备", category=Category.PROBATIONARY, login=False)
    result = _import([
        ["王书记", "甲支部", 2025, "优秀", None, "2025-12-20"],
        ["李党员", "甲支部", 2025, "不合格", "限期改正", "2025-12-20"],
        ["赵同志", "甲支部", 2025, "合格", None, None],
        ["预备0", "甲支部", 2025, "不评定", None, None],
    ])
    assert result.ok, [str(i) for i in result.issues]
    appraisal = Appraisal.objects.get()
    assert (appraisal.status, appraisal.imported, appraisal.evaluated_on) == (Status.DONE, True, date(2025, 12, 20))
    assert sorted(appraisal.participants.values_list("name", "grade", "disposal", "graded")) == [
        ("李党员", "不合格", "限期改正", True), ("王书记", "优秀", "", True), ("赵同志", "合格", "", True), ("预备0", "不评定", "", False)]


def test_one_bad_row_writes_nothing_and_every_problem_is_listed(tree):
    result = _import([
        ["王书记", "甲支部", 2025, "优秀", None, "2025-12-20"],
        ["李党员", "甲支部", 2025, "不合格", None, "2025-12-20"],
        ["赵同志", "甲支部", 2025, "很好", None, None],
        ["孙党员", "乙支部", 2025, "合格", "除名", None],
        ["王书记", "甲支部", 2025, "合格", None, None],
        ["周党员", "丙支部", 2025, "合格", None, None],
        ["王书记", "甲支部", 2026, "合格", None, "2026-01-05"],
        ["李党员", "甲支部", 2026, "合格", None, "2026-01-06"],
    ], actor=tree.users.organiser)
    assert not result.written and not Appraisal.objects.exists() and not Participant.objects.exists()
    assert_each_reported(result, ["第3行，列“处置”：评定为不合格时必须填写处置", "第4行，列“评定结果”：“很好”不是有效的评定结果",
                "第5行，列“处置”：评定结果为“合格”时不应填写处置", "第6行，列“姓名”：与第2行是同一人、同一年度",
                "第7行，列“姓名”：在“丙支部”找不到人员“周党员”，或您无权管理", "第9行，列“评定日期”：与第8行的评定日期2026-01-05不同"])


def test_an_appraisal_under_way_is_not_overwritten(tree):
    appraisal = services.create(tree.users.secretary_a, tree.orgs.a, 2026)
    services.open_voting(appraisal)
    result = _import([["王书记", "甲支部", 2026, "优秀", None, None]])
    assert not result.written and "正在系统中进行" in str(result.issues[0])
    assert not appraisal.participants.exclude(grade="").exists()


def test_export_and_import_round_trip(tree):
    first_rows = [["王书记", "甲支部", 2025, "优秀", None, "2025-12-20"], ["李党员", "甲支部", 2025, "不合格", "劝其退党", "2025-12-20"],
                  ["赵同志", "甲支部", 2025, "基本合格", None, "2025-12-20"]]
    assert _import(first_rows).ok
    first = export_workbook(access.SYSTEM, Organisation.objects.all(), ["民主评议"])
    rows = list(load_workbook(io.BytesIO(first))["民主评议"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER) and len(rows) == 4
    result = import_workbook(io.BytesIO(first), access.SYSTEM)
    assert result.ok and (result.summaries["民主评议"].created, result.summaries["民主评议"].updated) == (0, 0)
    assert result.summaries["民主评议"].unchanged == 3
    assert export_workbook(access.SYSTEM, Organisation.objects.all(), ["民主评议"]) == first or \
        list(load_workbook(io.BytesIO(export_workbook(access.SYSTEM, Organisation.objects.all(), ["民主评议"])))["民主评议"].iter_rows(values_only=True)) == rows
