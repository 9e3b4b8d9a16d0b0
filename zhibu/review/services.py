"""The review's workflow: prepare the list of secretaries, open and close voting, take a ballot, and turn
comments into next year's 问题清单. Each step checks the status it starts from and changes everything it
touches in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.ballots import services as ballots
from zhibu.compliance import facts
from zhibu.lists.models import ListItem, ListKind
from zhibu.orgs.models import Organisation, Person, Post
from zhibu.review.models import Ballot, Grade, Level, Reportee, ReviewSession, Status
from zhibu.review.voters import eligible_voters

PROBLEM_SOURCE = "上年度述职评议"
COMMENT_LIMIT = 500


class ReviewError(ValueError):
    """A step refused; the message says why and what to do."""


def sync_reportees(session: ReviewSession) -> None:
    """One reportee per branch under the committee, with its current 书记; only while preparing."""
    if not session.is_preparing:
        raise ReviewError("投票开始后，被评议的支部书记名单不能再变")
    branches = list(Organisation.objects.subtree_of(session.committee).branches())
    secretaries = {p.branch_id: p for p in Person.objects.filter(branch__in=branches, posts__post=Post.SECRETARY)}
    session.reportees.exclude(branch__in=branches).delete()
    for branch in branches:
        secretary = secretaries.get(branch.pk)
        Reportee.objects.update_or_create(
            session=session, branch=branch,
            defaults={"secretary": secretary, "secretary_name": secretary.name if secretary else ""},
        )


@transaction.atomic
def open_voting(session: ReviewSession, today: date | None = None) -> None:
    session = ReviewSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_preparing:
        raise ReviewError(f"只有“准备”中的评议可以开始投票，这次评议现在是“{session.status}”")
    sync_reportees(session)
    if session.poll is None:
        session.poll = ballots.new_poll(session.title)
    # The electorate is frozen now: logins and people added during the vote do not vote in it.
    ballots.open_poll(session.poll, eligible_voters(session.committee).select_related("person"))
    session.status, session.opened_on = Status.VOTING, today or date.today()
    session.save(update_fields=["status", "opened_on", "poll"])


@transaction.atomic
def close_voting(actor, session: ReviewSession, today: date | None = None) -> None:
    """End voting and fix each branch's standardisation score for the year, so the result stays as announced."""
    session = ReviewSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_voting:
        raise ReviewError(f"只有“投票中”的评议可以结束投票，这次评议现在是“{session.status}”")
    today = today or date.today()
    percents = {score.org_id: score.percent for score in facts.check(actor, session.committee, session.year, today=today).scores()}
    for reportee in session.reportees.all():
        reportee.compliance_percent = percents.get(reportee.branch_id)
        reportee.save(update_fields=["compliance_percent"])
    ballots.close_poll(session.poll)
    session.status, session.closed_on = Status.ENDED, today
    session.save(update_fields=["status", "closed_on"])


def cast_ballot(user, session: ReviewSession, choices: Mapping[int, tuple[str, str]]) -> None:
    """Record one ballot: `choices` maps every reportee's id to (grade, comment). Refused as a whole when
    the session is not open, the login is not in the electorate frozen at the opening, already voted, or
    any secretary is missing a valid grade."""
    session = ReviewSession.objects.get(pk=session.pk)
    if not session.is_voting or session.poll is None:
        raise ReviewError("这次评议现在不在投票中（尚未开始或已经结束），不能投票")
    reportees = list(session.reportees.select_related("branch"))
    if not ballots.is_elector(session.poll, user):
        raise ReviewError("您不在这次评议的投票人范围内（投票人名单在开始投票时确定）")
    missing = [r.branch.name for r in reportees if choices.get(r.pk, ("", ""))[0] not in Level.values]
    if missing:
        raise ReviewError(f"请为每位书记选择等次，还没有选择的：{'、'.join(missing)}")
    if set(choices) - {r.pk for r in reportees}:
        raise ReviewError("选票与本次评议的名单不符，请刷新页面后重新填写")
    too_long = [r.branch.name for r in reportees if len(choices[r.pk][1].strip()) > COMMENT_LIMIT]
    if too_long:
        raise ReviewError(f"意见建议每条最多{COMMENT_LIMIT}字，请缩短：{'、'.join(too_long)}")

    def write(poll) -> None:
        ballot = Ballot.objects.create(session=session)
        Grade.objects.bulk_create(
            Grade(ballot=ballot, reportee=r, grade=choices[r.pk][0], comment=choices[r.pk][1].strip()) for r in reportees
        )

    try:
        ballots.cast(session.poll, user, write, not_open="这次评议现在不在投票中（尚未开始或已经结束），不能投票")
    except ballots.BallotError as refused:
        raise ReviewError(str(refused)) from None


@transaction.atomic
def comments_to_problems(session: ReviewSession, grade_ids: Iterable[str]) -> list[ListItem]:
    """Turn the chosen comments into next year's 问题清单 items of each branch, owned by its secretary."""
    if not session.is_ended:
        raise ReviewError("投票结束后才能把意见转为问题清单")
    wanted = {str(value) for value in grade_ids}
    if not wanted:
        raise ReviewError("请先勾选要转为问题清单的意见")
    try:
        grades = list(
            Grade.objects.with_comment().select_for_update(of=("self",))
            .filter(ballot__session=session, pk__in=wanted, list_item__isnull=True)
            .select_related("reportee__branch", "reportee__secretary")
        )
    except ValidationError:  # a value that is not a UUID
        grades = []
    if len(grades) != len(wanted):
        raise ReviewError("所选意见中有的已经转为问题清单，或不属于本次评议；请刷新页面后重新勾选")
    items = []
    for grade in grades:
        reportee = grade.reportee
        item = ListItem(
            org=reportee.branch, kind=ListKind.PROBLEM, year=session.year + 1, source=PROBLEM_SOURCE,
            content=grade.comment, owner=reportee.secretary,
            owner_text="" if reportee.secretary else reportee.secretary_name,
        )
        item.full_clean()
        item.save()
        grade.list_item = item
        grade.save(update_fields=["list_item"])
        items.append(item)
    return items
