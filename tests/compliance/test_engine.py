"""Each rule at its edges: exactly the minimum, period boundaries, the running period, who the rule applies to."""

import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from zhibu.compliance.engine import BranchFacts, MeetingFact, MemberFact, evaluate_branch, score_branch
from zhibu.compliance.rules import DEFAULT_RULES

RULES = {rule.key: rule for rule in DEFAULT_RULES}
BRANCH_ID, GROUP_ID = 1, 2
END_OF_YEAR = date(2026, 1, 15)  # judging 2025 after it is over


def members(full: int, *, full_on=date(2010, 1, 1), secretary=True, committee=True, extra=()):
    people = []
    for index in range(full):
        posts = frozenset()
        if secretary and index == 0:
            posts = frozenset({"书记"})
        elif committee and index in (1, 2):
            posts = frozenset({("组织委员", "宣传委员")[index - 1]})
        people.append(MemberFact(id=100 + index, name=f"党员{index}", category="正式党员", full_on=full_on, posts=posts))
    return tuple(people) + tuple(extra)


def branch(meetings=(), *, full=8, groups=(), people=None, **extra):
    return BranchFacts(id=BRANCH_ID, name="测试支部", members=people if people is not None else members(full),
                       meetings=tuple(meetings), groups=groups, **extra)


def meeting(type_, on, *, id=None, org_id=BRANCH_ID, lecturer_id=None, attendance=()):
    return MeetingFact(id=id or on.toordinal(), type=type_, on=on, org_id=org_id, lecturer_id=lecturer_id, attendance=attendance)


def run(rule_key, facts, year=2025, today=END_OF_YEAR):
    return evaluate_branch(facts, year, today, [RULES[rule_key]])


def quarterly(type_, year=2025, skip=()):
    return [meeting(type_, date(year, 3 * q - 1, 10)) for q in range(1, 5) if q not in skip]


def monthly(type_, year=2025, skip=(), **kwargs):
    return [meeting(type_, date(year, m, 5), **kwargs) for m in range(1, 13) if m not in skip]


class TestCongressEachQuarter:
    def test_exactly_one_per_quarter_is_enough(self):
        assert run("congress_quarterly", branch(quarterly("支部党员大会"))) == []

    def test_a_quarter_without_one_is_a_violation_citing_the_rule(self):
        [finding] = run("congress_quarterly", branch(quarterly("支部党员大会", skip=(3,))))
        assert (finding.period, finding.required, finding.actual, finding.severity) == ("2025-Q3", 1, 0, "违规")
        assert "第十一条" in finding.citation and "2025年第3季度" in finding.message

    def test_quarter_edges(self):
        facts = branch([meeting("支部党员大会", date(2025, 3, 31)), meeting("支部党员大会", date(2025, 4, 1)),
                        meeting("支部党员大会", date(2025, 9, 30)), meeting("支部党员大会", date(2025, 12, 31))])
        assert run("congress_quarterly", facts) == []
        facts = branch([meeting("支部党员大会", date(2025, 4, 1), id=1), meeting("支部党员大会", date(2025, 6, 30), id=2),
                        meeting("支部党员大会", date(2025, 9, 30)), meeting("支部党员大会", date(2025, 12, 31))])
        assert [f.period for f in run("congress_quarterly", facts)] == ["2025-Q1"]

    def test_the_running_quarter_is_due_not_missed(self):
        facts = branch(quarterly("支部党员大会", skip=(4,)))
        [finding] = run("congress_quarterly", facts, today=date(2025, 11, 20))
        assert (finding.period, finding.status, finding.severity) == ("2025-Q4", "due", "提醒")
        assert "截止12月31日" in finding.message

    def test_the_last_day_of_a_quarter_is_still_running(self):
        facts = branch(quarterly("支部党员大会", skip=(4,)))
        assert run("congress_quarterly", facts, today=date(2025, 12, 31))[0].status == "due"
        assert run("congress_quarterly", facts, today=date(2026, 1, 1))[0].status == "missed"

    def test_quarters_not_begun_are_not_judged(self):
        facts = branch(quarterly("支部党员大会", skip=(2, 3, 4)))
        findings = run("congress_quarterly", facts, today=date(2025, 4, 2))
        assert [(f.period, f.status) for f in findings] == [("2025-Q2", "due")]

    def test_a_meeting_recorded_ahead_does_not_count_before_it_happens(self):
        facts = branch([meeting("支部党员大会", date(2025, 12, 20))])
        findings = run("congress_quarterly", facts, today=date(2025, 12, 10))
        assert findings[-1].period == "2025-Q4" and findings[-1].actual == 0


class TestCommitteeMeetingEachMonth:
    def test_a_branch_under_seven_full_members_is_never_flagged(self):
        assert run("committee_meeting_monthly", branch(full=6)) == []

    def test_a_missed_month_is_found(self):
        [finding] = run("committee_meeting_monthly", branch(monthly("支部委员会会议", skip=(8,))))
        assert finding.period == "2025-08" and finding.type == "支部委员会会议"

    def test_a_branch_crossing_seven_owes_meetings_from_the_next_month(self):
        people = members(6) + (MemberFact(id=200, name="新转正", category="正式党员", full_on=date(2025, 6, 15)),)
        findings = run("committee_meeting_monthly", branch(people=people))
        assert [f.period for f in findings] == [f"2025-{m:02d}" for m in range(7, 13)]


class TestOneCommitteeThreshold:
    """The threshold is the committee rule's parameter: editing it moves every rule that depends on it."""

    def edited(self, threshold):
        committee = replace(RULES["committee_required"], params={**RULES["committee_required"].params, "threshold": threshold})
        return [committee, RULES["committee_meeting_monthly"]]

    def test_a_lower_threshold_makes_a_six_member_branch_owe_a_committee_and_its_meetings(self):
        six = branch(full=6, people=members(6, committee=False))
        assert evaluate_branch(six, 2025, END_OF_YEAR, [RULES["committee_required"], RULES["committee_meeting_monthly"]]) == []
        findings = evaluate_branch(six, 2025, END_OF_YEAR, self.edited(5))
        assert {f.rule for f in findings} == {"committee_required", "committee_meeting_monthly"}
        assert len([f for f in findings if f.rule == "committee_meeting_monthly"]) == 12
        score = score_branch(six, findings, self.edited(5), 2025, END_OF_YEAR)
        assert all(line.applicable for line in score.lines if line.rule.key == "committee_meeting_monthly")

    def test_a_higher_threshold_frees_an_eight_member_branch_of_both(self):
        eight = branch(full=8, people=members(8, committee=False))
        assert evaluate_branch(eight, 2025, END_OF_YEAR, self.edited(9)) == []
        score = score_branch(eight, [], self.edited(9), 2025, END_OF_YEAR)
        assert not any(line.applicable for line in score.lines if line.rule.key == "committee_meeting_monthly")


class TestGroupMeetings:
    def test_a_branch_without_groups_is_never_flagged(self):
        assert run("group_meeting_monthly", branch()) == []

    def test_each_group_is_judged_on_its_own(self):
        facts = branch(monthly("党小组会", org_id=GROUP_ID, skip=(2,)), groups=((GROUP_ID, "一组"), (3, "二组")))
        findings = run("group_meeting_monthly", facts)
        assert len([f for f in findings if "二组" in f.message]) == 12
        assert [f.period for f in findings if "一组" in f.message] == ["2025-02"]


def test_life_meeting_outside_q4_is_advisory_only():
    [finding] = run("life_meeting_yearly", branch([meeting("组织生活会", date(2025, 6, 1))]))
    assert (finding.severity, finding.status) == ("提醒", "advisory")
    assert run("life_meeting_yearly", branch([meeting("组织生活会", date(2025, 10, 1))])) == []


def test_the_secretary_must_lecture_once_a_year():
    lessons = quarterly("党课")
    assert run("secretary_lesson_yearly", branch(lessons))[0].actual == 0
    lessons.append(meeting("党课", date(2025, 5, 1), lecturer_id=100))
    assert run("secretary_lesson_yearly", branch(lessons)) == []


class TestStructure:
    def test_seven_full_members_without_committee(self):
        assert run("committee_required", branch(full=7, people=members(7, committee=False)))[0].rule == "committee_required"
        assert run("committee_required", branch(people=members(7))) == []
        assert run("committee_required", branch(people=members(6, committee=False))) == []

    def test_fewer_than_three_full_members(self):
        assert run("branch_too_small", branch(full=2))[0].actual == 2
        assert run("branch_too_small", branch(full=3)) == []

    def test_no_secretary(self):
        assert run("secretary_missing", branch(people=members(5, secretary=False)))[0].severity == "违规"

    def test_term_expired_on_the_anniversary(self):
        facts = branch(elected_on=date(2022, 12, 31), term_years=3)
        assert run("term_expired", facts, today=date(2025, 12, 30)) == []
        assert run("term_expired", facts, today=date(2025, 12, 31))[0].rule == "term_expired"

    def test_term_expiring_within_six_months(self):
        facts = branch(elected_on=date(2023, 6, 1), term_years=3)
        assert run("term_expiring", facts, year=2025, today=date(2025, 11, 30)) == []
        assert run("term_expiring", facts, year=2025, today=date(2025, 12, 1))[0].status == "due"
        assert run("term_expiring", facts, year=2026, today=date(2026, 1, 5))[0].status == "due"


class TestParticipation:
    def cadre(self):
        return MemberFact(id=300, name="领导甲", category="正式党员", full_on=date(2000, 1, 1), is_leading_cadre=True)

    def test_cadre_below_the_rate(self):
        cadre = self.cadre()
        meetings = [meeting("主题党日", date(2025, m, 5), attendance=((300, "出席" if m <= 7 else "缺席"),)) for m in range(1, 13)]
        [finding] = run("cadre_attendance", branch(meetings, people=members(5) + (cadre,)))
        assert finding.actual == "58%" and finding.person_id == 300 and len(finding.evidence) == 12

    def test_cadre_at_the_rate_is_fine(self):
        cadre = self.cadre()
        statuses = ["出席"] * 6 + ["请假"] * 4
        meetings = [meeting("主题党日", date(2025, m + 1, 5), attendance=((300, s),)) for m, s in enumerate(statuses)]
        assert run("cadre_attendance", branch(meetings, people=members(5) + (cadre,))) == []

    def test_absent_from_every_meeting_of_a_quarter(self):
        meetings = [meeting("主题党日", date(2025, m, 5), attendance=((101, "缺席"),)) for m in (4, 5, 6)]
        meetings.append(meeting("主题党日", date(2025, 7, 5), attendance=((101, "请假"),)))
        [finding] = run("absent_whole_quarter", branch(meetings))
        assert finding.period == "2025-Q2" and "党员1" in finding.message

    def test_leave_is_not_absence(self):
        meetings = [meeting("主题党日", date(2025, m, 5), attendance=((101, "请假"),)) for m in (4, 5, 6)]
        assert run("absent_whole_quarter", branch(meetings)) == []


def test_a_future_year_has_no_findings():
    assert evaluate_branch(branch(), 2027, date(2026, 11, 25), DEFAULT_RULES) == []


def test_the_score_counts_points_of_met_rules_only_where_they_apply():
    facts = branch(quarterly("支部党员大会", skip=(2,)), people=members(5))
    findings = evaluate_branch(facts, 2025, END_OF_YEAR, DEFAULT_RULES)
    score = score_branch(facts, findings, DEFAULT_RULES, 2025, END_OF_YEAR)
    lines = {line.rule.key: line for line in score.lines}
    assert not lines["congress_quarterly"].met
    assert not lines["committee_meeting_monthly"].applicable and not lines["group_meeting_monthly"].applicable
    assert score.possible == sum(r.points for r in DEFAULT_RULES if r.points) - 10 - 5
    assert score.points == score.possible - sum(
        line.rule.points for line in score.lines if line.applicable and not line.met)
    assert 0 < score.percent < 100


class TestTheEngineUsesTheDomainsWordsAndTheRulesNumbers:
    def test_it_imports_no_django(self):
        """Rules are tested at their edges without a database: the engine reads the domain's words from the
        Django-free modules the models build on, never from the models."""
        loaded = subprocess.run(
            [sys.executable, "-c", "import sys, zhibu.compliance.engine; "
                                   "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"],
            capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "."})
        assert loaded.stdout.strip() == "[]"

    def test_its_words_are_the_models(self):
        from zhibu.compliance.engine import COMMITTEE_POSTS, MEETING_TYPES_FOR_PARTICIPATION, PRESENT
        from zhibu.orgs.models import COMMITTEE_POSTS as MODEL_COMMITTEE_POSTS
        from zhibu.records.catalogue import ACTIVITY_TYPES
        from zhibu.records.models import Status

        assert COMMITTEE_POSTS == MODEL_COMMITTEE_POSTS and PRESENT == Status.PRESENT
        assert MEETING_TYPES_FOR_PARTICIPATION <= {spec.key for spec in ACTIVITY_TYPES if spec.takes_attendance}

    def test_an_edited_number_is_used_and_a_missing_one_falls_back_on_the_catalogues(self):
        stricter = replace(RULES["branch_too_small"], params={"minimum": 5})
        assert evaluate_branch(branch(full=4), 2025, END_OF_YEAR, [stricter])[0].required == 5
        without = replace(RULES["branch_too_small"], params={})
        assert evaluate_branch(branch(full=2), 2025, END_OF_YEAR, [without])[0].required == 3
        assert evaluate_branch(branch(full=3), 2025, END_OF_YEAR, [without]) == []

    def test_a_rule_naming_a_type_the_catalogue_lacks_fails_at_once(self):
        from zhibu.records.catalogue import type_key

        assert type_key("支部党员大会") == "支部党员大会"
        with pytest.raises(ValueError, match="活动类型目录中没有“支部大会”"):
            type_key("支部大会")  # an alias, not the key


# ---- counting full members on a day ---------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
SPAN = st.tuples(DAYS, st.one_of(st.none(), DAYS))
MEMBER = st.builds(
    MemberFact, id=st.integers(1, 10_000), name=st.just("党员"), category=st.sampled_from(["正式党员", "预备党员"]),
    full_on=st.one_of(st.none(), DAYS), admitted_on=st.one_of(st.none(), DAYS), spans=st.lists(SPAN, max_size=3).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(people=st.lists(MEMBER, max_size=8), day=DAYS)
def test_full_members_on_a_day_counts_each_member_once_by_their_own_test(people, day):
    # Spans may overlap or be empty (a member moved in and out on one day): each member still counts at most once.
    facts = BranchFacts(id=BRANCH_ID, name="测试支部", members=tuple(people), meetings=())
    assert facts.full_members_on(day) == sum(1 for member in people if member.is_full_member_on(day))
