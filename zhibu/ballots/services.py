"""Opening, voting in and closing a poll; the electorate's changes; when results may be shown.

Every vote of the product goes through `cast`: the poll's row is locked, the poll must be open, the login
must be an elector frozen at the opening, the receipt is written first (its unique constraint is the last
guard against a second ballot sent at the same moment) and the vote's own ballot rows are written by the
callback in the same transaction, so a refused vote leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhibu.ballots.models import Elector, Poll, Receipt

ALREADY_VOTED = "您已经投过票了：每人只能投一次，提交后不能修改"


class BallotError(ValueError):
    """A vote or a change refused; the message says why and what to do."""


def new_poll(label: str, min_ballots: int | None = None) -> Poll:
    poll = Poll(label=label[:200])
    if min_ballots is not None:
        poll.min_ballots = min_ballots
    poll.save()
    return poll


def _elector_name(user, person) -> str:
    return (person.name if person else "") or user.get_full_name() or user.username


def open_poll(poll: Poll, electorate: Iterable, now: datetime | None = None) -> Poll:
    """Freeze the electorate: `electorate` yields logins (each with its `person`, if any) eligible now.
    Call inside the transaction that changes the vote's own status."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.opened_at is not None:
        raise BallotError("投票已经开始过，投票人名单已在开始时确定")
    poll.opened_at = now or timezone.now()
    poll.save(update_fields=["opened_at"])
    users = {user.pk: user for user in electorate if user.is_active}
    Elector.objects.bulk_create(
        Elector(poll=poll, user=user, person=getattr(user, "person", None) if _has_person(user) else None,
                name=_elector_name(user, getattr(user, "person", None) if _has_person(user) else None))
        for user in users.values()
    )
    return poll


def _has_person(user) -> bool:
    try:
        return user.person is not None
    except Exception:  # RelatedObjectDoesNotExist: a login without a person (an administrator)
        return False


def close_poll(poll: Poll, now: datetime | None = None) -> Poll:
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.is_open:
        raise BallotError("只有正在投票的可以结束投票")
    poll.closed_at = now or timezone.now()
    poll.save(update_fields=["closed_at"])
    return poll


def is_elector(poll: Poll | None, user) -> bool:
    if poll is None or not getattr(user, "is_authenticated", False):
        return False
    return Elector.objects.filter(poll=poll, user=user, active=True).exists()


def has_voted(poll: Poll | None, user) -> bool:
    return poll is not None and getattr(user, "is_authenticated", False) and Receipt.objects.filter(poll=poll, user=user).exists()


def cast(poll: Poll, user, write: Callable[[Poll], None], *, not_open: str = "现在不在投票中（尚未开始或已经结束），不能投票") -> None:
    """Record one vote: checks, the receipt, then `write(poll)` for the ballot rows, all or nothing."""
    try:
        with transaction.atomic():
            poll = Poll.objects.select_for_update().get(pk=poll.pk)
            if not poll.is_open:
                raise BallotError(not_open)
            if not getattr(user, "is_active", False) or not Elector.objects.filter(poll=poll, user=user, active=True).exists():
                raise BallotError("您不在这次投票的投票人名单中（名单在投票开始时按当时的党员和账号确定）")
            if Receipt.objects.filter(poll=poll, user=user).exists():
                raise BallotError(ALREADY_VOTED)
            Receipt.objects.create(poll=poll, user=user)
            write(poll)
    except IntegrityError:
        raise BallotError(ALREADY_VOTED) from None


@transaction.atomic
def change_elector(actor, poll: Poll, user, *, active: bool, reason: str) -> Elector:
    """Strike an elector off (active=False) or put one back, with the reason; the history keeps who did it.
    Only logins that were electors at the opening can be put back: no login or person added later."""
    reason = (reason or "").strip()
    if not reason:
        raise BallotError("请写明变更投票人名单的原因")
    if len(reason) > 200:
        raise BallotError("变更原因最多200字，请缩短")
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.is_open:
        raise BallotError("只有投票进行中可以变更投票人名单")
    elector = Elector.objects.filter(poll=poll, user=user).first()
    if elector is None:
        raise BallotError("此人不在投票开始时确定的投票人名单中，不能加入（投票开始后新增的人员和账号不能投票）")
    if not active and Receipt.objects.filter(poll=poll, user=user).exists():
        raise BallotError("此人已经投票，不能再从名单中删除")
    elector.active, elector.reason = active, reason
    elector._history_user = actor if getattr(actor, "pk", None) else None
    elector.save(update_fields=["active", "reason"])
    return elector


def electorate_size(poll: Poll | None) -> int:
    return 0 if poll is None else Elector.objects.filter(poll=poll, active=True).count()


def online_ballots(poll: Poll | None) -> int:
    return 0 if poll is None else Receipt.objects.filter(poll=poll).count()


def ballots_cast(poll: Poll | None) -> int:
    """Online ballots (receipts) plus the paper ballots entered as tallies."""
    if poll is None:
        return 0
    paper = Poll.objects.filter(pk=poll.pk).values_list("paper_ballots", flat=True).first() or 0  # as stored now
    return online_ballots(poll) + paper


def results_visible(poll: Poll | None) -> bool:
    return poll is not None and ballots_cast(poll) >= poll.min_ballots


def turnout_text(poll: Poll | None) -> str:
    """The live counter: nothing finer than 'fewer than the minimum' until the minimum is reached."""
    if poll is None or poll.opened_at is None:
        return "尚未开始投票"
    cast_now = ballots_cast(poll)
    if cast_now < poll.min_ballots:
        return f"已投不足{poll.min_ballots}人"
    return f"已投{cast_now}人"


def hidden_results_message(poll: Poll) -> str:
    return (f"共收到{ballots_cast(poll)}张选票，少于公布结果所需的{poll.min_ballots}张：为保护投票秘密，"
            "不显示票数和意见")


def electorate_history(poll: Poll):
    """Changes made to the electorate after the opening: who, when, what and why."""
    return (Elector.history.filter(poll_id=poll.pk, history_type="~")
            .select_related("history_user").order_by("-history_date"))
