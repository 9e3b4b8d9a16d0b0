"""Recording steps: stage dates and category move with the records, and bad input writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.development.conftest import TODAY, newcomer, record
from zhibu.development.models import Decision, DevelopmentRecord
from zhibu.development.pipeline import StepEntry, delete_record, done_steps, record_step
from zhibu.orgs.models import Category


def problems(person, step, on, **extra) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        record_step(person, StepEntry(step=step, date=on, **extra), today=TODAY)
    return caught.value.messages


def activist(tree, year=2024):
    person = newcomer(tree)
    record(person, 1, date(year, 3, 1))
    record(person, 2, date(year, 3, 20))
    record(person, 3, date(year, 6, 1))
    return person


def probationary(tree, admitted=date(2025, 5, 1)):
    person = activist(tree, admitted.year - 2)
    record(person, 7, date(admitted.year - 1, 1, 10))
    record(person, 11, date(admitted.year - 1, 2, 1), training_days=Decimal(3))
    record(person, 15, admitted)
    return person


def test_applying_sets_the_application_date(tree):
    person = newcomer(tree)
    record(person, 1, date(2024, 3, 1))
    assert (person.applied_on, person.category) == (date(2024, 3, 1), Category.APPLICANT)


def test_confirming_a_candidate_at_step_7_sets_the_category_and_date(tree):
    person = activist(tree)
    assert (person.category, person.activist_on) == (Category.ACTIVIST, date(2024, 6, 1))
    record(person, 7, date(2025, 6, 2))
    assert (person.category, person.candidate_on) == (Category.CANDIDATE, date(2025, 6, 2))


def test_the_branch_meeting_at_step_15_admits_a_probationary_member(tree):
    person = probationary(tree)
    assert (person.category, person.admitted_on) == (Category.PROBATIONARY, date(2025, 5, 1))


def test_approval_of_conversion_makes_a_full_member_from_the_end_of_probation(tree):
    person = probationary(tree)
    record(person, 23, date(2026, 5, 5), decision=Decision.CONVERT)
    assert person.category == Category.PROBATIONARY  # the branch meeting alone does not convert
    record(person, 24, date(2026, 6, 1))
    # 党章: party standing counts from the end of probation, not from the approval.
    assert (person.category, person.full_on) == (Category.FULL, date(2026, 5, 1))


def test_after_an_extension_conversion_counts_from_the_extended_end(tree):
    person = probationary(tree, admitted=date(2024, 5, 1))
    record(person, 23, date(2025, 5, 5), decision=Decision.EXTEND, extension_months=6)
    record(person, 24, date(2025, 5, 20))
    assert person.category == Category.PROBATIONARY
    done = done_steps(list(person.development_records.all()))
    assert {22, 23, 24}.isdisjoint(done)  # the conversion steps come round again
    record(person, 23, date(2025, 11, 5), decision=Decision.CONVERT)
    record(person, 24, date(2025, 11, 20))
    assert (person.category, person.full_on) == (Category.FULL, date(2025, 11, 1))


def test_a_stage_date_earlier_than_the_previous_stage_is_refused_and_nothing_is_written(tree):
    person = activist(tree)
    messages = problems(person, 7, date(2024, 5, 1))
    assert any("确定发展对象日期（2024-05-01）早于确定入党积极分子日期（2024-06-01）" in m for m in messages)
    person.refresh_from_db()
    assert (person.category, person.candidate_on) == (Category.ACTIVIST, None)
    assert not DevelopmentRecord.objects.filter(step=7).exists()


def test_a_step_dated_before_its_stage_began_is_refused(tree):
    person = activist(tree)
    [message] = problems(person, 5, date(2024, 5, 31))
    assert "早于确定积极分子日期（2024-06-01）" in message


def test_a_future_date_is_refused(tree):
    person = newcomer(tree)
    messages = problems(person, 1, date(2026, 6, 16))
    assert any("晚于今天" in m for m in messages)
    assert not DevelopmentRecord.objects.exists()


def test_a_step_needs_its_stage_to_have_started(tree):
    person = newcomer(tree)
    record(person, 1, date(2024, 3, 1))
    [message] = problems(person, 9, date(2024, 5, 1))
    assert message == "尚未登记确定发展对象日期，不能登记第9步“确定入党介绍人”。请先登记第7步“确定发展对象”。"


def test_a_one_off_step_cannot_be_recorded_twice_but_assessments_can(tree):
    person = activist(tree)
    assert "已于 2024-06-01 登记" in problems(person, 3, date(2024, 7, 1))[0]
    record(person, 6, date(2024, 12, 1))
    record(person, 6, date(2025, 6, 1))
    assert person.development_records.filter(step=6).count() == 2


def test_training_must_say_how_long(tree):
    person = activist(tree)
    record(person, 7, date(2025, 6, 2))
    assert "须填写培训天数或学时" in problems(person, 11, date(2025, 7, 1))[0]
    assert "不能为负数" in problems(person, 11, date(2025, 7, 1), training_hours=Decimal(-3))[0]


def test_the_conversion_vote_needs_a_decision(tree):
    person = probationary(tree)
    assert "须选择决议" in problems(person, 23, date(2026, 5, 5))[0]


@pytest.mark.parametrize("months", [None, 5, 13])
def test_an_extension_is_6_to_12_months(tree, months):
    person = probationary(tree)
    [message] = problems(person, 23, date(2026, 5, 5), decision=Decision.EXTEND, extension_months=months)
    assert "延长预备期应为 6 至 12 个月" in message


def test_probation_can_be_extended_only_once(tree):
    person = probationary(tree, admitted=date(2024, 5, 1))
    record(person, 23, date(2025, 5, 5), decision=Decision.EXTEND, extension_months=6)
    record(person, 24, date(2025, 5, 20))
    [message] = problems(person, 23, date(2025, 11, 5), decision=Decision.EXTEND, extension_months=6)
    assert "只能延长一次" in message


def test_approval_needs_the_branch_meeting_first(tree):
    person = probationary(tree)
    assert "请先登记第23步" in problems(person, 24, date(2026, 5, 20))[0]


def test_recording_an_earlier_stage_again_never_moves_the_category_back(tree):
    person = probationary(tree)
    milestone = person.development_records.get(step=3)
    record_step(person, StepEntry(step=3, date=date(2023, 5, 20)), record=milestone, today=TODAY)
    person.refresh_from_db()
    assert (person.category, person.activist_on) == (Category.PROBATIONARY, date(2023, 5, 20))


def test_a_wrong_decision_cannot_be_changed_once_approved(tree):
    person = probationary(tree)
    vote = record(person, 23, date(2026, 5, 5), decision=Decision.CONVERT)
    record(person, 24, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="不能再修改决议"):
        record_step(person, StepEntry(step=23, date=vote.date, decision=Decision.EXTEND, extension_months=6), record=vote, today=TODAY)


def test_stage_records_are_corrected_not_deleted_while_other_steps_can_go(tree):
    person = activist(tree)
    with pytest.raises(ValidationError, match="不能删除"):
        delete_record(person.development_records.get(step=3))
    delete_record(person.development_records.get(step=2))
    assert not person.development_records.filter(step=2).exists()


def test_only_the_fields_a_step_uses_are_kept(tree):
    person = activist(tree)
    saved = record(person, 4, date(2024, 6, 10), training_days=Decimal(3), decision=Decision.CONVERT, extension_months=6)
    assert (saved.training_days, saved.decision, saved.extension_months) == (None, "", None)
