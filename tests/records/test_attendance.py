"""应到 / 实到 / 出席率: who is due depends on the type's circle, the organisation and the 入党日期."""

from datetime import date
from decimal import Decimal

from tests.clock import TODAY
from zhibu.orgs import membership
from zhibu.orgs.models import Category, Person, PersonPost, Post
from zhibu.records.attendance import attendance_rate, figures, member_year, tally
from zhibu.records.models import Activity


def test_a_branch_meeting_is_due_for_every_member_admitted_by_then(tree, record):
    late = Person.objects.create(branch=tree.orgs.a, name="钱新人", category=Category.PROBATIONARY, admitted_on=date(2025, 6, 1))
    Person.objects.create(branch=tree.orgs.a, name="吴积极", category=Category.ACTIVIST)
    meeting = record(tree.orgs.a, "支部党员大会", date(2025, 3, 18), roll={
        tree.people.a_secretary: "出席", tree.people.a_member: ("请假", "公差")})
    result = figures(meeting)
    assert [p.name for p in result.expected] == ["王书记", "李党员", "赵同志"]  # stroke order; not 钱新人, not the activist
    assert [p.name for p in result.present] == ["王书记"]
    assert result.rate == Decimal("33.3")
    assert result.missing_text == "李党员（请假：公差）、赵同志（未登记）"
    assert late not in result.expected


def test_a_committee_meeting_is_due_for_the_committee_only(tree, record):
    PersonPost.objects.create(person=tree.people.a_other, post=Post.ORGANISATION)
    meeting = record(tree.orgs.a, "支部委员会会议", roll={tree.people.a_secretary: "出席", tree.people.a_other: "缺席"})
    result = figures(meeting)
    assert [p.name for p in result.expected] == ["王书记", "赵同志"]
    assert (len(result.present), len(result.absent), result.rate) == (1, 1, Decimal("50.0"))


def test_a_group_meeting_is_due_for_the_group(tree, record):
    result = figures(record(tree.orgs.group_a, "党小组会", roll={tree.people.a_member: "出席"}))
    assert [p.name for p in result.expected] == ["李党员"] and result.rate == Decimal("100.0")


def test_a_listed_type_counts_only_those_listed_and_someone_who_moved_away_still_counts(tree, record):
    moved = tree.people.a_other
    service = record(tree.orgs.a, "志愿服务", roll={tree.people.a_member: "出席", moved: "出席"})
    membership.record_event(moved, membership.Change("内部转接", TODAY, target=tree.orgs.b))
    result = figures(Activity.objects.get(pk=service.pk))
    assert {p.name for p in result.expected} == {"李党员", "赵同志"} and result.rate == Decimal("100.0")


def test_non_members_on_the_list_attend_without_counting(tree, record):
    activist = Person.objects.create(branch=tree.orgs.a, name="吴积极", category=Category.ACTIVIST)
    result = figures(record(tree.orgs.a, "党课", roll={activist: "出席", tree.people.a_member: "出席"}))
    assert activist not in result.expected and result.others_present == [activist]


def test_a_type_without_roll_has_no_figures(tree, record):
    result = figures(record(tree.orgs.a, "签订党风廉政建设责任书", quantity=12))
    assert result.expected == [] and result.rate is None


def test_the_rate_rounds_half_up_to_one_decimal():
    assert attendance_rate(2, 3) == Decimal("66.7") and attendance_rate(1, 8) == Decimal("12.5")
    assert attendance_rate(0, 0) is None


def test_member_year_counts_each_member_over_the_branch_and_its_groups(tree, record):
    record(tree.orgs.a, "支部党员大会", date(2025, 3, 1), roll={tree.people.a_member: ("请假", "病假"), tree.people.a_secretary: "出席"})
    record(tree.orgs.group_a, "党小组会", date(2025, 4, 1), roll={tree.people.a_member: "出席"})
    record(tree.orgs.a, "主题党日", date(2024, 4, 1), roll={tree.people.a_member: "缺席"})  # another year
    record(tree.orgs.a, "主题党日", date(2099, 4, 1))  # planned
    lines = {person.name: line for person, line in member_year(tree.orgs.a, 2025, until=date(2025, 12, 31))}
    assert (lines["李党员"].expected, lines["李党员"].present, lines["李党员"].on_leave, lines["李党员"].rate) == (2, 1, 1, Decimal("50.0"))
    assert (lines["赵同志"].expected, lines["赵同志"].absent) == (1, 1)  # due at the 大会, not on its list
    assert lines["王书记"].rate == Decimal("100.0")


def test_tally_reads_many_records_in_a_few_queries(tree, record, django_assert_max_num_queries):
    for month in range(1, 13):
        record(tree.orgs.a, "主题党日", date(2025, month, 5), roll={tree.people.a_member: "出席"})
    with django_assert_max_num_queries(8):
        totals = tally(Activity.objects.in_year(2025))
    assert totals[tree.people.a_member.pk].present == 12
