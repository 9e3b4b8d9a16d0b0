"""One identity per activity type (renaming changes words only), one definition of "held" (a planned
meeting counts nowhere until its day), and figures in the cells of a Word table."""

import io
from datetime import date

import docx
import pytest

from tests.reports.conftest import SEED, YEAR
from zhibu.compliance.facts import check
from zhibu.development.birthdays import birthday_type_id
from zhibu.orgs import access
from zhibu.records.attendance import member_year
from zhibu.records.models import Activity, ActivityType, Attendance, Status
from zhibu.reports.documents import fill_template, read_template
from zhibu.reports.fill import fill_placeholders


def _figures(org, text, year=YEAR, today=date(2026, 1, 15)):
    return [(i["index"], i["metric"], i["value"], i["status"], tuple(i["evidence"]))
            for i in (item.as_json() for item in fill_placeholders(access.SYSTEM, org, year, text, today=today))]


def _findings(org, year=YEAR, today=date(2026, 1, 15)):
    return sorted((f.org, f.rule, f.period, f.status, f.message) for f in check(access.SYSTEM, org, year, today=today).findings)


def test_renaming_a_type_keeps_every_figure_and_finding(tree, branch_records):
    seed = SEED.read_text(encoding="utf-8")
    before = _figures(branch_records, seed), _findings(tree.orgs.committee)
    assert any(value for _, _, value, _, _ in before[0]) and before[1]
    congress = ActivityType.objects.get(key="支部党员大会")
    congress.name, congress.aliases = "党员大会（全体）", "党员大会、支部大会"
    congress.save()
    lesson = ActivityType.objects.get(key="党课")
    lesson.name, lesson.aliases = "讲党课活动", "讲党课、上党课、党课"
    lesson.save()
    birthday = ActivityType.objects.get(key="政治生日")
    birthday.name = "政治生日纪念"
    birthday.save()
    assert (_figures(branch_records, seed), _findings(tree.orgs.committee)) == before
    assert birthday_type_id() == birthday.pk


def test_an_alias_added_on_the_web_is_understood_in_the_next_report(tree, branch_records):
    text = "召开全体党员会*次。"
    assert fill_placeholders(access.SYSTEM, branch_records, YEAR, text)[0].status == "needs_input"
    congress = ActivityType.objects.get(key="支部党员大会")
    congress.aliases += "、全体党员会"
    congress.save()
    item = fill_placeholders(access.SYSTEM, branch_records, YEAR, text)[0]
    assert (item.metric, item.value) == ("count:支部党员大会", 4)


def test_a_new_type_gets_its_own_key_even_when_a_renamed_type_held_the_name(db):
    old = ActivityType.objects.get(key="谈心谈话")
    old.name = "谈心谈话（支委）"
    old.save()
    new = ActivityType.objects.create(name="谈心谈话", group="组织生活")
    assert new.key == "谈心谈话#2" and ActivityType.objects.get(pk=old.pk).key == "谈心谈话"


@pytest.fixture
def december(tree):
    """A branch on 1 December 2026: one meeting held in September, one planned for 20 December."""
    kind = ActivityType.objects.get(key="支部党员大会")
    held = Activity.objects.create(org=tree.orgs.a, type=kind, date=date(2026, 9, 5))
    planned = Activity.objects.create(org=tree.orgs.a, type=kind, date=date(2026, 12, 20))
    for activity in (held, planned):
        Attendance.objects.create(activity=activity, person=tree.people.a_member, status=Status.PRESENT)
    return tree, held, planned


def test_a_planned_meeting_counts_nowhere_until_its_day(december):
    tree, held, planned = december
    first, on_the_day = date(2026, 12, 1), date(2026, 12, 20)
    assert list(Activity.objects.held(first)) == [held] and list(Activity.objects.planned(first)) == [planned]
    assert not planned.is_held(first) and planned.is_held(on_the_day)

    report = fill_placeholders(access.SYSTEM, tree.orgs.a, 2026, "召开党员大会*次，*名党员参加党员大会。", today=first)
    assert [(item.value, item.evidence) for item in report] == [(1, [held.pk]), (1, [held.pk])]
    later = fill_placeholders(access.SYSTEM, tree.orgs.a, 2026, "召开党员大会*次。", today=on_the_day)
    assert later[0].value == 2

    # Compliance: the fourth quarter is still due on 1 December; met once the planned meeting is held.
    q4 = [f for f in _findings(tree.orgs.a, 2026, first) if f[1] == "congress_quarterly" and f[2].endswith("Q4")]
    assert q4 and q4[0][3] == "due"
    assert not [f for f in _findings(tree.orgs.a, 2026, on_the_day) if f[1] == "congress_quarterly" and f[2].endswith("Q4")]

    # Attendance figures of the year.
    tallies = dict(member_year(tree.orgs.a, 2026, until=first))
    assert tallies[tree.people.a_member].present == 1
    assert dict(member_year(tree.orgs.a, 2026, until=on_the_day))[tree.people.a_member].present == 2


def _table_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("二、主要工作完成情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "年度"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "三会一课"
    table.cell(1, 1).text, table.cell(1, 2).text = "支委会", "党员大会"
    table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 2).text = "2025年", "*次", "**"
    second = document.add_table(rows=3, cols=3)
    second.cell(0, 0).text, second.cell(0, 1).text, second.cell(0, 2).text = "项目", "签订责任书（份）", "次数"
    second.cell(1, 0).text, second.cell(1, 1).text, second.cell(1, 2).text = "责任落实", "*", "*"
    second.cell(2, 0).text, second.cell(2, 1).text, second.cell(2, 2).text = "廉政谈话", "", "*"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_figures_in_word_table_cells_are_read_with_their_row_and_column_headings(branch_records):
    template = read_template("表格.docx", _table_document())
    filled = fill_template(access.SYSTEM, branch_records, YEAR, template, today=date(2026, 1, 15))
    assert [(item.metric, item.value) for item in filled] == [
        ("count:支部委员会会议", 11),  # 支委会 × 次 (merged headings: 年度 over two rows, 三会一课 over two columns)
        (None, None),  # 党员大会 with no unit in the cell or its headings: not assumed to be 次
        ("quantity:签订党风廉政建设责任书", 25),  # the column 签订责任书（份） gives the unit
        (None, None),  # 责任落实 × 次数 names no type
        ("count:廉政谈话", 14),  # 廉政谈话 × 次数
    ]
    assert "支委会" in filled[0].placeholder.reason and "表格" in filled[1].placeholder.reason


def test_every_catalogue_type_is_keyed_by_its_canonical_name(db):
    from zhibu.records.catalogue import ACTIVITY_TYPES

    keys = dict(ActivityType.objects.values_list("key", "name"))
    assert all(keys.get(spec.key) == spec.name for spec in ACTIVITY_TYPES)


def test_the_check_of_a_written_word_report_reads_table_cells_as_the_builder_does(branch_records):
    from zhibu.reports.consistency import compare_written_report

    data = _table_document().replace(b"", b"")
    document = docx.Document(io.BytesIO(data))
    table = document.tables[1]
    table.cell(1, 1).text, table.cell(2, 2).text = "25", "13"  # 25 copies agree; 14 talks were recorded, not 13
    buffer = io.BytesIO()
    document.save(buffer)
    written = read_template("已写.docx", buffer.getvalue())
    verdicts = {(c.metric, c.written): c.verdict for c in compare_written_report(access.SYSTEM, branch_records, YEAR, written.text, docx=written.docx, today=date(2026, 1, 15))}
    assert verdicts[("quantity:签订党风廉政建设责任书", "25")] == "agrees"
    assert verdicts[("count:廉政谈话", "13")] == "differs"
