"""第二十条 (32 学时 a year) and 第二十三条 (exempted members) in the rules, on plain facts."""

from datetime import date

from zhibu.compliance.engine import BranchFacts, MeetingFact, MemberFact, evaluate_branch
from zhibu.compliance.rules import DEFAULT_RULES

RULES = {rule.key: rule for rule in DEFAULT_RULES}


def member(id, name, hours=40.0, exempt=()):
    return MemberFact(id=id, name=name, category="正式党员", full_on=date(2010, 1, 1), admitted_on=date(2009, 1, 1),
                      exempt=exempt, study_hours=hours)


def run(key, people, meetings=(), today=date(2026, 1, 10)):
    facts = BranchFacts(id=1, name="测试支部", members=tuple(people), meetings=tuple(meetings))
    return evaluate_branch(facts, 2025, today, [RULES[key]])


def test_fewer_than_32_hours_is_named_with_the_citation():
    found = run("study_hours_yearly", [member(1, "够数", 32), member(2, "不够", 28.5),
                                       member(3, "免学", 0, exempt=((date(2024, 5, 1), None),))])
    assert [(f.person_id, f.status, f.message) for f in found] == [
        (2, "missed", "不够2025年集中学习培训28.5学时，少于32学时（差3.5学时）")]
    assert "第二十条" in found[0].citation


def test_the_running_year_reminds_from_october_only():
    assert run("study_hours_yearly", [member(2, "不够", 10)], today=date(2025, 9, 30)) == []
    found = run("study_hours_yearly", [member(2, "不够", 10)], today=date(2025, 10, 1))
    assert found[0].status == "due" and "年底前还差22学时" in found[0].message


def test_an_exempted_member_absent_all_quarter_is_not_flagged():
    meetings = [MeetingFact(id=n, type="支部党员大会", on=date(2025, 2, n), org_id=1, attendance=((1, "缺席"), (2, "缺席")))
                for n in (3, 10)]
    people = [member(1, "免于参加", exempt=((date(2025, 1, 1), None),)), member(2, "无故缺席")]
    found = run("absent_whole_quarter", people, meetings)
    assert [f.person_id for f in found] == [2]
