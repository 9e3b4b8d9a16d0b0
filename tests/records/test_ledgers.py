"""The three ledgers: what each file holds, that LibreOffice opens it, and the command that writes them."""

import io
from datetime import date, time

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.libreoffice import convert_to_pdf
from zhibu.orgs import access
from zhibu.orgs.models import Person
from zhibu.records.ledger_registry import LEDGERS, ledger_named


@pytest.fixture
def year_of_records(tree, record):
    p = tree.people
    record(tree.orgs.a, "支部党员大会", date(2025, 2, 18), start_time=time(14, 30), subject="传达全会精神", place="三楼会议室",
           chair=p.a_secretary, recorder=p.a_other, minutes="一、传达学习。\n二、讨论。",
           roll={p.a_secretary: "出席", p.a_member: ("请假", "公差"), p.a_other: "出席"})
    record(tree.orgs.a, "党课", date(2025, 6, 1), subject="严守纪律", lecturer=p.a_secretary, tags=["廉政"],
           roll={p.a_secretary: "出席", p.a_member: "出席", p.a_other: "缺席"})
    record(tree.orgs.group_a, "党小组会", date(2025, 7, 1), subject="小组学习", roll={p.a_member: "出席"})
    record(tree.orgs.b, "支部党员大会", date(2025, 2, 20), subject="乙支部大会")
    record(tree.orgs.a, "签订党风廉政建设责任书", date(2025, 3, 1), quantity=5)
    return tree


def test_the_three_meetings_ledger_has_a_sheet_per_type_and_a_row_per_meeting(year_of_records):
    filename, mimetype, content = LEDGERS["sanhui"].produce(access.SYSTEM, year_of_records.orgs.a, 2025)
    book = load_workbook(io.BytesIO(content))
    assert filename == "甲支部-2025年三会一课台账.xlsx" and mimetype.endswith("spreadsheetml.sheet")
    assert book.sheetnames == ["支部党员大会", "支部委员会会议", "党小组会", "党课"]
    congress = list(book["支部党员大会"].iter_rows(values_only=True))
    assert congress[0][0] == "甲支部2025年支部党员大会台账"
    header = congress[2]
    row = dict(zip(header, congress[3]))
    assert (row["日期"].date(), row["时间"], row["主题"], row["主持人"], row["记录人"]) == (
        date(2025, 2, 18), "14:30", "传达全会精神", "王书记", "赵同志")
    assert (row["应到"], row["实到"], row["请假"], row["缺席"], row["出席率"]) == (3, 2, 1, 0, pytest.approx(0.667, abs=0.001))
    assert row["缺席人员及原因"] == "李党员（请假：公差）"
    assert congress[4][0] == "合计 1 次"  # 乙支部's meeting is not in 甲支部's ledger
    assert dict(zip(header, list(book["党小组会"].iter_rows(values_only=True))[3]))["组织"] == "甲一小组"
    assert dict(zip(header, list(book["党课"].iter_rows(values_only=True))[3]))["主讲人"] == "王书记"


def test_the_organisation_life_record_lays_out_each_meeting_as_minutes(year_of_records):
    filename, _mimetype, content = LEDGERS["zuzhishenghuo"].produce(access.SYSTEM, year_of_records.orgs.a, 2025)
    document = Document(io.BytesIO(content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert filename == "甲支部-2025年组织生活记录.docx"
    for line in ("2025年2月18日　甲支部支部党员大会", "时间：2025年2月18日 14:30", "地点：三楼会议室", "主持人：王书记",
                 "记录人：赵同志", "应到人数：3人；实到人数：2人", "缺席人员及原因：李党员（请假：公差）",
                 "主题：传达全会精神", "一、传达学习。", "2025年7月1日　甲一小组党小组会"):
        assert line in text, line
    assert "乙支部大会" not in text and "责任书" not in text
    headings = [p for p in document.paragraphs if p.style.name == "一级标题"]
    assert len(headings) == 3 and headings[1].paragraph_format.page_break_before


def test_the_sign_in_sheet_lists_those_due_in_stroke_order(tree, record):
    for name in ("丁一", "万二", "上官三"):
        Person.objects.create(branch=tree.orgs.a, name=name, category="正式党员", admitted_on=date(2010, 1, 1))
    planned = record(tree.orgs.a, "支部党员大会", date(2099, 7, 1), subject="年中大会", place="礼堂")
    filename, _mimetype, content = LEDGERS["qiandao"].produce(access.SYSTEM, tree.orgs.a, 2099, activity=planned)
    document = Document(io.BytesIO(content))
    table = document.tables[0]
    names = [row.cells[1].text for row in table.rows[1:]] + [row.cells[4].text for row in table.rows[1:]]
    assert [name for name in names if name] == ["丁一", "万二", "上官三", "王书记", "李党员", "赵同志"]
    assert filename == "甲支部-20990701支部党员大会签到表.docx"
    assert "应到人数：6人" in "\n".join(p.text for p in document.paragraphs)


# The results of a vote need a finished vote: 述职评议结果 is opened in LibreOffice by tests/review/test_problems.py,
# the 民主评议 ledgers by tests/appraisal/test_ledgers.py, the 换届选举 ledger by tests/elections/test_ledgers.py.
VOTE_LEDGERS = {"shuzhi", "minzhu_pingyi", "minzhu_pingyi_docx", "huanjie"}


@pytest.mark.parametrize("identifier", [identifier for identifier in LEDGERS if identifier not in VOTE_LEDGERS])
def test_libreoffice_opens_each_ledger(year_of_records, record, tmp_path, identifier):
    planned = record(year_of_records.orgs.a, "主题党日", date(2099, 1, 5))
    filename, _mimetype, content = LEDGERS[identifier].produce(access.SYSTEM, year_of_records.orgs.a, 2025, activity=planned)
    pdf = convert_to_pdf(content, tmp_path, filename=f"ledger{LEDGERS[identifier].extension}")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_a_ledger_is_found_by_identifier_or_chinese_name():
    assert ledger_named("组织生活记录") is LEDGERS["zuzhishenghuo"] and ledger_named("sanhui").verbose_name == "三会一课台账"
    with pytest.raises(LookupError, match="可用：三会一课台账（sanhui）"):
        ledger_named("会议记录")


def test_the_download_page_offers_each_ledger(client, year_of_records):
    client.force_login(year_of_records.users.secretary_a)
    page = client.get(reverse("ledger_page")).content.decode()
    assert "三会一课台账" in page and "组织生活记录" in page and "签到表" in page
    response = client.get(reverse("ledger_download", args=["sanhui"]), {"org": year_of_records.orgs.a.pk, "year": 2025})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def _run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", *args, stdout=stdout, stderr=stderr)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, stdout.getvalue(), stderr.getvalue()


def test_the_command_writes_a_ledger(year_of_records, tmp_path):
    out = tmp_path / "台账.xlsx"
    code, stdout, _ = _run("三会一课台账", "--org", "甲支部", "--year", "2025", "--out", str(out))
    assert code == 0 and "已生成 甲支部-2025年三会一课台账.xlsx" in stdout
    assert load_workbook(out).sheetnames[0] == "支部党员大会"


def test_the_command_writes_a_sign_in_sheet_for_an_activity(tree, record, tmp_path):
    planned = record(tree.orgs.a, "主题党日", date(2099, 1, 5))
    out = tmp_path / "签到.docx"
    code, _, _ = _run("qiandao", "--activity", str(planned.pk), "--out", str(out))
    assert code == 0 and Document(out).tables[0].rows[1].cells[1].text == "王书记"


@pytest.mark.parametrize(("args", "message"), [
    (["会议记录", "--org", "甲支部", "--year", "2025"], "没有名为“会议记录”的台账"),
    (["sanhui", "--org", "无此支部", "--year", "2025"], "没有名为“无此支部”的组织"),
    (["sanhui", "--org", "甲支部", "--year", "25"], "年度“25”不是有效的年份"),
    (["sanhui", "--year", "2025"], "请用 --org 指定组织名称"),
    (["qiandao"], "签到表须用 --activity 指定"),
    (["qiandao", "--activity", "999999"], "没有 ID 为 999999 的活动记录"),
])
def test_the_command_exits_1_with_a_chinese_message(tree, tmp_path, args, message):
    extension = ".docx" if args[0] == "qiandao" else ".xlsx"
    code, _, stderr = _run(*args, "--out", str(tmp_path / f"x{extension}"))
    assert code == 1 and message in stderr
    assert not (tmp_path / f"x{extension}").exists()


def test_the_command_refuses_an_output_name_of_the_wrong_kind(tree, tmp_path):
    code, _, stderr = _run("sanhui", "--org", "甲支部", "--year", "2025", "--out", str(tmp_path / "x.docx"))
    assert code == 1 and "输出文件名应以 .xlsx 结尾" in stderr


@pytest.mark.parametrize("name, org, suffix", [
    ("dangfei", "甲支部", "xlsx"), ("gongshi", "甲支部", "docx"), ("fazhan", "甲支部", "xlsx"),
    ("zhenggai", "测试机关党委", "xlsx"), ("问题整改台账", "测试机关党委", "xlsx"), ("zhenggai-word", "甲支部", "docx"),
])
def test_other_parts_ledgers_are_in_the_same_registry(tree, tmp_path, name, org, suffix):
    out = tmp_path / f"台账.{suffix}"
    call_command("ledger", name, org=org, year="2025", out=str(out))
    assert out.stat().st_size > 1000


def test_a_branch_ledger_for_a_committee_is_refused_clearly(tree, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "dangfei", org="测试机关党委", year="2025", out=str(tmp_path / "x.xlsx"))
    assert exit_info.value.code == 1 and "请选择一个党支部" in capsys.readouterr().err


def test_every_ledger_made_per_branch_refuses_a_committee_before_reading_anything(tree):
    from zhibu.records.ledger_registry import LedgerError

    per_branch = [ledger for ledger in LEDGERS.values() if ledger.branch_only]
    assert {"dangfei", "gongshi", "fazhan", "huanjie", "minzhu_pingyi"} <= {ledger.identifier for ledger in per_branch}
    for ledger in per_branch:
        with pytest.raises(LedgerError, match=f"{ledger.verbose_name}按党支部生成"):
            ledger.produce(access.SYSTEM, tree.orgs.committee, 2025)


def test_a_ledgers_file_type_follows_from_its_extension():
    assert {(ledger.extension, ledger.mimetype) for ledger in LEDGERS.values()} == {
        (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    }
