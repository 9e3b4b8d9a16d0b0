"""问题整改台账 as .xlsx and .docx: the same rows and summary in both, and each file opens in LibreOffice."""

import io
from datetime import date

import docx
import pytest
from openpyxl import load_workbook

from tests.lists.conftest import PDF, make_item, upload
from tests.libreoffice import convert_to_pdf
from zhibu.lists.evidence import attach_files
from zhibu.lists.rectification_ledger import COLUMNS, build_ledger, ledger_docx, ledger_xlsx
from zhibu.lists.models import ListItem, ListKind, Status

TODAY = date(2025, 11, 20)


@pytest.fixture
def ledger(tree):
    a = tree.orgs.a
    done = make_item(a, content="学习方式单一", measures="每月集中学习", owner=tree.people.a_member, deadline=date(2025, 6, 30),
                     status=Status.DONE, completed_on=date(2025, 6, 20), completion_note="已制定学习计划")
    attach_files(done, [upload("学习记录.pdf", PDF)], user=None)
    make_item(a, content="党建引领不够", deadline=date(2025, 9, 30), status=Status.IN_PROGRESS)
    make_item(a, year=2024, content="思路不够开阔", deadline=date(2024, 12, 31))  # carried over
    make_item(a, content="导入时已完成", status=Status.DONE, completed_on=date(2025, 3, 1))
    make_item(a, kind=ListKind.TASK, content="不是问题清单")
    make_item(tree.orgs.b, content="乙支部的问题")
    return build_ledger(a, 2025, items=ListItem.objects.all(), today=TODAY)


def test_it_lists_the_problems_of_the_year_and_those_carried_in(ledger):
    rows = ledger.rows()
    assert [row["问题"] for row in rows] == ["思路不够开阔", "学习方式单一", "党建引领不够", "导入时已完成"]
    assert [row["序号"] for row in rows] == [1, 2, 3, 4]
    assert rows[0]["备注"] == "自2024年结转；逾期324天"
    assert rows[1]["佐证材料"] == "学习记录.pdf" and rows[1]["责任人"] == "李党员"
    assert rows[2]["备注"] == "逾期51天"
    assert rows[3]["备注"] == "无佐证材料"


def test_the_summary_gives_the_rate_of_the_years_own_problems(ledger):
    assert ledger.title == "甲支部2025年度问题整改台账"
    assert ledger.summary() == (
        "本年度登记问题3项，已完成2项，整改完成率66.7%；上年度结转1项，已完成0项；逾期未完成2项。统计截至2025年11月20日。"
    )


def test_the_xlsx_holds_the_rows_and_a_summary_sheet(ledger, tmp_path):
    content = ledger_xlsx(ledger)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["问题整改台账"]
    assert sheet["A1"].value == "甲支部2025年度问题整改台账"
    assert [cell.value for cell in sheet[3]] == COLUMNS
    assert sheet.cell(4, COLUMNS.index("问题") + 1).value == "思路不够开阔"
    assert sheet.max_row == 3 + 4 + 1  # title, date, header; four problems; the summary line
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    summary = dict(workbook["汇总"].iter_rows(values_only=True))
    assert summary["整改完成率"] == "66.7%" and summary["本年度登记问题（项）"] == 3
    assert convert_to_pdf(content, tmp_path, filename="台账.xlsx").stat().st_size > 0


def test_the_docx_is_a_landscape_official_document_with_the_table(ledger, tmp_path):
    content = ledger_docx(ledger)
    document = docx.Document(io.BytesIO(content))
    assert document.paragraphs[0].text == "甲支部2025年度问题整改台账"
    assert "整改完成率66.7%" in document.paragraphs[1].text
    section = document.sections[0]
    assert section.page_width > section.page_height
    [table] = document.tables
    assert [cell.text for cell in table.rows[0].cells] == COLUMNS
    assert len(table.rows) == 5
    assert table.rows[2].cells[COLUMNS.index("完成日期")].text == "2025-06-20"
    assert convert_to_pdf(content, tmp_path, filename="台账.docx").stat().st_size > 0
