"""Pages of 换届选举. Managers reach elections only through access.scope_to_orgs(…, "branch", manage=True);
voters only through the current round's electorate. Anything else answers 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.ballots import services as ballots
from zhibu.ballots.models import Elector
from zhibu.elections import services
from zhibu.elections.documents import report_docx, request_docx
from zhibu.elections.models import Election, Status
from zhibu.elections.rules import RULES, minimum_candidates, needed_to_win
from zhibu.lib.cells import CellError, parse_date, parse_int
from zhibu.lib.downloads import DOCX_MIME, file_download
from zhibu.lib.steps import run_step
from zhibu.orgs import access
from zhibu.orgs.models import Post



def _managed(request: HttpRequest):
    return access.scope_to_orgs(request.user, Election.objects.select_related("branch"), "branch", manage=True)


def _int(value, label: str, *, optional: bool = False) -> int | None:
    try:
        number = parse_int(value)
    except CellError:
        number = -1
    if number is None and optional:
        return None
    if number is None or number < 0:
        raise services.ElectionError(f"“{label}”应填0或正整数，现在是“{value or ''}”")
    return number


def _date(value, label: str) -> date:
    try:
        day = parse_date(value)
    except CellError:
        day = None
    if day is None:
        raise services.ElectionError(f"请填写“{label}”，格式如 2026-11-30")
    return day


def election_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        return redirect("election_mine")
    branches = access.managed_orgs(request.user).filter(kind="党支部").order_by("path")
    if request.method == "POST":
        try:
            branch = access.get_or_404(branches, pk=_int(request.POST.get("branch"), "党支部"))
            election = services.create(
                request.user, branch, _int(request.POST.get("seats"), "应选名额"),
                margin_percent=_int(request.POST.get("margin_percent"), "差额比例"),
                quorum=(_int(request.POST.get("quorum_numerator"), "到会比例"), _int(request.POST.get("quorum_denominator"), "到会比例")),
            )
        except services.ElectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已建立换届选举：请确定候选人预备人选，下载请示报上级党组织")
            return redirect("election_detail", pk=election.pk)
    return render(request, "elections/list.html", {"elections": _managed(request), "branches": branches, "rules": RULES})


def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = access.get_or_404(_managed(request), pk=pk)
    rounds = []
    for round_ in election.rounds.select_related("poll"):
        votes = services.round_votes(round_)
        entries = list(round_.entries.select_related("candidate"))
        for entry in entries:
            entry.shown_votes = votes.get(entry.candidate_id) if votes else None
        rounds.append({"round": round_, "entries": entries, "turnout": ballots.turnout_text(round_.poll),
                       "electorate": ballots.electorate_size(round_.poll), "closed": round_.poll.is_closed,
                       "hidden": round_.poll.is_closed and votes is None,
                       "changes": ballots.electorate_history(round_.poll)})
    taken = set(election.candidates.values_list("person_id", flat=True))
    return render(request, "elections/detail.html", {
        "election": election, "candidates": election.candidates.select_related("person"),
        "eligible": services.voters_now(election.branch).exclude(pk__in=taken).order_by("name"),
        "needed": minimum_candidates(election.seats, election.margin_percent),
        "margin_problem": services.margin_problem(election), "rounds": rounds,
        "to_win": needed_to_win(election.expected) if election.expected else None,
        "elected": election.candidates.filter(elected_in__isnull=False),
        "posts": [Post.ORGANISATION, Post.PUBLICITY, Post.DISCIPLINE], "rules": RULES,
        "voters_now": services.voters_now(election.branch).count(),
    })


def _step(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    return run_step(request, access.get_or_404(_managed(request), pk=pk), action, done,
                    refused=(services.ElectionError, ballots.BallotError), page="election_detail")


@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(election):
        person = access.get_or_404(access.managed_people(request.user), pk=_int(request.POST.get("person"), "候选人"))
        services.add_candidate(election, person)

    return _step(request, pk, add, "已加入候选人预备人选")


@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    def remove(election):
        services.remove_candidate(election, access.get_or_404(election.candidates.all(), pk=candidate))

    return _step(request, pk, remove, "已从候选人预备人选中去掉")


@require_POST
def request_sent(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda e: services.record_request(e, _date(request.POST.get("on"), "请示日期")), "已记录请示日期")


@require_POST
def candidates_approved(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda e: services.approve_candidates(e, _date(request.POST.get("on"), "批复日期"), request.POST.get("ref", "")),
                 "已记录上级批复，可以召开党员大会")


@require_POST
def meeting_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda e: services.open_meeting(e, _date(request.POST.get("meeting_on"), "党员大会日期"),
                                                                _int(request.POST.get("attended"), "实到人数")),
                 "已开始投票：投票人名单已确定，党员可在手机上投票；纸质选票在下方录入")


@require_POST
def paper_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    def enter(election):
        round_ = election.current_round()
        votes = {e.pk: _int(request.POST.get(f"votes_{e.pk}") or "0", f"{e.candidate.name}的得票") for e in round_.entries.select_related("candidate")}
        services.enter_paper_ballots(election, _int(request.POST.get("count"), "纸质选票张数"), votes)

    return _step(request, pk, enter, "已保存纸质选票的计票结果")


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    def close(election):
        outcome = services.close_round(election)
        if outcome.seats_left:
            messages.info(request, f"还有{outcome.seats_left}个名额未选出" + ("（得票相等）" if outcome.tied else "") + "，已开始下一轮投票")

    return _step(request, pk, close, "已结束本轮投票并计票")


@require_POST
def officers(request: HttpRequest, pk: int) -> HttpResponse:
    def choose(election):
        posts = {c.pk: request.POST.get(f"post_{c.pk}", "") for c in election.candidates.filter(elected_in__isnull=False)}
        services.choose_officers(election, _int(request.POST.get("secretary"), "书记"),
                                 _int(request.POST.get("deputy"), "副书记", optional=True), posts)

    return _step(request, pk, choose, "已记录委员会选举的书记、副书记和分工")


@require_POST
def result_approved(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda e: services.approve_result(request.user, e, _date(request.POST.get("on"), "批复日期"), request.POST.get("ref", "")),
                 "已记录上级批复：支部委员会成员和换届日期已更新，新一届任期开始")


def request_download(request: HttpRequest, pk: int) -> HttpResponse:
    election = access.get_or_404(_managed(request), pk=pk)
    return file_download(request_docx(election), DOCX_MIME, f"{election.branch.name}换届选举请示.docx")


def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    election = access.get_or_404(_managed(request), pk=pk)
    if election.status not in (Status.COUNTED, Status.DONE):
        messages.error(request, "投票结束、计票后才有选举结果报告")
        return redirect("election_detail", pk=pk)
    return file_download(report_docx(election), DOCX_MIME, f"{election.branch.name}换届选举结果报告.docx")


# --- voters ---

def votable(user):
    """Elections whose current round is open and has this login in its frozen electorate."""
    polls = Elector.objects.filter(user=user, active=True, poll__closed_at__isnull=True, poll__opened_at__isnull=False).values("poll")
    return Election.objects.filter(status=Status.VOTING, rounds__poll__in=polls).select_related("branch").distinct()


def election_mine(request: HttpRequest) -> HttpResponse:
    elections = list(votable(request.user))
    for election in elections:
        election.has_voted = ballots.has_voted(election.current_round().poll, request.user)
    return render(request, "elections/mine.html", {"elections": elections})


def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    election = access.get_or_404(votable(request.user), pk=pk)
    round_ = election.current_round()
    entries = list(round_.entries.select_related("candidate"))
    error = ""
    if request.method == "POST":
        chosen = [e.pk for e in entries if request.POST.get(f"entry_{e.pk}") == "1"]
        try:
            services.cast(request.user, election, chosen)
        except services.ElectionError as refused:
            error = str(refused)
            for e in entries:
                e.chosen = e.pk in chosen
        else:
            messages.success(request, f"已提交您在“{election}”第{round_.number}轮的选票。投票不记名，提交后不能修改")
            return redirect("election_mine")
    return render(request, "elections/ballot.html", {
        "election": election, "round": round_, "entries": entries, "error": error,
        "has_voted": ballots.has_voted(round_.poll, request.user),
    }, status=400 if error else 200)
