"""Every development rule raises its reminder from recorded steps, and the board shows who is where and what is next."""

from datetime import date, timedelta
from decimal import Decimal

from tests.development.conftest import TODAY, newcomer, record
from zhibu.development.models import Decision
from zhibu.development.pipeline import branch_board, person_reminders, records_by_person
from zhibu.development.rules import (
    ACTIVIST_ONE_YEAR,
    APPLICATION_TALK,
    CANDIDATE_TRAINING,
    MINIMUM_AGE,
    PROBATION_DUE,
    Severity,
    Stage,
)


def reminders(person, today=TODAY):
    return {(r.rule, r.severity) for r in person_reminders(person, records_by_person([person]).get(person.pk, []), today)}


def candidate(tree, trained: bool):
    person = newcomer(tree)
    record(person, 1, date(2024, 1, 5))
    record(person, 2, date(2024, 1, 20))
    record(person, 3, date(2024, 4, 1))
    record(person, 7, date(2025, 4, 1))
    if trained:
        record(person, 11, date(2025, 5, 1), training_hours=Decimal(24))
    return person


def admitted(tree, on: date):
    person = newcomer(tree)
    record(person, 1, on - timedelta(days=900), today=on)
    record(person, 2, on - timedelta(days=890), today=on)
    record(person, 3, on - timedelta(days=800), today=on)
    record(person, 7, on - timedelta(days=300), today=on)
    record(person, 11, on - timedelta(days=200), training_days=Decimal(3), today=on)
    record(person, 15, on, today=on)
    return person


def test_an_applicant_under_18_breaks_the_age_rule(tree):
    person = newcomer(tree, birth=date(2008, 6, 2))
    record(person, 1, date(2026, 6, 1))
    assert (MINIMUM_AGE, Severity.BROKEN) in reminders(person)
    adult = newcomer(tree, name="成年人", birth=date(2008, 6, 1))
    record(adult, 1, date(2026, 6, 1))
    assert MINIMUM_AGE not in {rule for rule, _ in reminders(adult)}


def test_the_talk_is_due_within_a_month_of_the_application_and_overdue_after(tree):
    person = newcomer(tree)
    record(person, 1, date(2026, 6, 1))
    assert (APPLICATION_TALK, Severity.REMINDER) in reminders(person)
    assert (APPLICATION_TALK, Severity.BROKEN) in reminders(person, today=date(2026, 7, 2))
    record(person, 2, date(2026, 6, 20), today=date(2026, 7, 2))
    assert APPLICATION_TALK not in {rule for rule, _ in reminders(person, today=date(2026, 7, 2))}


def test_a_late_talk_stays_on_record_as_broken(tree):
    person = newcomer(tree)
    record(person, 1, date(2026, 4, 1))
    record(person, 2, date(2026, 5, 15))
    assert (APPLICATION_TALK, Severity.BROKEN) in reminders(person)


def test_a_candidate_confirmed_less_than_a_year_after_becoming_an_activist_breaks_the_rule(tree):
    person = newcomer(tree)
    record(person, 1, date(2024, 1, 5))
    record(person, 2, date(2024, 1, 20))
    record(person, 3, date(2025, 1, 10))
    record(person, 7, date(2026, 1, 9))  # one day short of a year
    assert (ACTIVIST_ONE_YEAR, Severity.BROKEN) in reminders(person)


def test_a_candidate_without_training_is_reminded_and_admission_without_it_is_broken(tree):
    untrained = candidate(tree, trained=False)
    assert (CANDIDATE_TRAINING, Severity.REMINDER) in reminders(untrained)
    record(untrained, 15, date(2026, 6, 1))
    assert (CANDIDATE_TRAINING, Severity.BROKEN) in reminders(untrained)


def test_24_class_hours_meet_the_training_rule(tree):
    person = candidate(tree, trained=True)
    assert CANDIDATE_TRAINING not in {rule for rule, _ in reminders(person)}


def test_conversion_is_due_in_the_last_month_of_probation_and_overdue_after_it(tree):
    person = admitted(tree, date(2025, 7, 1))
    assert (PROBATION_DUE, Severity.REMINDER) in reminders(person, today=date(2026, 6, 15))
    assert (PROBATION_DUE, Severity.BROKEN) in reminders(person, today=date(2026, 7, 2))
    assert PROBATION_DUE not in {rule for rule, _ in reminders(person, today=date(2026, 5, 15))}


def test_an_extension_moves_the_conversion_date(tree):
    person = admitted(tree, date(2025, 6, 1))
    record(person, 23, date(2026, 6, 5), decision=Decision.EXTEND, extension_months=6)
    assert PROBATION_DUE not in {rule for rule, _ in reminders(person, today=date(2026, 7, 1))}
    assert (PROBATION_DUE, Severity.BROKEN) in reminders(person, today=date(2026, 12, 2))


def test_members_who_joined_before_any_record_was_kept_get_no_reminders(tree):
    assert reminders(tree.people.a_member) == set()


def test_the_board_shows_each_person_in_their_stage_with_the_next_step_and_what_is_overdue(tree):
    late = newcomer(tree, name="迟谈话")
    record(late, 1, date(2026, 4, 1))
    ready = candidate(tree, trained=True)
    columns = {column.stage: column for column in branch_board(tree.orgs.a, TODAY)}
    assert [card.person.name for card in columns[Stage.APPLICANT].cards] == ["迟谈话"]
    [late_card] = columns[Stage.APPLICANT].cards
    assert late_card.next_step.number == 2
    assert [r.rule for r in late_card.overdue] == [APPLICATION_TALK]
    [ready_card] = columns[Stage.CANDIDATE].cards
    assert (ready_card.person, ready_card.next_step.number) == (ready, 8)
    assert "2025-04-01 确定为发展对象" == ready_card.hint
    assert not columns[Stage.FULL_MEMBER].cards  # full members who never went through these records stay off the board
    assert all(card.person.branch == tree.orgs.a for column in columns.values() for card in column.cards)


def test_a_newly_converted_member_stays_on_the_board_until_the_papers_are_archived(tree):
    person = admitted(tree, date(2025, 5, 1))
    record(person, 23, date(2026, 5, 5), decision=Decision.CONVERT)
    record(person, 24, date(2026, 6, 1))
    columns = {column.stage: column for column in branch_board(tree.orgs.a, TODAY)}
    [card] = columns[Stage.FULL_MEMBER].cards
    assert card.next_step.number == 25
    record(person, 25, date(2026, 6, 10))
    assert not {column.stage: column for column in branch_board(tree.orgs.a, TODAY)}[Stage.FULL_MEMBER].cards
