"""The pure computation: base, lines, floor and cap, veto; leave against absence; adjustments."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhibu.points.statement import Event, Terms, compute, points_text, signed_points
from zhibu.records.models import Status

MEETING, STUDY, UNRULED = 1, 2, 3
TERMS = Terms("测试方案", Decimal(60), Decimal(0), None, {
    MEETING: (Decimal(1), Decimal(0), Decimal(-2)),
    STUDY: (Decimal("0.5"), Decimal(0), Decimal(0)),
})


@dataclass
class Adjustment:
    pk: int
    date: date
    points: Decimal
    reason: str


@dataclass
class Veto:
    date: date
    reason: str


def event(activity_id, status, type_id=MEETING, day=date(2025, 3, 1), unrecorded=False):
    return Event(day, activity_id, type_id, "支部党员大会", "", status, unrecorded)


def test_it_adds_points_per_record_attended_and_counts_leave_apart_from_absence():
    statement = compute(TERMS, 2025, [event(1, Status.PRESENT), event(2, Status.LEAVE), event(3, Status.ABSENT)], [])
    assert [line.points for line in statement.lines] == [Decimal(1), Decimal(0), Decimal(-2)]
    assert (statement.added, statement.deducted, statement.subtotal, statement.total) == (1, -2, 59, 59)
    assert statement.counts() == {"出席": 1, "请假": 1, "缺席": 1}


def test_a_member_due_but_not_listed_counts_as_absent_and_says_so():
    statement = compute(TERMS, 2025, [event(1, Status.ABSENT, unrecorded=True)], [])
    assert statement.total == 58
    assert statement.lines[0].description.endswith("缺席（未登记）")


def test_records_of_types_without_a_rule_are_left_out():
    statement = compute(TERMS, 2025, [event(1, Status.PRESENT, type_id=UNRULED)], [])
    assert statement.lines == [] and statement.total == 60


def test_adjustments_are_lines_with_their_reason_in_date_order():
    statement = compute(TERMS, 2025, [event(1, Status.PRESENT, day=date(2025, 5, 1))],
                        [Adjustment(7, date(2025, 4, 1), Decimal(3), "发表文章"), Adjustment(8, date(2025, 6, 1), Decimal(-2), "任务未完成")])
    assert [(line.day.month, line.points) for line in statement.lines] == [(4, 3), (5, 1), (6, -2)]
    assert statement.lines[0].description == "积分调整：发表文章" and statement.lines[0].adjustment_id == 7
    assert statement.total == 62


def test_the_floor_holds_the_total_up_and_says_so():
    terms = Terms("低", Decimal(2), Decimal(0), None, TERMS.rules)
    statement = compute(terms, 2025, [event(n, Status.ABSENT) for n in range(3)], [])
    assert (statement.subtotal, statement.total) == (-4, 0)
    assert statement.limit_note == "小计-4，按最低分0计"


def test_the_cap_holds_the_total_down():
    terms = Terms("封顶", Decimal(60), Decimal(0), Decimal(61), TERMS.rules)
    statement = compute(terms, 2025, [event(n, Status.PRESENT) for n in range(3)], [])
    assert (statement.subtotal, statement.total) == (63, 61)
    assert "最高分61" in statement.limit_note


def test_a_floor_left_blank_lets_the_total_go_below_zero():
    terms = Terms("无下限", Decimal(0), None, None, TERMS.rules)
    assert compute(terms, 2025, [event(1, Status.ABSENT)], []).total == -2


def test_a_veto_zeroes_the_year_whatever_the_lines():
    statement = compute(TERMS, 2025, [event(1, Status.PRESENT)], [Adjustment(1, date(2025, 1, 2), Decimal(5), "获奖")],
                        Veto(date(2025, 9, 1), "受到党内警告处分"))
    assert statement.subtotal == 66 and statement.total == 0


def test_half_points_add_up_exactly():
    statement = compute(TERMS, 2025, [event(n, Status.PRESENT, type_id=STUDY) for n in range(3)], [])
    assert statement.total == Decimal("61.5")


def test_without_a_scheme_there_are_no_points_to_show():
    statement = compute(None, 2025, [event(1, Status.PRESENT)], [Adjustment(1, date(2025, 1, 2), Decimal(5), "x")])
    assert (statement.lines, statement.total) == ([], 0)


def test_points_are_written_without_a_trailing_zero():
    assert [points_text(Decimal(v)) for v in ("60.0", "1.5", "-2.0", "0.0")] == ["60", "1.5", "-2", "0"]
    assert [signed_points(Decimal(v)) for v in ("1", "-2", "0")] == ["+1", "-2", "0"]
