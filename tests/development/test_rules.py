from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhibu.development.rules import (
    ACTIVIST_ONE_YEAR,
    APPLICATION_TALK,
    CANDIDATE_TRAINING,
    MINIMUM_AGE,
    PROBATION_DUE,
    RULES,
    STEPS,
    DevelopmentError,
    DevelopmentFacts,
    Reminder,
    Severity,
    Stage,
    age_on,
    check_development,
    date_of_age,
    probation_end,
    step,
    steps_in,
    validate_stage_dates,
)

FAR_FUTURE = date(2099, 1, 1)
ONE_DAY = timedelta(days=1)


def reminders_for(rule: str, facts: DevelopmentFacts, today: date = FAR_FUTURE) -> list[Reminder]:
    return [reminder for reminder in check_development(facts, today) if reminder.rule == rule]


def only_reminder(rule: str, facts: DevelopmentFacts, today: date = FAR_FUTURE) -> Reminder:
    found = reminders_for(rule, facts, today)
    assert len(found) == 1, found
    return found[0]


# --- the 25 steps -------------------------------------------------------------------

EXPECTED_STEP_NAMES = (
    "递交入党申请书", "党组织派人谈话",
    "推荐和确定入党积极分子", "上级党委备案", "指定培养联系人", "培养教育考察",
    "确定发展对象", "报上级党委备案", "确定入党介绍人", "进行政治审查", "开展集中培训",
    "支部委员会审查", "上级党委预审", "填写入党志愿书", "支部大会讨论", "上级党委派人谈话", "上级党委审批",
    "再上级党委组织部门备案",
    "编入党支部和党小组", "入党宣誓", "继续教育考察", "提出转正申请", "支部大会讨论", "上级党委审批", "材料归档",
)


def test_there_are_25_steps_numbered_in_order():
    assert [s.number for s in STEPS] == list(range(1, 26))


def test_step_names_follow_the_procedure():
    assert tuple(s.name for s in STEPS) == EXPECTED_STEP_NAMES


@pytest.mark.parametrize(
    ("stage", "numbers"),
    [
        (Stage.APPLICANT, [1, 2]),
        (Stage.ACTIVIST, [3, 4, 5, 6]),
        (Stage.CANDIDATE, [7, 8, 9, 10, 11]),
        (Stage.PROBATIONARY, [12, 13, 14, 15, 16, 17, 18]),
        (Stage.FULL_MEMBER, [19, 20, 21, 22, 23, 24, 25]),
    ],
)
def test_steps_belong_to_their_stage(stage, numbers):
    assert [s.number for s in steps_in(stage)] == numbers


def test_stages_never_go_backwards_along_the_steps():
    stage_order = list(Stage)
    positions = [stage_order.index(s.stage) for s in STEPS]
    assert positions == sorted(positions)


def test_every_step_is_described():
    assert all(len(s.description) >= 10 for s in STEPS)


def test_step_looks_up_by_number():
    assert step(20).name == "入党宣誓"
    assert step(1).stage is Stage.APPLICANT


@pytest.mark.parametrize("number", [0, 26, -1])
def test_step_outside_1_to_25_is_an_error(number):
    with pytest.raises(ValueError, match="共 25 个步骤"):
        step(number)


def test_stage_values_are_the_status_names_and_titles_the_procedure_headings():
    assert [s.value for s in Stage] == ["入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员"]
    assert Stage.CANDIDATE.title == "发展对象的确定和考察"
    assert Stage.FULL_MEMBER.title == "预备党员的教育考察和转正"


# --- rules carry citations ----------------------------------------------------------------


def test_every_rule_cites_the_细则():
    assert all("发展党员工作细则" in rule.citation for rule in RULES.values())


def test_a_reminder_exposes_its_rule_citation():
    reminder = only_reminder(PROBATION_DUE, DevelopmentFacts(admission_date=date(2020, 1, 1)))
    assert reminder.citation == "《中国共产党发展党员工作细则》第三十二条"


# --- date arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2000, 5, 10), date(2018, 5, 10), 18),
        (date(2000, 5, 10), date(2018, 5, 9), 17),
        (date(2004, 2, 29), date(2022, 2, 28), 17),
        (date(2004, 2, 29), date(2022, 3, 1), 18),
        (date(2004, 2, 29), date(2024, 2, 29), 20),
    ],
)
def test_age_on_counts_completed_years(birth, day, age):
    assert age_on(birth, day) == age


def test_date_of_age_matches_age_on():
    assert date_of_age(date(2000, 5, 10), 18) == date(2018, 5, 10)
    assert date_of_age(date(2004, 2, 29), 18) == date(2022, 3, 1)


# --- at least 18 at application (细则 第五条) -------------------------------------------------


def test_application_on_the_18th_birthday_is_allowed():
    facts = DevelopmentFacts(birth_date=date(2000, 5, 10), application_date=date(2018, 5, 10))
    assert reminders_for(MINIMUM_AGE, facts) == []


def test_application_one_day_before_the_18th_birthday_is_broken():
    facts = DevelopmentFacts(birth_date=date(2000, 5, 10), application_date=date(2018, 5, 9))
    reminder = only_reminder(MINIMUM_AGE, facts)
    assert reminder.severity is Severity.BROKEN
    assert reminder.due_date == date(2018, 5, 10)
    assert "未满十八岁（17 岁）" in reminder.message


def test_born_on_29_february_is_not_18_until_1_march_in_a_common_year():
    born = date(2004, 2, 29)
    assert reminders_for(MINIMUM_AGE, DevelopmentFacts(birth_date=born, application_date=date(2022, 2, 28)))
    assert not reminders_for(MINIMUM_AGE, DevelopmentFacts(birth_date=born, application_date=date(2022, 3, 1)))


def test_age_is_not_checked_without_both_dates():
    assert reminders_for(MINIMUM_AGE, DevelopmentFacts(birth_date=date(2010, 1, 1))) == []
    assert reminders_for(MINIMUM_AGE, DevelopmentFacts(application_date=date(2020, 1, 1))) == []


# --- talk within one month of application (细则 第七条) ----------------------------------------

APPLIED = date(2024, 3, 15)
TALK_DEADLINE = date(2024, 4, 15)


def test_talk_exactly_one_month_after_application_is_in_time():
    facts = DevelopmentFacts(application_date=APPLIED, application_talk_date=TALK_DEADLINE)
    assert reminders_for(APPLICATION_TALK, facts) == []


def test_talk_one_day_after_the_month_is_broken():
    facts = DevelopmentFacts(application_date=APPLIED, application_talk_date=TALK_DEADLINE + ONE_DAY)
    reminder = only_reminder(APPLICATION_TALK, facts)
    assert reminder.severity is Severity.BROKEN
    assert reminder.due_date == TALK_DEADLINE
    assert "晚于" in reminder.message


def test_talk_deadline_from_31_january_is_the_end_of_february():
    facts = DevelopmentFacts(application_date=date(2024, 1, 31), application_talk_date=date(2024, 2, 29))
    assert reminders_for(APPLICATION_TALK, facts) == []
    late = DevelopmentFacts(application_date=date(2024, 1, 31), application_talk_date=date(2024, 3, 1))
    assert only_reminder(APPLICATION_TALK, late).due_date == date(2024, 2, 29)


@pytest.mark.parametrize("today", [APPLIED, APPLIED + ONE_DAY * 20, TALK_DEADLINE])
def test_talk_not_yet_held_is_due_until_the_deadline(today):
    reminder = only_reminder(APPLICATION_TALK, DevelopmentFacts(application_date=APPLIED), today)
    assert reminder.severity is Severity.REMINDER
    assert reminder.due_date == TALK_DEADLINE
    assert "2024-04-15 前" in reminder.message


def test_talk_not_held_the_day_after_the_deadline_is_broken():
    reminder = only_reminder(APPLICATION_TALK, DevelopmentFacts(application_date=APPLIED), TALK_DEADLINE + ONE_DAY)
    assert reminder.severity is Severity.BROKEN
    assert "仍未登记谈话" in reminder.message


def test_missing_talk_date_is_not_chased_once_the_person_is_an_activist():
    facts = DevelopmentFacts(application_date=APPLIED, activist_date=date(2024, 9, 1))
    assert reminders_for(APPLICATION_TALK, facts, date(2025, 1, 1)) == []


def test_talk_deadline_applies_only_to_applications_under_the_2014_细则():
    late_talk = timedelta(days=90)
    before = DevelopmentFacts(application_date=date(2014, 6, 9), application_talk_date=date(2014, 6, 9) + late_talk)
    from_issue = DevelopmentFacts(application_date=date(2014, 6, 10), application_talk_date=date(2014, 6, 10) + late_talk)
    assert reminders_for(APPLICATION_TALK, before) == []
    assert reminders_for(APPLICATION_TALK, from_issue)


# --- one year as activist (细则 第十三条) --------------------------------------------------------

ACTIVIST = date(2023, 4, 1)
ONE_YEAR_LATER = date(2024, 4, 1)


def test_candidate_exactly_one_year_after_becoming_activist_is_allowed():
    facts = DevelopmentFacts(activist_date=ACTIVIST, candidate_date=ONE_YEAR_LATER)
    assert reminders_for(ACTIVIST_ONE_YEAR, facts) == []


def test_candidate_one_day_short_of_a_year_is_broken():
    facts = DevelopmentFacts(activist_date=ACTIVIST, candidate_date=ONE_YEAR_LATER - ONE_DAY)
    reminder = only_reminder(ACTIVIST_ONE_YEAR, facts)
    assert reminder.severity is Severity.BROKEN
    assert reminder.due_date == ONE_YEAR_LATER
    assert "不满一年" in reminder.message
    assert "2024-04-01" in reminder.message


def test_activist_from_29_february_completes_the_year_on_28_february():
    allowed = DevelopmentFacts(activist_date=date(2024, 2, 29), candidate_date=date(2025, 2, 28))
    short = DevelopmentFacts(activist_date=date(2024, 2, 29), candidate_date=date(2025, 2, 27))
    assert reminders_for(ACTIVIST_ONE_YEAR, allowed) == []
    assert reminders_for(ACTIVIST_ONE_YEAR, short)


def test_one_year_rule_needs_both_dates():
    assert reminders_for(ACTIVIST_ONE_YEAR, DevelopmentFacts(activist_date=ACTIVIST)) == []
    assert reminders_for(ACTIVIST_ONE_YEAR, DevelopmentFacts(candidate_date=ONE_YEAR_LATER)) == []


# --- concentrated training: 3 days or 24 class hours ----------------------------------------------

CANDIDATE = date(2024, 5, 1)
ADMITTED = date(2024, 9, 1)


@pytest.mark.parametrize(
    ("days", "hours"),
    [(3, None), (None, 24), (Decimal("3.0"), 0), (2, 24), (Decimal("2.5"), 30), (5, 40)],
)
def test_training_of_three_days_or_24_hours_meets_the_rule(days, hours):
    facts = DevelopmentFacts(candidate_date=CANDIDATE, admission_date=ADMITTED, training_days=days, training_hours=hours)
    assert reminders_for(CANDIDATE_TRAINING, facts) == []


@pytest.mark.parametrize(("days", "hours"), [(2, None), (None, 23), (2, 23), (Decimal("2.9"), Decimal("23.5"))])
def test_admission_after_too_little_training_is_broken(days, hours):
    facts = DevelopmentFacts(candidate_date=CANDIDATE, admission_date=ADMITTED, training_days=days, training_hours=hours)
    reminder = only_reminder(CANDIDATE_TRAINING, facts)
    assert reminder.severity is Severity.BROKEN
    assert reminder.due_date == ADMITTED
    assert "集中培训仅" in reminder.message


def test_admission_without_recorded_training_is_broken():
    facts = DevelopmentFacts(candidate_date=CANDIDATE, admission_date=ADMITTED)
    assert "未登记集中培训" in only_reminder(CANDIDATE_TRAINING, facts).message


def test_candidate_not_yet_trained_is_reminded_before_the_branch_meeting():
    reminder = only_reminder(CANDIDATE_TRAINING, DevelopmentFacts(candidate_date=CANDIDATE, training_hours=16))
    assert reminder.severity is Severity.REMINDER
    assert "不少于 3 天或 24 学时" in reminder.message


def test_training_is_not_asked_of_activists_or_of_full_members():
    assert reminders_for(CANDIDATE_TRAINING, DevelopmentFacts(activist_date=date(2024, 1, 1))) == []
    full = DevelopmentFacts(admission_date=date(2000, 7, 1), full_member_date=date(2001, 7, 1))
    assert reminders_for(CANDIDATE_TRAINING, full) == []


@pytest.mark.parametrize("field", ["training_days", "training_hours"])
def test_negative_training_is_rejected(field):
    with pytest.raises(DevelopmentError, match="不能为负数"):
        DevelopmentFacts(**{field: -1})


# --- probation and conversion (细则 第三十二条) ------------------------------------------------------

ADMISSION = date(2024, 6, 20)
PROBATION_END = date(2025, 6, 20)
REMIND_FROM = date(2025, 5, 20)


def probationer(**extra) -> DevelopmentFacts:
    return DevelopmentFacts(admission_date=ADMISSION, **extra)


def test_probation_ends_one_year_after_the_branch_meeting():
    assert probation_end(ADMISSION) == PROBATION_END
    assert probation_end(date(2024, 2, 29)) == date(2025, 2, 28)


def test_no_reminder_more_than_a_month_before_probation_ends():
    assert reminders_for(PROBATION_DUE, probationer(), REMIND_FROM - ONE_DAY) == []


@pytest.mark.parametrize("today", [REMIND_FROM, PROBATION_END - ONE_DAY, PROBATION_END])
def test_conversion_is_reminded_from_one_month_before_until_the_end_of_probation(today):
    reminder = only_reminder(PROBATION_DUE, probationer(), today)
    assert reminder.severity is Severity.REMINDER
    assert reminder.due_date == PROBATION_END
    assert "转正申请" in reminder.message


def test_probation_passed_without_a_decision_is_broken():
    reminder = only_reminder(PROBATION_DUE, probationer(), PROBATION_END + ONE_DAY)
    assert reminder.severity is Severity.BROKEN
    assert "尚未作出转正、延长预备期或取消资格的决定" in reminder.message


def test_conversion_on_the_day_probation_ends_is_in_order():
    assert reminders_for(PROBATION_DUE, probationer(full_member_date=PROBATION_END)) == []


def test_conversion_after_the_end_of_probation_raises_nothing():
    assert reminders_for(PROBATION_DUE, probationer(full_member_date=PROBATION_END + ONE_DAY * 30)) == []


def test_conversion_one_day_before_probation_ends_is_broken():
    reminder = only_reminder(PROBATION_DUE, probationer(full_member_date=PROBATION_END - ONE_DAY))
    assert reminder.severity is Severity.BROKEN
    assert "早于一年预备期届满之日（2025-06-20）" in reminder.message


def test_extension_moves_the_end_of_probation():
    extended = probationer(extension_months=6)
    extended_end = date(2025, 12, 20)
    assert reminders_for(PROBATION_DUE, extended, PROBATION_END + ONE_DAY) == []
    assert only_reminder(PROBATION_DUE, extended, date(2025, 11, 20)).severity is Severity.REMINDER
    late = only_reminder(PROBATION_DUE, extended, extended_end + ONE_DAY)
    assert late.severity is Severity.BROKEN
    assert late.due_date == extended_end
    assert "延长 6 个月后的预备期" in late.message


def test_twelve_month_extension_gives_two_years_of_probation():
    assert probation_end(ADMISSION, 12) == date(2026, 6, 20)


@pytest.mark.parametrize("months", [6, 9, 12])
def test_extension_of_six_to_twelve_months_is_accepted(months):
    assert probationer(extension_months=months).extension_months == months


@pytest.mark.parametrize("months", [0, 5, 13, 24, -6, 6.5, "6", True])
def test_extension_outside_six_to_twelve_whole_months_is_rejected(months):
    with pytest.raises(DevelopmentError, match="不能少于半年、最长不超过一年"):
        probationer(extension_months=months)


def test_development_error_is_a_value_error():
    assert issubclass(DevelopmentError, ValueError)


# --- the whole check ----------------------------------------------------------------------------------


def test_a_clean_record_raises_nothing():
    facts = DevelopmentFacts(
        birth_date=date(1995, 8, 1),
        application_date=date(2021, 3, 1),
        application_talk_date=date(2021, 3, 20),
        activist_date=date(2021, 6, 1),
        candidate_date=date(2022, 6, 1),
        training_days=3,
        admission_date=date(2022, 11, 10),
        full_member_date=date(2023, 11, 10),
    )
    assert check_development(facts, date(2025, 1, 1)) == []
    assert validate_stage_dates(facts, today=date(2025, 1, 1)) == []


def test_an_empty_record_raises_nothing():
    assert check_development(DevelopmentFacts(), date(2025, 1, 1)) == []


def test_findings_come_in_pipeline_order():
    facts = DevelopmentFacts(
        birth_date=date(2004, 1, 1),
        application_date=date(2021, 12, 1),  # aged 17
        application_talk_date=date(2022, 2, 1),  # late
        activist_date=date(2022, 3, 1),
        candidate_date=date(2022, 12, 1),  # under a year
        admission_date=date(2023, 6, 1),  # no training
    )
    rules = [reminder.rule for reminder in check_development(facts, date(2025, 1, 1))]
    assert rules == [MINIMUM_AGE, APPLICATION_TALK, ACTIVIST_ONE_YEAR, CANDIDATE_TRAINING, PROBATION_DUE]


# --- recorded dates in order and not in the future ------------------------------------------------------

TODAY = date(2025, 6, 1)


def test_equal_stage_dates_are_allowed():
    same_day = date(2024, 1, 1)
    facts = DevelopmentFacts(application_date=same_day, activist_date=same_day, candidate_date=same_day)
    assert validate_stage_dates(facts, today=TODAY) == []


def test_stage_earlier_than_the_previous_one_is_reported_with_both_dates():
    facts = DevelopmentFacts(application_date=date(2024, 5, 1), activist_date=date(2024, 4, 30))
    [error] = validate_stage_dates(facts, today=TODAY)
    assert "确定入党积极分子日期（2024-04-30）早于递交入党申请书日期（2024-05-01）" in error
    assert "请核对后更正" in error


def test_missing_stage_dates_are_skipped_and_the_nearest_earlier_stage_compared():
    facts = DevelopmentFacts(application_date=date(2024, 5, 1), candidate_date=date(2024, 4, 1))
    [error] = validate_stage_dates(facts, today=TODAY)
    assert error.startswith("确定发展对象日期（2024-04-01）早于递交入党申请书日期")


@pytest.mark.parametrize(
    ("earlier_field", "later_field", "label"),
    [
        ("activist_date", "candidate_date", "确定发展对象日期"),
        ("candidate_date", "admission_date", "入党日期"),
        ("admission_date", "full_member_date", "转正日期"),
    ],
)
def test_each_stage_must_not_precede_the_one_before(earlier_field, later_field, label):
    facts = DevelopmentFacts(**{earlier_field: date(2024, 3, 2), later_field: date(2024, 3, 1)})
    [error] = validate_stage_dates(facts, today=TODAY)
    assert error.startswith(label)


def test_a_future_date_is_reported_but_today_is_allowed():
    assert validate_stage_dates(DevelopmentFacts(application_date=TODAY), today=TODAY) == []
    [error] = validate_stage_dates(DevelopmentFacts(application_date=TODAY + ONE_DAY), today=TODAY)
    assert "晚于今天（2025-06-01）" in error


def test_future_birth_and_talk_dates_are_reported_too():
    facts = DevelopmentFacts(birth_date=TODAY + ONE_DAY, application_talk_date=TODAY + ONE_DAY)
    errors = validate_stage_dates(facts, today=TODAY)
    assert any(error.startswith("出生日期") for error in errors)
    assert any(error.startswith("入党申请谈话日期") for error in errors)


def test_today_defaults_to_the_real_date():
    assert validate_stage_dates(DevelopmentFacts(full_member_date=date(9999, 1, 1)))


def test_talk_before_the_application_is_reported():
    facts = DevelopmentFacts(application_date=date(2024, 5, 2), application_talk_date=date(2024, 5, 1))
    [error] = validate_stage_dates(facts, today=TODAY)
    assert "入党申请谈话日期（2024-05-01）早于递交入党申请书日期" in error


def test_extension_without_an_admission_date_is_reported():
    [error] = validate_stage_dates(DevelopmentFacts(extension_months=6), today=TODAY)
    assert "延长预备期" in error


def test_every_problem_is_reported_not_just_the_first():
    facts = DevelopmentFacts(
        application_date=date(2024, 5, 1),
        activist_date=date(2024, 4, 1),
        candidate_date=date(2024, 3, 1),
        admission_date=TODAY + ONE_DAY,
    )
    assert len(validate_stage_dates(facts, today=TODAY)) == 3
