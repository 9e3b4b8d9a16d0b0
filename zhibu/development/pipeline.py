"""Moving people through the pipeline: recording a step (one transaction), what comes next, and the reminders.

The date rules themselves are pure functions in zhibu.development.rules; this
module feeds them the recorded facts and keeps Person's stage dates and
category in step with the records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Q

from zhibu.development.models import Decision, DevelopmentRecord
from zhibu.development.rules import (
    ACTIVIST_MINIMUM_MONTHS,
    EXTENSION_MAXIMUM_MONTHS,
    EXTENSION_MINIMUM_MONTHS,
    STEPS,
    DevelopmentError,
    DevelopmentFacts,
    Reminder,
    Severity,
    Stage,
    Step,
    check_development,
    probation_end,
    step,
    validate_stage_dates,
)
from zhibu.lib.dates import add_months
from zhibu.orgs.models import Category, Organisation, Person

# Steps that start a stage: the date goes onto the person, who then holds the stage's category.
MILESTONES: dict[int, tuple[str, str]] = {
    1: ("applied_on", Category.APPLICANT),
    3: ("activist_on", Category.ACTIVIST),
    7: ("candidate_on", Category.CANDIDATE),
    15: ("admitted_on", Category.PROBATIONARY),
}
TALK_STEP = 2
TRAINING_STEP = 11
CONVERSION_VOTE = 23
CONVERSION_APPROVAL = 24
ARCHIVE_STEP = 25
# Done more than once: assessment every half year (6, 21), training in several sessions (11), and after an
# extension of probation the application, the branch meeting and the approval come round again (22–24).
REPEATABLE_STEPS = frozenset({6, 11, 21, 22, 23, 24})

CATEGORY_ORDER = [Category.APPLICANT, Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY, Category.FULL]
# The milestone a person of each category has passed; the steps after it are theirs to do.
CATEGORY_MILESTONE = {Category.APPLICANT: 1, Category.ACTIVIST: 3, Category.CANDIDATE: 7, Category.PROBATIONARY: 15,
                      Category.FULL: CONVERSION_APPROVAL}


def _label(field: str) -> str:
    return str(Person._meta.get_field(field).verbose_name)


def _rank(category: str) -> int:
    return CATEGORY_ORDER.index(category)


def _milestone_before(number: int) -> int | None:
    """The stage-starting step that ``number`` builds on (e.g. 9 → 7), None for step 1."""
    earlier = [milestone for milestone in MILESTONES if milestone < number]
    return max(earlier) if earlier else None


# --- facts and reminders ------------------------------------------------------------------------------


def extension_record(records: list[DevelopmentRecord]) -> DevelopmentRecord | None:
    return next((r for r in records if r.step == CONVERSION_VOTE and r.decision == Decision.EXTEND), None)


def probation_ends(person: Person, records: list[DevelopmentRecord]) -> date | None:
    """When the person's probation ends, counting an extension if one was decided."""
    if person.admitted_on is None:
        return None
    extension = extension_record(records)
    return probation_end(person.admitted_on, extension.extension_months if extension else None)


def _sum_or_none(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def facts_for(person: Person, records: list[DevelopmentRecord]) -> DevelopmentFacts:
    """What the rules need to know about ``person``, from their stage dates and step records."""
    talks = [r.date for r in records if r.step == TALK_STEP]
    training = [r for r in records if r.step == TRAINING_STEP]
    extension = extension_record(records)
    return DevelopmentFacts(
        birth_date=person.birth_date,
        application_date=person.applied_on,
        application_talk_date=min(talks) if talks else None,
        activist_date=person.activist_on,
        candidate_date=person.candidate_on,
        training_days=_sum_or_none([r.training_days for r in training]),
        training_hours=_sum_or_none([r.training_hours for r in training]),
        admission_date=person.admitted_on,
        full_member_date=person.full_on,
        extension_months=extension.extension_months if extension else None,
    )


def person_reminders(person: Person, records: list[DevelopmentRecord], today: date) -> list[Reminder]:
    """Rules broken or actions due for ``person`` (nothing for members who joined before any record was kept)."""
    if person.category == Category.FULL and not records:
        return []
    return check_development(facts_for(person, records), today)


# --- what comes next ------------------------------------------------------------------------------------


def done_steps(records: list[DevelopmentRecord]) -> set[int]:
    """Steps already recorded; after an approved extension, the conversion steps are due again."""
    done = {r.step for r in records}
    extension = extension_record(records)
    if extension:
        approval = next((r for r in records if r.step == CONVERSION_APPROVAL and r.date >= extension.date), None)
        if approval:
            again = {r.step for r in records if r.step in (22, 23, 24) and (r.date, r.pk) > (approval.date, approval.pk)}
            done = (done - {22, 23, 24}) | again
    return done


def next_step(person: Person, records: list[DevelopmentRecord]) -> Step | None:
    """The first step after the person's current stage started that is not recorded yet."""
    start = CATEGORY_MILESTONE.get(person.category)
    done = done_steps(records)
    if start is None or (person.category == Category.FULL and CONVERSION_APPROVAL not in done):
        # A full member who was not converted through these records has nothing left to do here.
        return None
    return next((s for s in STEPS if s.number > start and s.number not in done), None)


def stage_hint(person: Person, records: list[DevelopmentRecord]) -> str:
    """One line on where the person stands, with the date the next stage may start."""
    if person.category == Category.APPLICANT and person.applied_on:
        return f"{person.applied_on:%Y-%m-%d} 递交入党申请书"
    if person.category == Category.ACTIVIST and person.activist_on:
        earliest = add_months(person.activist_on, ACTIVIST_MINIMUM_MONTHS)
        return f"{person.activist_on:%Y-%m-%d} 确定为积极分子，{earliest:%Y-%m-%d} 起可列为发展对象"
    if person.category == Category.CANDIDATE and person.candidate_on:
        return f"{person.candidate_on:%Y-%m-%d} 确定为发展对象"
    if person.category == Category.PROBATIONARY and person.admitted_on:
        return f"{person.admitted_on:%Y-%m-%d} 入党，预备期至 {probation_ends(person, records):%Y-%m-%d}"
    if person.category == Category.FULL and person.full_on:
        return f"{person.full_on:%Y-%m-%d} 转为正式党员"
    return ""


@dataclass
class BoardCard:
    person: Person
    next_step: Step | None
    hint: str
    reminders: list[Reminder]

    @property
    def overdue(self) -> list[Reminder]:
        return [r for r in self.reminders if r.severity is Severity.BROKEN]


@dataclass
class BoardColumn:
    stage: Stage
    cards: list[BoardCard]

    @property
    def title(self) -> str:
        return self.stage.value if self.stage is not Stage.FULL_MEMBER else "转正待归档"


def records_by_person(people) -> dict[int, list[DevelopmentRecord]]:
    grouped: dict[int, list[DevelopmentRecord]] = defaultdict(list)
    for record in DevelopmentRecord.objects.filter(person__in=people).order_by("date", "step", "pk"):
        grouped[record.person_id].append(record)
    return grouped


def development_people(branch, *, with_history: bool = False):
    """Everyone in ``branch`` (or in each branch of a queryset of branches) still on the way: applicants to
    probationary members, and the newly converted until their papers are archived; ``with_history`` adds anyone
    with a record kept here (for the ledger)."""
    converted = DevelopmentRecord.objects.filter(step=CONVERSION_APPROVAL).values("person")
    archived = DevelopmentRecord.objects.filter(step=ARCHIVE_STEP).values("person")
    wanted = Q(category__in=CATEGORY_ORDER[:-1]) | (Q(category=Category.FULL, pk__in=converted) & ~Q(pk__in=archived))
    if with_history:
        wanted |= Q(pk__in=DevelopmentRecord.objects.values("person"))
    where = Q(branch__in=branch) if isinstance(branch, QuerySet) else Q(branch=branch)
    return Person.objects.filter(where).filter(wanted).select_related("branch")


def branch_board(branch: Organisation, today: date) -> list[BoardColumn]:
    """One column per stage (named by the status held), each with who is there, what is next and what is due."""
    from zhibu.orgs.people import by_strokes

    people = by_strokes(development_people(branch))
    records = records_by_person(people)
    columns = {stage: BoardColumn(stage, []) for stage in Stage}
    for person in people:
        mine = records.get(person.pk, [])
        card = BoardCard(person, next_step(person, mine), stage_hint(person, mine), person_reminders(person, mine, today))
        columns[Stage(person.category)].cards.append(card)
    return list(columns.values())


# --- recording a step -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepEntry:
    """What a user records for one step; only the fields the step uses are kept."""

    step: int
    date: date
    note: str = ""
    training_days: Decimal | None = None
    training_hours: Decimal | None = None
    decision: str = ""
    extension_months: int | None = None

    def cleaned(self) -> "StepEntry":
        is_training, is_vote = self.step == TRAINING_STEP, self.step == CONVERSION_VOTE
        return replace(
            self,
            note=self.note.strip(),
            training_days=self.training_days if is_training else None,
            training_hours=self.training_hours if is_training else None,
            decision=self.decision if is_vote else "",
            extension_months=self.extension_months if is_vote and self.decision == Decision.EXTEND else None,
        )


def _step_problems(person: Person, entry: StepEntry, others: list[DevelopmentRecord], today: date) -> list[str]:
    """Problems with the entry on its own and against the other records; stage order is checked separately."""
    problems = []
    info = step(entry.step)
    # Dates the rules know (application, talk, stage starts) are checked for the future by validate_stage_dates.
    if entry.date > today and entry.step != TALK_STEP and entry.step not in MILESTONES:
        problems.append(f"日期 {entry.date:%Y-%m-%d} 晚于今天，不能登记将来的日期，请核对后更正。")
    if entry.step not in REPEATABLE_STEPS:
        same = next((r for r in others if r.step == entry.step), None)
        if same:
            problems.append(f"第{entry.step}步“{info.name}”已于 {same.date:%Y-%m-%d} 登记。如需更正，请修改原记录。")
    milestone = _milestone_before(entry.step)
    if milestone is not None:
        field, _ = MILESTONES[milestone]
        started = getattr(person, field)
        if started is None:
            problems.append(
                f"尚未登记{_label(field)}，不能登记第{entry.step}步“{info.name}”。"
                f"请先登记第{milestone}步“{step(milestone).name}”。"
            )
        elif entry.date < started and entry.step not in MILESTONES:
            problems.append(
                f"第{entry.step}步“{info.name}”的日期（{entry.date:%Y-%m-%d}）早于{_label(field)}（{started:%Y-%m-%d}）。"
                "后面步骤的日期不能早于所在阶段开始的日期，请核对后更正。"
            )
    if entry.step == TRAINING_STEP and not (entry.training_days or entry.training_hours):
        problems.append("第11步“开展集中培训”须填写培训天数或学时（不少于3天或24学时）。")
    if entry.step == CONVERSION_VOTE:
        problems += _vote_problems(entry, others)
    if entry.step == CONVERSION_APPROVAL and not any(r.step == CONVERSION_VOTE and r.date <= entry.date for r in others):
        problems.append("上级党委审批前须先登记第23步“支部大会讨论”及其决议，请先登记第23步。")
    if entry.step == ARCHIVE_STEP and person.category != Category.FULL:
        problems.append("材料归档在转为正式党员之后进行。请先登记第24步“上级党委审批”（按期转正）。")
    return problems


def _vote_problems(entry: StepEntry, others: list[DevelopmentRecord]) -> list[str]:
    if not entry.decision:
        return ["第23步“支部大会讨论”须选择决议：按期转正、延长预备期或取消预备党员资格。"]
    if entry.decision != Decision.EXTEND:
        return []
    problems = []
    if entry.extension_months is None:
        return [f"延长预备期应为 {EXTENSION_MINIMUM_MONTHS} 至 {EXTENSION_MAXIMUM_MONTHS} 个月，请按支部大会决议填写延长月数。"]
    try:
        DevelopmentFacts(extension_months=entry.extension_months)
    except DevelopmentError as error:
        problems.append(str(error))
    earlier = extension_record(others)
    if earlier:
        problems.append(
            f"预备期已于 {earlier.date:%Y-%m-%d} 延长 {earlier.extension_months} 个月，只能延长一次"
            "（《中国共产党发展党员工作细则》第三十二条）。期满时应讨论按期转正或取消预备党员资格。"
        )
    return problems


def _person_changes(person: Person, entry: StepEntry, others: list[DevelopmentRecord]) -> dict:
    """The stage date and category recording ``entry`` gives the person (a category never moves back)."""
    changes: dict = {}
    target = None
    if entry.step in MILESTONES:
        field, target = MILESTONES[entry.step]
        changes[field] = entry.date
    if entry.step == CONVERSION_APPROVAL:
        votes = [r for r in others if r.step == CONVERSION_VOTE and r.date <= entry.date]
        if votes and votes[-1].decision == Decision.CONVERT and person.admitted_on:
            # 党章 第七条: party standing counts from the day probation ends, not from the approval.
            changes["full_on"] = probation_ends(person, others)
            target = Category.FULL
    if target and _rank(target) > _rank(person.category):
        changes["category"] = target
    return changes


def record_step(person: Person, entry: StepEntry, *, actor=None, record: DevelopmentRecord | None = None,
                today: date | None = None) -> DevelopmentRecord:
    """Record (or correct) one step for ``person`` and move their stage date and category with it.

    Everything is checked first, including the order of the stage dates the
    record would give (rules.validate_stage_dates); any problem raises
    ValidationError with every message and writes nothing.
    """
    today = today or date.today()
    entry = entry.cleaned()
    if record is not None and record.step != entry.step:
        raise ValidationError("修改记录时不能改变步骤；请删除后重新登记。")
    others = [r for r in DevelopmentRecord.objects.filter(person=person).order_by("date", "step", "pk")
              if record is None or r.pk != record.pk]
    problems = _step_problems(person, entry, others, today)
    if record is not None and record.step == CONVERSION_VOTE and record.decision != entry.decision and any(
        r.step == CONVERSION_APPROVAL and r.date >= record.date for r in others
    ):
        problems.append("上级党委已审批这次支部大会的决议，不能再修改决议。如确有错误，请报上级党委重新审批后登记。")
    changes = _person_changes(person, entry, others)
    projected = Person(**{f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields})
    for field, value in changes.items():
        setattr(projected, field, value)
    draft = DevelopmentRecord(person=person, step=entry.step, date=entry.date, training_days=entry.training_days,
                              training_hours=entry.training_hours, decision=entry.decision,
                              extension_months=entry.extension_months)
    try:
        facts = facts_for(projected, sorted([*others, draft], key=lambda r: (r.date, r.step)))
        problems += validate_stage_dates(facts, today=today)
    except DevelopmentError as error:
        if str(error) not in problems:  # an extension out of range is already reported above
            problems.append(str(error))
    if problems:
        raise ValidationError(problems)

    with transaction.atomic():
        record = record or DevelopmentRecord(person=person, step=entry.step, recorded_by=actor)
        for field in ("date", "note", "training_days", "training_hours", "decision", "extension_months"):
            setattr(record, field, getattr(entry, field))
        record.save()
        if changes:
            for field, value in changes.items():
                setattr(person, field, value)
            person.save(update_fields=list(changes))
    return record


# Stage-starting records and conversions change the person; removing them would leave the roster
# saying something no record supports, so they are corrected instead.
UNDELETABLE_STEPS = frozenset(MILESTONES) | {CONVERSION_VOTE, CONVERSION_APPROVAL}


def delete_record(record: DevelopmentRecord) -> None:
    if record.step in UNDELETABLE_STEPS:
        raise ValidationError(
            f"第{record.step}步“{record.step_info.name}”关系到人员类别和阶段日期，不能删除；如登记有误，请修改日期或决议。"
        )
    record.delete()
