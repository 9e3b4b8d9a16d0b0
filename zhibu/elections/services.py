"""The steps of a 换届选举: candidates and the request, the committee above's approval, the 党员大会's rounds of
secret voting (through zhibu.ballots), the count, the committee's choice of 书记/副书记, and the approval of
the result, which updates the posts on people and the branch's 换届日期. Each step checks the stage it
starts from and writes everything in one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from zhibu.ballots import services as ballots
from zhibu.ballots.models import Elector
from zhibu.elections.models import Candidate, Election, ElectionBallot, ElectionMark, Round, RoundCandidate, Status
from zhibu.elections.rules import has_quorum, minimum_candidates, needed_to_win
from zhibu.lib.steps import locked, require_stage
from zhibu.orgs.models import COMMITTEE_POSTS, Category, Organisation, OrgKind, Person, PersonPost, Post


class ElectionError(ValueError):
    """A step refused; the message says why and what to do."""


def _require(election: Election, *statuses: str, doing: str) -> None:
    require_stage(election, *statuses, doing=doing, refused=ElectionError, noun="选举")


def voters_now(branch: Organisation):
    """Who has the vote: the branch's full members (预备党员 do not vote; 第五条)."""
    return Person.objects.filter(branch=branch, category=Category.FULL)


def stand_problem(election: Election, person: Person) -> str | None:
    """Why a person may not stand, or None."""
    if person.branch_id != election.branch_id:
        return f"{person.name}不是{election.branch.name}的党员，不能作为本支部的候选人"
    if person.category != Category.FULL:
        return f"{person.name}是{person.category}，没有被选举权（只有正式党员可以作为候选人）"
    return None


@transaction.atomic
def create(actor, branch: Organisation, seats: int, *, margin_percent: int = 20, quorum=(4, 5)) -> Election:
    if branch.kind != OrgKind.BRANCH:
        raise ElectionError(f"换届选举在党支部进行，“{branch.name}”是{branch.kind}")
    if not 1 <= (seats or 0) <= 9:
        raise ElectionError("应选名额应在1至9之间（不设委员会的支部填1，直接选举书记）")
    if not quorum[1] or not 0 < quorum[0] <= quorum[1]:
        raise ElectionError("到会比例应是0到1之间的分数，例如 4/5")
    if Election.objects.filter(branch=branch).exclude(status=Status.DONE).exists():
        raise ElectionError(f"{branch.name}已有一次尚未完成的换届选举，请打开那一次")
    return Election.objects.create(branch=branch, seats=seats, margin_percent=margin_percent,
                                   quorum_numerator=quorum[0], quorum_denominator=quorum[1],
                                   created_by=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def add_candidate(election: Election, person: Person) -> Candidate:
    election = locked(election)
    _require(election, Status.PREPARING, doing="确定候选人预备人选")
    problem = stand_problem(election, person)
    if problem:
        raise ElectionError(problem)
    if election.candidates.filter(person=person).exists():
        raise ElectionError(f"{person.name}已在候选人预备人选中")
    return Candidate.objects.create(election=election, person=person, name=person.name)


@transaction.atomic
def remove_candidate(election: Election, candidate: Candidate) -> None:
    election = locked(election)
    _require(election, Status.PREPARING, doing="调整候选人预备人选")
    election.candidates.filter(pk=candidate.pk).delete()


def margin_problem(election: Election) -> str | None:
    needed = minimum_candidates(election.seats, election.margin_percent)
    have = election.candidates.count()
    if have < needed:
        return (f"差额选举：应选{election.seats}名，候选人至少{needed}名（差额不少于{election.margin_percent}%），"
                f"现在只有{have}名")
    return None


@transaction.atomic
def record_request(election: Election, on: date, today: date | None = None) -> None:
    election = locked(election)
    _require(election, Status.PREPARING, doing="记录请示日期")
    if on is None or on > (today or date.today()):
        raise ElectionError("请填写报送请示的日期（不能晚于今天）")
    election.requested_on = on
    election.save(update_fields=["requested_on"])


@transaction.atomic
def approve_candidates(election: Election, on: date, ref: str = "", today: date | None = None) -> None:
    election = locked(election)
    _require(election, Status.PREPARING, doing="记录上级对候选人的批复")
    problem = margin_problem(election)
    if problem:
        raise ElectionError(problem)
    if on is None or on > (today or date.today()):
        raise ElectionError("请填写上级批复的日期（不能晚于今天）")
    if election.requested_on and on < election.requested_on:
        raise ElectionError(f"批复日期不能早于请示日期{election.requested_on:%Y-%m-%d}")
    for candidate in election.candidates.select_related("person"):
        problem = stand_problem(election, candidate.person)
        if problem:
            raise ElectionError(problem + "，请先把他从候选人中去掉")
    election.status, election.candidates_approved_on, election.candidates_approval_ref = Status.APPROVED, on, ref.strip()[:60]
    election.save(update_fields=["status", "candidates_approved_on", "candidates_approval_ref"])


def _new_round(election: Election, number: int, seats: int, candidates: Iterable[Candidate], electorate) -> Round:
    poll = ballots.new_poll(f"{election}第{number}轮")
    ballots.open_poll(poll, electorate)
    round_ = Round.objects.create(election=election, number=number, seats=seats, poll=poll)
    RoundCandidate.objects.bulk_create(RoundCandidate(round=round_, candidate=c) for c in candidates)
    return round_


@transaction.atomic
def open_meeting(election: Election, meeting_on: date, attended: int, today: date | None = None) -> Round:
    """The 党员大会 begins: 应到 is fixed from the full members now, the quorum checked against 实到, and the
    first round opens with the electorate (full members with a login) frozen."""
    election = locked(election)
    _require(election, Status.APPROVED, doing="开始党员大会投票")
    if meeting_on is None or meeting_on > (today or date.today()):
        raise ElectionError("请填写党员大会的日期（不能晚于今天）")
    expected = voters_now(election.branch).count()
    if attended is None or attended < 0:
        raise ElectionError("请填写实到会的有选举权党员人数")
    if attended > expected:
        raise ElectionError(f"实到{attended}人多于应到（有选举权的正式党员）{expected}人，请核对")
    if not has_quorum(attended, expected, election.quorum):
        raise ElectionError(f"应到{expected}人，实到{attended}人，不足应到的{election.quorum}，不能进行选举")
    election.status, election.meeting_on, election.expected, election.attended = Status.VOTING, meeting_on, expected, attended
    election.save(update_fields=["status", "meeting_on", "expected", "attended"])
    from django.contrib.auth import get_user_model

    electorate = get_user_model().objects.filter(is_active=True, person__in=voters_now(election.branch)).select_related("person")
    return _new_round(election, 1, election.seats, election.candidates.all(), electorate)


def cast(user, election: Election, chosen: Iterable[int]) -> None:
    """One ballot in the current round: approve up to the round's seats of its candidates."""
    election = Election.objects.get(pk=election.pk)
    round_ = election.current_round()
    if election.status != Status.VOTING or round_ is None:
        raise ElectionError("这次选举现在不在投票中，不能投票")
    if not ballots.is_elector(round_.poll, user):
        raise ElectionError("您不在这一轮选举的投票人名单中（名单在投票开始时按当时的正式党员和账号确定）")
    entries = {e.pk: e for e in round_.entries.all()}
    chosen = list(dict.fromkeys(int(c) for c in chosen))
    if set(chosen) - set(entries):
        raise ElectionError("选票与本轮的候选人名单不符，请刷新页面后重新填写")
    if len(chosen) > round_.seats:
        raise ElectionError(f"本轮应选{round_.seats}名，您选了{len(chosen)}名：多选的选票无效，请减少到{round_.seats}名以内")

    def write(poll) -> None:
        ballot = ElectionBallot.objects.create(round=round_)
        ElectionMark.objects.bulk_create(ElectionMark(ballot=ballot, entry=entries[pk]) for pk in chosen)

    try:
        ballots.cast(round_.poll, user, write, not_open="这一轮投票已经结束，不能再投票")
    except ballots.BallotError as refused:
        raise ElectionError(str(refused)) from None


@transaction.atomic
def enter_paper_ballots(election: Election, count: int, votes: Mapping[int, int]) -> None:
    """Paper ballots of the current round: how many were cast and each candidate's votes. Refused whole
    when a candidate has more votes than ballots, or all ballots together exceed those present (实到)."""
    election = locked(election)
    _require(election, Status.VOTING, doing="录入纸质选票")
    round_ = election.current_round()
    entries = {e.pk: e for e in round_.entries.select_for_update()}
    if count is None or count < 0 or any(v is None or v < 0 for v in votes.values()):
        raise ElectionError("票数应为0或正整数")
    if set(votes) - set(entries):
        raise ElectionError("计票表与本轮的候选人名单不符，请刷新页面后重新填写")
    online = ballots.online_ballots(round_.poll)
    if online + count > election.attended:
        raise ElectionError(f"网上选票{online}张加纸质选票{count}张，多于实到会的{election.attended}人，请核对")
    over = [f"{entries[pk].candidate.name}{n}票" for pk, n in votes.items() if n > count]
    if over:
        raise ElectionError(f"得票多于纸质选票{count}张：{'、'.join(over)}。请核对后重新录入，本次没有保存任何票数")
    if sum(votes.values()) > count * round_.seats:
        raise ElectionError(f"赞成票合计{sum(votes.values())}张，多于纸质选票{count}张×应选{round_.seats}名，请核对")
    for pk, entry in entries.items():
        entry.paper_votes = votes.get(pk, 0)
        entry.save(update_fields=["paper_votes"])
    round_.poll.paper_ballots = count
    round_.poll.save(update_fields=["paper_ballots"])


@dataclass
class RoundOutcome:
    votes: dict[int, int]  # candidate id → votes
    elected: list[int]
    tied: list[int]  # go to another round
    seats_left: int


def count_round(round_: Round, expected: int) -> RoundOutcome:
    online = Counter(dict(ElectionMark.objects.filter(ballot__round=round_).values_list("entry__candidate")
                          .annotate(n=Count("pk")).order_by()))
    votes = {e.candidate_id: online.get(e.candidate_id, 0) + e.paper_votes for e in round_.entries.all()}
    threshold = needed_to_win(expected)
    passed = sorted((c for c, v in votes.items() if v >= threshold), key=lambda c: -votes[c])
    if len(passed) <= round_.seats:
        return RoundOutcome(votes, passed, [], round_.seats - len(passed))
    cutoff = votes[passed[round_.seats - 1]]
    sure = [c for c in passed if votes[c] > cutoff]
    tied = [c for c in passed if votes[c] == cutoff]
    if len(sure) + len(tied) == round_.seats:
        return RoundOutcome(votes, sure + tied, [], 0)
    return RoundOutcome(votes, sure, tied, round_.seats - len(sure))


@transaction.atomic
def close_round(election: Election) -> RoundOutcome:
    """Count the round: elected = more than half of 应到 in votes, highest first up to the seats. Seats left
    over go to another round, among the tied candidates (a tie at the last seat) or among those not elected."""
    election = locked(election)
    _require(election, Status.VOTING, doing="结束投票")
    round_ = election.current_round()
    ballots.close_poll(round_.poll)
    outcome = count_round(round_, election.expected)
    for entry in round_.entries.all():
        entry.votes = outcome.votes[entry.candidate_id]
        entry.save(update_fields=["votes"])
    Candidate.objects.filter(pk__in=outcome.elected).update(elected_in=round_.number)
    if outcome.seats_left == 0:
        election.status = Status.COUNTED
        if election.seats == 1:
            election.secretary = Candidate.objects.get(pk=outcome.elected[0])
        election.save(update_fields=["status", "secretary"])
        return outcome
    runners = outcome.tied or list(election.candidates.filter(elected_in__isnull=True).values_list("pk", flat=True))
    if len(runners) < outcome.seats_left:
        raise ElectionError(f"还差{outcome.seats_left}名，但只剩{len(runners)}名未当选的候选人，请报上级党组织研究另行选举")
    electorate = [e.user for e in Elector.objects.filter(poll=round_.poll, active=True).select_related("user__person")]
    _new_round(election, round_.number + 1, outcome.seats_left, Candidate.objects.filter(pk__in=runners), electorate)
    return outcome


@transaction.atomic
def choose_officers(election: Election, secretary: int, deputy: int | None, posts: Mapping[int, str]) -> None:
    """The new committee's first meeting: its 书记 (and 副书记) and each member's 分工, from those elected."""
    election = locked(election)
    _require(election, Status.COUNTED, doing="记录委员会选举的书记、副书记")
    elected = {c.pk: c for c in election.candidates.filter(elected_in__isnull=False)}
    if secretary not in elected or (deputy and deputy not in elected):
        raise ElectionError("书记、副书记应从当选的委员中选出")
    if deputy == secretary:
        raise ElectionError("书记和副书记不能是同一人")
    allowed = {Post.ORGANISATION.value, Post.PUBLICITY.value, Post.DISCIPLINE.value, ""}
    for pk, candidate in elected.items():
        post = Post.SECRETARY if pk == secretary else Post.DEPUTY_SECRETARY if pk == deputy else posts.get(pk, "")
        if post not in allowed | {Post.SECRETARY, Post.DEPUTY_SECRETARY}:
            raise ElectionError(f"{candidate.name}的分工“{post}”不是委员的分工（组织委员、宣传委员、纪检委员）")
        candidate.post = post
        candidate.save(update_fields=["post"])
    election.secretary_id, election.deputy_id = secretary, deputy
    election.save(update_fields=["secretary", "deputy"])


@transaction.atomic
def approve_result(actor, election: Election, on: date, ref: str = "", today: date | None = None) -> None:
    """The committee above approves the result: the branch's committee posts become the elected ones, its
    换届日期 is the meeting's day, so the term restarts. Kept in the people's and the branch's history."""
    election = locked(election)
    _require(election, Status.COUNTED, doing="记录上级对选举结果的批复")
    if election.secretary_id is None:
        raise ElectionError("请先记录委员会选举产生的书记")
    if on is None or on > (today or date.today()) or on < election.meeting_on:
        raise ElectionError("请填写上级批复选举结果的日期（不早于党员大会、不晚于今天）")
    branch = election.branch
    PersonPost.objects.filter(person__branch=branch, post__in=COMMITTEE_POSTS).delete()
    for candidate in election.candidates.filter(elected_in__isnull=False).select_related("person"):
        if election.seats == 1 and candidate.pk == election.secretary_id:
            candidate.post = Post.SECRETARY
            candidate.save(update_fields=["post"])
        if candidate.post:
            PersonPost.objects.create(person=candidate.person, post=candidate.post)
    branch.elected_on = election.meeting_on
    branch._history_user = actor if getattr(actor, "pk", None) else None
    branch.save(update_fields=["elected_on"])
    election.status, election.result_approved_on, election.result_approval_ref = Status.DONE, on, ref.strip()[:60]
    election.save(update_fields=["status", "result_approved_on", "result_approval_ref"])


def round_votes(round_: Round) -> dict[int, int] | None:
    """Votes per candidate of a round: the stored count once closed, else None (never partial counts)."""
    if not round_.poll.is_closed or not ballots.results_visible(round_.poll):
        return None
    return {e.candidate_id: e.votes for e in round_.entries.all()}
