"""The steps of a 民主评议党员. Each step checks the stage it starts from and writes everything it touches in
one transaction; the 民主测评 goes through the shared ballot machinery (zhibu.ballots)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from zhibu.appraisal.models import Appraisal, AppraisalBallot, Mark, Participant, Status
from zhibu.appraisal.rules import DISPOSALS, GRADES, NOT_GRADED, excellent_limit
from zhibu.ballots import services as ballots
from zhibu.lib.steps import locked, require_stage
from zhibu.orgs.models import Category, MEMBER_CATEGORIES, Person
from zhibu.records.models import Activity, ActivityType
from zhibu.lib.textinput import join_clauses

STATEMENT_LIMIT = 2000
# The catalogue's canonical name of the type, which is also its immutable key where the catalogue has keys.
APPRAISAL_TYPE_KEY = "民主评议党员"


class AppraisalError(ValueError):
    """A step refused; the message says why and what to do."""


class TooManyExcellent(AppraisalError):
    """A ballot grades more members 优秀 than the share allows: a warning the voter may override."""


def appraisal_activity_type() -> ActivityType:
    """The 民主评议党员 type, found by its identity (the immutable key) rather than by a name users can edit."""
    if "key" in {f.name for f in ActivityType._meta.fields}:
        return ActivityType.objects.get(key=APPRAISAL_TYPE_KEY)
    return ActivityType.objects.get(name=APPRAISAL_TYPE_KEY)


def _require(appraisal: Appraisal, *statuses: str, doing: str) -> None:
    require_stage(appraisal, *statuses, doing=doing, refused=AppraisalError, noun="评议")


@transaction.atomic
def create(actor, branch, year: int, *, excellent=(1, 3), participation_target: int = 95, min_ballots: int | None = None) -> Appraisal:
    appraisal = Appraisal(branch=branch, year=year, excellent_numerator=excellent[0], excellent_denominator=excellent[1],
                          participation_target=participation_target, created_by=actor if getattr(actor, "pk", None) else None)
    appraisal.full_clean()
    appraisal.poll = ballots.new_poll(str(appraisal), min_ballots)
    appraisal.save()
    sync_participants(appraisal)
    return appraisal


def sync_participants(appraisal: Appraisal) -> None:
    """Every member of the branch takes part; 预备党员 are not graded. Only before the 民主测评 opens."""
    if appraisal.status != Status.PREPARING:
        raise AppraisalError("民主测评开始后，参加评议的党员名单不能再变")
    people = list(Person.objects.filter(branch=appraisal.branch, category__in=MEMBER_CATEGORIES))
    appraisal.participants.exclude(person__in=people).delete()
    for person in people:
        Participant.objects.update_or_create(
            appraisal=appraisal, person=person,
            defaults={"name": person.name, "category": person.category, "graded": person.category == Category.FULL},
        )


def write_statement(actor, appraisal: Appraisal, participant: Participant, text: str) -> None:
    text = (text or "").strip()
    if len(text) > STATEMENT_LIMIT:
        raise AppraisalError(f"自我评价最多{STATEMENT_LIMIT}字，现在是{len(text)}字，请缩短")
    with transaction.atomic():
        appraisal = locked(appraisal)
        _require(appraisal, Status.PREPARING, Status.VOTING, doing="填写自我评价")
        participant = appraisal.participants.select_for_update().get(pk=participant.pk)
        participant.statement = text
        participant._history_user = actor if getattr(actor, "pk", None) else None
        participant.save(update_fields=["statement"])


def electorate(appraisal: Appraisal):
    """Who grades: the branch's full members with an active login, now (frozen when the 测评 opens)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True, person__branch=appraisal.branch, person__category=Category.FULL).select_related("person")


@transaction.atomic
def open_voting(appraisal: Appraisal) -> Appraisal:
    appraisal = locked(appraisal)
    _require(appraisal, Status.PREPARING, doing="开始民主测评")
    sync_participants(appraisal)
    if not appraisal.participants.filter(graded=True).exists():
        raise AppraisalError(f"{appraisal.branch.name}没有正式党员，无人可评定等次")
    ballots.open_poll(appraisal.poll, electorate(appraisal))
    appraisal.status = Status.VOTING
    appraisal.save(update_fields=["status"])
    return appraisal


@transaction.atomic
def close_voting(appraisal: Appraisal) -> Appraisal:
    appraisal = locked(appraisal)
    _require(appraisal, Status.VOTING, doing="结束民主测评")
    ballots.close_poll(appraisal.poll)
    appraisal.status = Status.EVALUATING
    appraisal.save(update_fields=["status"])
    return appraisal


def graded_participants(appraisal: Appraisal) -> list[Participant]:
    return list(appraisal.participants.filter(graded=True).order_by("name"))


def ballot_items(appraisal: Appraisal, user) -> list[Participant]:
    """Whom this voter grades: every graded participant but themselves."""
    person = getattr(user, "person", None)
    return [p for p in graded_participants(appraisal) if not person or p.person_id != person.pk]


def cast(user, appraisal: Appraisal, choices: Mapping[int, str], *, confirm_over: bool = False) -> None:
    """One ballot: `choices` maps each participant's id to a grade. A ballot with more 优秀 than the share is
    refused with TooManyExcellent unless the voter confirms it (it is still the voter's ballot)."""
    appraisal = Appraisal.objects.select_related("poll").get(pk=appraisal.pk)
    if appraisal.status != Status.VOTING:
        raise AppraisalError("这次民主测评现在不在投票中（尚未开始或已经结束），不能投票")
    if not ballots.is_elector(appraisal.poll, user):
        raise AppraisalError("您不在这次民主测评的投票人名单中（名单在测评开始时按当时的正式党员和账号确定）")
    items = ballot_items(appraisal, user)
    if set(choices) - {p.pk for p in items}:
        raise AppraisalError("选票与本次评议的名单不符，请刷新页面后重新填写")
    missing = [p.name for p in items if choices.get(p.pk) not in GRADES]
    if missing:
        raise AppraisalError(f"请为每位党员选择等次，还没有选择的：{'、'.join(missing)}")
    excellent = sum(1 for p in items if choices[p.pk] == GRADES[0])
    limit = excellent_limit(len(graded_participants(appraisal)), appraisal.excellent_share)
    if excellent > limit and not confirm_over:
        raise TooManyExcellent(
            f"您评了{excellent}名“优秀”，超过了优秀比例（{appraisal.excellent_share}，本支部最多{limit}名）。"
            "可以修改后提交；如确实如此认为，也可以确认后照此提交")

    def write(poll) -> None:
        ballot = AppraisalBallot.objects.create(appraisal=appraisal)
        Mark.objects.bulk_create(Mark(ballot=ballot, participant=p, grade=choices[p.pk]) for p in items)

    try:
        ballots.cast(appraisal.poll, user, write, not_open="这次民主测评现在不在投票中（尚未开始或已经结束），不能投票")
    except ballots.BallotError as refused:
        raise AppraisalError(str(refused)) from None


@transaction.atomic
def enter_paper_ballots(actor, appraisal: Appraisal, count: int, tallies: Mapping[int, Mapping[str, int]]) -> None:
    """The clerk enters the paper ballots: how many were cast and, per member, how many of each grade.
    A member's grades cannot add up to more than the ballots cast; everything is written or nothing."""
    appraisal = locked(appraisal)
    _require(appraisal, Status.VOTING, Status.EVALUATING, doing="录入纸质选票")
    if count is None or count < 0:
        raise AppraisalError("纸质选票张数应为0或正整数")
    participants = {p.pk: p for p in appraisal.participants.select_for_update().filter(graded=True)}
    if set(tallies) - set(participants):
        raise AppraisalError("计票表与本次评议的名单不符，请刷新页面后重新填写")
    problems = []
    for pk, counts in tallies.items():
        if any(n is None or n < 0 for n in counts.values()):
            problems.append(f"{participants[pk].name}的票数应为0或正整数")
        elif sum(counts.values()) > count:
            problems.append(f"{participants[pk].name}的各等次票数合计{sum(counts.values())}张，多于纸质选票{count}张")
    if problems:
        raise AppraisalError(join_clauses(problems) + "。请核对后重新录入，本次没有保存任何票数")
    for pk, counts in tallies.items():
        participant = participants[pk]
        participant.paper_excellent, participant.paper_qualified, participant.paper_basic, participant.paper_unqualified = (
            counts.get(grade, 0) for grade in GRADES)
        participant._history_user = actor if getattr(actor, "pk", None) else None
        participant.save(update_fields=["paper_excellent", "paper_qualified", "paper_basic", "paper_unqualified"])
    appraisal.poll.paper_ballots = count
    appraisal.poll.save(update_fields=["paper_ballots"])


@dataclass
class Tally:
    participant: Participant
    counts: dict[str, int]

    def count_list(self) -> list[int]:
        return [self.counts[g] for g in GRADES]


def tallies(appraisal: Appraisal) -> list[Tally] | None:
    """Each graded member's votes (online and paper), or None while fewer ballots than the minimum were cast."""
    if not ballots.results_visible(appraisal.poll):
        return None
    online: dict[int, Counter] = {}
    for row in Mark.objects.filter(ballot__appraisal=appraisal).values("participant", "grade").annotate(n=Count("pk")).order_by():
        online.setdefault(row["participant"], Counter())[row["grade"]] = row["n"]
    return [Tally(p, {g: online.get(p.pk, Counter())[g] + p.paper_counts()[g] for g in GRADES})
            for p in graded_participants(appraisal)]


@dataclass
class Participation:
    due: int
    took_part: int
    target: int

    @property
    def percent(self) -> float | None:
        return None if not self.due else round(100 * self.took_part / self.due, 1)

    @property
    def meets_target(self) -> bool:
        return self.percent is not None and self.percent >= self.target


def participation(appraisal: Appraisal) -> Participation:
    """参评率: ballots cast (online and paper) over the full members taking part (应参评)."""
    return Participation(appraisal.participants.filter(graded=True).count(), ballots.ballots_cast(appraisal.poll),
                         appraisal.participation_target)


def limit_for(appraisal: Appraisal) -> int:
    return excellent_limit(appraisal.participants.filter(graded=True).count(), appraisal.excellent_share)


def decision_problems(appraisal: Appraisal, decisions: Mapping[int, tuple[str, str, date | None]], on: date | None) -> list[str]:
    """Everything wrong with a 组织评定, in Chinese, for the page and the import alike."""
    problems = []
    participants = list(appraisal.participants.all())
    graded = [p for p in participants if p.graded]
    missing = [p.name for p in graded if decisions.get(p.pk, ("",))[0] not in GRADES]
    if missing:
        problems.append(f"请为每位正式党员评定等次，还没有评定的：{'、'.join(missing)}")
    limit = excellent_limit(len(graded), appraisal.excellent_share)
    excellent = [p.name for p in graded if decisions.get(p.pk, ("",))[0] == GRADES[0]]
    if len(excellent) > limit:
        problems.append(f"评为优秀的有{len(excellent)}名，超过优秀比例{appraisal.excellent_share}"
                        f"（参加评定的{len(graded)}名正式党员中最多{limit}名）")
    for p in graded:
        grade, disposal, follow_up = decisions.get(p.pk, ("", "", None))
        if grade == GRADES[3]:
            if disposal not in DISPOSALS:
                problems.append(f"{p.name}评为不合格，请选择处置（{'、'.join(DISPOSALS)}）")
            if follow_up is None:
                problems.append(f"{p.name}评为不合格，请填写跟踪回访日期")
            elif on and follow_up <= on:
                problems.append(f"{p.name}的跟踪回访日期应晚于组织评定日期{on:%Y-%m-%d}")
        elif disposal:
            problems.append(f"{p.name}评为{grade or '（未评定）'}，不应有处置；处置只用于不合格")
    return problems


@transaction.atomic
def evaluate(actor, appraisal: Appraisal, decisions: Mapping[int, tuple[str, str, date | None]], on: date,
             today: date | None = None) -> Appraisal:
    """The 组织评定: each graded member's grade (不合格 with a 处置 and a follow-up date); 预备党员 不评定.
    Creates the 民主评议党员 record, held on the day of the 组织评定, for the compliance rule."""
    today = today or date.today()
    appraisal = locked(appraisal)
    _require(appraisal, Status.EVALUATING, doing="组织评定")
    if on is None or on > today:
        raise AppraisalError("请填写组织评定的日期（不能晚于今天）")
    if on.year < appraisal.year:
        raise AppraisalError(f"组织评定日期{on:%Y-%m-%d}早于评议的{appraisal.year}年度")
    problems = decision_problems(appraisal, decisions, on)
    if problems:
        raise AppraisalError(join_clauses(problems) + "。没有保存任何评定结果")
    history_user = actor if getattr(actor, "pk", None) else None
    for p in appraisal.participants.select_for_update():
        if p.graded:
            p.grade, p.disposal, p.follow_up_on = decisions[p.pk][0], decisions[p.pk][1] if decisions[p.pk][0] == GRADES[3] else "", decisions[p.pk][2] if decisions[p.pk][0] == GRADES[3] else None
        else:
            p.grade, p.disposal, p.follow_up_on = NOT_GRADED, "", None
        p._history_user = history_user
        p.save(update_fields=["grade", "disposal", "follow_up_on"])
    activity_type = appraisal_activity_type()
    # A record of the meeting the clerk already made on that day is the record; otherwise one is made.
    appraisal.activity = Activity.objects.filter(org=appraisal.branch, type=activity_type, date=on).order_by("pk").first()
    if appraisal.activity is None:
        chair = Person.objects.filter(branch=appraisal.branch, posts__post="书记").first()
        appraisal.activity = Activity.objects.create(
            org=appraisal.branch, type=activity_type, date=on, chair=chair,
            subject=f"{appraisal.year}年度民主评议党员（组织评定）",
            minutes=f"民主测评收回选票{ballots.ballots_cast(appraisal.poll)}张；组织评定结果见民主评议结果台账。",
        )
    appraisal.status, appraisal.evaluated_on = Status.DONE, on
    appraisal.save(update_fields=["status", "evaluated_on", "activity"])
    return appraisal


def grade_counts(appraisal: Appraisal) -> dict[str, int]:
    counts = Counter(appraisal.participants.values_list("grade", flat=True))
    return {g: counts[g] for g in (*GRADES, NOT_GRADED)}
