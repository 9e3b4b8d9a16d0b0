"""The status workflow: 未开始 → 进行中 → 已完成, reopening with a reason, each change in the history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.lists.conftest import PNG, make_item, upload
from zhibu.lists.evidence import attach_files
from zhibu.lists.models import Status
from zhibu.lists.workflow import allowed_transitions, change_status, status_history

TODAY = date(2025, 11, 20)


@pytest.fixture
def item(tree):
    return make_item(tree.orgs.a, deadline=date(2025, 9, 30))


def with_evidence(item):
    attach_files(item, [upload("现场照片.png", PNG)], user=None)
    return item


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_it_starts_work_on_a_new_item(item):
    item = change_status(item, Status.IN_PROGRESS, today=TODAY)
    assert item.status == Status.IN_PROGRESS
    assert item.completed_on is None


def test_it_closes_an_item_with_date_note_and_evidence(item):
    change_status(item, Status.IN_PROGRESS, today=TODAY)
    with_evidence(item)
    item = change_status(item, Status.DONE, on=date(2025, 10, 8), note="已建立学习计划并按月开展", today=TODAY)
    assert (item.status, item.completed_on) == (Status.DONE, date(2025, 10, 8))
    assert item.completion_note == "已建立学习计划并按月开展"


def test_a_small_item_may_be_closed_without_a_separate_start(item):
    with_evidence(item)
    assert change_status(item, Status.DONE, on=TODAY, note="当场整改", today=TODAY).status == Status.DONE


def test_closing_without_evidence_is_refused_and_changes_nothing(item):
    with pytest.raises(ValidationError) as excinfo:
        change_status(item, Status.DONE, on=TODAY, note="已整改", today=TODAY)
    assert "至少有一份佐证材料" in " ".join(errors_of(excinfo)["__all__"])
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED and item.completed_on is None


def test_closing_lists_every_missing_piece_at_once(item):
    with pytest.raises(ValidationError) as excinfo:
        change_status(item, Status.DONE, today=TODAY)
    errors = errors_of(excinfo)
    assert errors["completed_on"] == ["请填写完成日期"]
    assert "整改情况" in errors["completion_note"][0]
    assert "佐证材料" in errors["__all__"][0]


@pytest.mark.parametrize("on, message", [
    (date(2025, 11, 21), "晚于今天"),
    (date(2024, 12, 31), "早于事项所在的2025年度"),
])
def test_a_completion_date_outside_the_item_and_today_is_refused(item, on, message):
    with_evidence(item)
    with pytest.raises(ValidationError) as excinfo:
        change_status(item, Status.DONE, on=on, note="已整改", today=TODAY)
    assert message in errors_of(excinfo)["completed_on"][0]


def test_the_completion_date_may_be_today_or_the_first_day_of_the_year(item):
    with_evidence(item)
    assert change_status(item, Status.DONE, on=date(2025, 1, 1), note="已整改", today=TODAY).completed_on == date(2025, 1, 1)


@pytest.mark.parametrize("start, to, message", [
    (Status.IN_PROGRESS, Status.NOT_STARTED, "不能退回“未开始”"),
    (Status.IN_PROGRESS, Status.IN_PROGRESS, "已经是“进行中”"),
    (Status.NOT_STARTED, "已关闭", "不是有效的状态"),
])
def test_a_bad_transition_says_why_in_chinese(tree, start, to, message):
    item = make_item(tree.orgs.a, status=start)
    with pytest.raises(ValidationError) as excinfo:
        change_status(item, to, today=TODAY)
    assert message in errors_of(excinfo)["__all__"][0]


def test_a_done_item_cannot_go_back_to_not_started(tree):
    item = make_item(tree.orgs.a, status=Status.DONE, completed_on=date(2025, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        change_status(item, Status.NOT_STARTED, today=TODAY)
    assert "重新打开为“进行中”" in errors_of(excinfo)["__all__"][0]


def test_reopening_needs_a_reason_and_clears_the_completion_date(tree):
    item = make_item(tree.orgs.a, status=Status.DONE, completed_on=date(2025, 5, 1), completion_note="已整改")
    with pytest.raises(ValidationError) as excinfo:
        change_status(item, Status.IN_PROGRESS, reason="  ", today=TODAY)
    assert "写明原因" in errors_of(excinfo)["reason"][0]
    item = change_status(item, Status.IN_PROGRESS, reason="复查发现问题反弹", today=TODAY)
    assert (item.status, item.completed_on) == (Status.IN_PROGRESS, None)
    assert item.completion_note == "已整改"  # kept: what was done before is still true


def test_the_transitions_offered_follow_the_status(tree):
    assert allowed_transitions(make_item(tree.orgs.a)) == (Status.IN_PROGRESS, Status.DONE)
    assert allowed_transitions(make_item(tree.orgs.a, content="x", status=Status.IN_PROGRESS)) == (Status.DONE,)
    done = make_item(tree.orgs.a, content="y", status=Status.DONE, completed_on=date(2025, 3, 1))
    assert allowed_transitions(done) == (Status.IN_PROGRESS,)


def test_every_change_is_in_the_history_with_its_reason(item):
    change_status(item, Status.IN_PROGRESS, today=TODAY)
    with_evidence(item)
    change_status(item, Status.DONE, on=date(2025, 10, 8), note="已整改", today=TODAY)
    change_status(item, Status.IN_PROGRESS, reason="复查发现问题反弹", today=TODAY)
    history = status_history(item)
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "未开始"), ("未开始", "进行中"), ("进行中", "已完成"), ("已完成", "进行中"),
    ]
    assert [h["reason"] for h in history] == ["登记", "开始整改", "完成整改", "重新打开：复查发现问题反弹"]
    assert history[2]["completed_on"] == date(2025, 10, 8)
