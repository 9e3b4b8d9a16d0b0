"""The demo's records: a full, realistic two years with exactly the gaps DELIBERATE_GAPS lists."""

from datetime import date

import pytest
from django.db import transaction

from zhibu.compliance.facts import check
from zhibu.demo.build import COMMITTEE_NAME, build_demo
from zhibu.demo.records import DELIBERATE_GAPS, low_attendance_cadre
from zhibu.orgs import access
from zhibu.orgs.models import Organisation
from zhibu.records.attendance import tally
from zhibu.records.models import Activity

TODAY = date(2026, 11, 25)
LAST = TODAY.year - 1


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Built once for the module inside a transaction that is rolled back: later tests see an empty database.
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(today=TODAY)
        yield {org.name: org for org in Organisation.objects.all()}
        transaction.set_rollback(True)


def held(org, type_name, year):
    return Activity.objects.filter(org=org, type__name=type_name, date__year=year, date__lte=TODAY)


def test_the_compliance_engine_finds_the_deliberate_gaps_and_nothing_else(demo, db):
    committee = Organisation.objects.get(name=COMMITTEE_NAME)
    findings = [f for year in (LAST, TODAY.year) for f in check(access.SYSTEM, committee, year, today=TODAY).findings]
    found = {(f.org, f.rule, f.period) for f in findings if f.status != "due"}
    assert found == {(g.branch, g.rule, g.period_label(TODAY)) for g in DELIBERATE_GAPS}
    poor = low_attendance_cadre(demo["机关第一党支部"])
    assert {f.person_id for f in findings if f.rule == "cadre_attendance"} == {poor.pk}
    # What is still running this year: the December meetings already planned, and a term ending soon.
    due = {(f.rule, f.org) for f in findings if f.status == "due"}
    assert {rule for rule, _ in due} == {"life_meeting_yearly", "appraisal_yearly", "term_expiring", "study_hours_yearly"}
    # 32 学时 (第二十条): only the cadre who seldom comes falls short, last year and (a reminder) this year.
    assert {f.person_id for f in findings if f.rule == "study_hours_yearly"} == {poor.pk}


def test_the_deliberate_gaps_are_in_the_data(demo, db):
    months = {d.month for d in held(demo["机关第二党支部"], "支部委员会会议", LAST).dates("date", "month")}
    assert months == set(range(1, 13)) - {7}
    quarters = {(d.month - 1) // 3 + 1 for d in held(demo["统计执法监督党支部"], "支部党员大会", LAST).values_list("date", flat=True)}
    assert quarters == {1, 3, 4}
    retired = demo["离退休干部党支部"]
    secretary = retired.people.get(posts__post="书记")
    assert not held(retired, "党课", LAST).filter(lecturer=secretary).exists()
    assert held(retired, "党课", TODAY.year).filter(lecturer=secretary).exists()


def test_every_other_branch_keeps_the_rules(demo, db):
    gaps = {(g.branch, g.rule, TODAY.year + g.year_offset) for g in DELIBERATE_GAPS}
    for org in Organisation.objects.filter(kind="党支部"):
        committee = org.people.filter(posts__post__in=["组织委员", "宣传委员", "纪检委员"]).exists()
        for year, months in ((LAST, 12), (TODAY.year, TODAY.month)):
            themed = {d.month for d in held(org, "主题党日", year).dates("date", "month")}
            assert themed == set(range(1, months + 1)), (org.name, year)
            if committee and (org.name, "committee_meeting_monthly", year) not in gaps:
                assert {d.month for d in held(org, "支部委员会会议", year).dates("date", "month")} == set(range(1, months + 1))
            if (org.name, "congress_quarterly", year) not in gaps:
                assert held(org, "支部党员大会", year).count() == 4
            assert held(org, "党课", year).count() == 4
    assert not held(demo["数据管理中心党支部"], "支部委员会会议", LAST).exists()  # 5 full members: no committee


def test_the_committee_records_what_the_annual_report_counts(demo, db):
    committee = demo["青川市统计局机关党委"]
    for type_name in ("局务会", "党建工作专题研究", "意识形态分析研判会", "签订党风廉政建设责任书", "驻村帮扶", "工作经费划拨", "筹款"):
        assert held(committee, type_name, LAST).exists(), type_name
    assert Activity.objects.tagged("廉政").of_type("党课").filter(date__year=LAST).count() == 5
    assert Activity.objects.filter(type__name="驻村帮扶", quantity__gt=1).exists()


def test_one_leading_cadre_attends_under_half_and_the_others_mostly_attend(demo, db):
    branch = demo["机关第一党支部"]
    poor = low_attendance_cadre(branch)
    totals = tally(Activity.objects.in_subtree(branch).in_year(LAST))
    assert totals[poor.pk].rate < 50
    for cadre in branch.people.filter(is_leading_cadre=True).exclude(pk=poor.pk):
        assert totals[cadre.pk].rate >= 75, cadre.name


def test_meetings_after_today_are_planned_without_a_roll(demo, db):
    planned = Activity.objects.filter(date__gt=TODAY)
    assert planned.filter(type__name="组织生活会").count() == 5
    assert not planned.filter(attendance__isnull=False).exists()
