"""Pages of 民主评议党员. Managers reach appraisals only through access.scope_to_orgs(…, "branch", manage=True);
members only through the electorate or their own participation. Anything else answers 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.appraisal import services
from zhibu.appraisal.models import Appraisal, Participant, Status
from zhibu.appraisal.rules import DISPOSALS, GRADES, RULES
from zhibu.ballots import services as ballots
from zhibu.ballots.models import Elector
from zhibu.lib.cells import CellError, parse_date, parse_int
from zhibu.lib.steps import run_step
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def _managed(request: HttpRequest):
    return access.scope_to_orgs(request.user, Appraisal.objects.select_related("branch", "poll"), "branch", manage=True)


def _int(value, label: str) -> int:
    try:
        number = parse_int(value)
    except CellError:
        number = None
    if number is None or number < 0:
        raise services.AppraisalError(f"“{label}”应填0或正整数，现在是“{value or ''}”")
    return number


def _date(value, label: str) -> date | None:
    try:
        return parse_date(value)
    except CellError:
        raise services.AppraisalError(f"“{label}”不是有效的日期，请按 2026-11-30 的格式填写") from None


def appraisal_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        return redirect("appraisal_mine")
    branches = access.managed_orgs(request.user).filter(kind=OrgKind.BRANCH).order_by("path")
    if request.method == "POST":
        branch = access.get_or_404(branches, pk=parse_int_or_none(request.POST.get("branch")))
        try:
            year = _int(request.POST.get("year"), "年度")
            numerator, denominator = (_int(request.POST.get(f"excellent_{part}"), "优秀比例") for part in ("numerator", "denominator"))
            target = _int(request.POST.get("participation_target"), "参评率目标")
            minimum = _int(request.POST.get("min_ballots"), "公布结果所需最少票数")
            if not 1 <= minimum <= 1000:
                raise services.AppraisalError("公布结果所需最少票数应在1至1000之间")
            if target > 100:
                raise services.AppraisalError("参评率目标应在0至100之间")
            appraisal = services.create(request.user, branch, year, excellent=(numerator, denominator),
                                        participation_target=target, min_ballots=minimum)
        except services.AppraisalError as error:
            messages.error(request, str(error))
        except IntegrityError:
            messages.error(request, f"{branch.name}这一年度已有民主评议，请在列表中打开已有的那一次")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "已建立民主评议；参加评议的党员按支部名册列出，开始民主测评前可再核对")
            return redirect("appraisal_detail", pk=appraisal.pk)
    from django.conf import settings

    return render(request, "appraisal/list.html", {
        "appraisals": _managed(request), "branches": branches, "year": date.today().year,
        "min_ballots": settings.ZHIBU_BALLOT_MINIMUM, "rules": RULES,
    })


def parse_int_or_none(value):
    try:
        return parse_int(value)
    except CellError:
        return None


def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = access.get_or_404(_managed(request), pk=pk)
    tallies = services.tallies(appraisal) if appraisal.status in (Status.EVALUATING, Status.DONE) else None
    by_participant = {t.participant.pk: t for t in tallies or []}
    participants = list(appraisal.participants.select_related("person"))
    for participant in participants:
        participant.tally = by_participant.get(participant.pk)
    return render(request, "appraisal/detail.html", {
        "appraisal": appraisal, "participants": participants, "grades": GRADES, "disposals": DISPOSALS,
        "participation": services.participation(appraisal), "limit": services.limit_for(appraisal),
        "turnout": ballots.turnout_text(appraisal.poll), "electorate": ballots.electorate_size(appraisal.poll),
        "tallies_hidden": appraisal.status in (Status.EVALUATING, Status.DONE) and tallies is None,
        "hidden_message": ballots.hidden_results_message(appraisal.poll) if appraisal.poll else "",
        "counts": services.grade_counts(appraisal), "rules": RULES,
        "electorate_changes": ballots.electorate_history(appraisal.poll) if appraisal.poll else [],
    })


def _step(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    return run_step(request, access.get_or_404(_managed(request), pk=pk), action, done,
                    refused=(services.AppraisalError, ballots.BallotError), page="appraisal_detail")


@require_POST
def appraisal_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.open_voting, "已开始民主测评：正式党员在手机上“我的 → 投票”即可测评；投票人名单已确定")


@require_POST
def appraisal_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.close_voting, "已结束民主测评，请进行组织评定")


@require_POST
def appraisal_paper(request: HttpRequest, pk: int) -> HttpResponse:
    def enter(appraisal):
        count = _int(request.POST.get("paper_ballots"), "纸质选票张数")
        tallies = {
            p.pk: {grade: _int(request.POST.get(f"paper_{p.pk}_{index}") or "0", f"{p.name}的“{grade}”票数")
                   for index, grade in enumerate(GRADES)}
            for p in appraisal.participants.filter(graded=True)
        }
        services.enter_paper_ballots(request.user, appraisal, count, tallies)

    return _step(request, pk, enter, "已保存纸质选票的计票结果")


@require_POST
def appraisal_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    def evaluate(appraisal):
        decisions = {}
        for p in appraisal.participants.filter(graded=True):
            decisions[p.pk] = (request.POST.get(f"grade_{p.pk}", ""), request.POST.get(f"disposal_{p.pk}", ""),
                               _date(request.POST.get(f"follow_up_{p.pk}"), f"{p.name}的跟踪回访日期"))
        services.evaluate(request.user, appraisal, decisions, _date(request.POST.get("evaluated_on"), "组织评定日期"))

    return _step(request, pk, evaluate, "已完成组织评定，结果已记入民主评议结果台账，并生成“民主评议党员”工作记录")


# --- members ---

def _own_participations(user):
    person = access.own_person(user)
    if person is None:
        return Participant.objects.none()
    return Participant.objects.filter(person=person).select_related("appraisal__branch", "appraisal__poll")


def appraisal_mine(request: HttpRequest) -> HttpResponse:
    participations = list(_own_participations(request.user).order_by("-appraisal__year"))
    voting = [a for a in _votable(request.user) if a.status == Status.VOTING]
    voted = {a.pk for a in voting if ballots.has_voted(a.poll, request.user)}
    return render(request, "appraisal/mine.html", {"participations": participations, "voting": voting, "voted": voted})


def _votable(user):
    polls = Elector.objects.filter(user=user, active=True).values("poll")
    return list(Appraisal.objects.filter(poll__in=polls).select_related("branch", "poll").order_by("-year"))


@require_POST
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access.get_or_404(_own_participations(request.user), appraisal__pk=pk)
    try:
        services.write_statement(request.user, participant.appraisal, participant, request.POST.get("statement", ""))
    except services.AppraisalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已保存您的自我评价")
    return redirect("appraisal_mine")


@require_POST
def statement_by_clerk(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    appraisal = access.get_or_404(_managed(request), pk=pk)
    target = access.get_or_404(appraisal.participants.all(), pk=participant)
    try:
        services.write_statement(request.user, appraisal, target, request.POST.get("statement", ""))
    except services.AppraisalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已保存{target.name}的自我评价")
    return redirect("appraisal_detail", pk=pk)


def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = access.get_or_404(Appraisal.objects.filter(pk__in=[a.pk for a in _votable(request.user)]).select_related("branch", "poll"), pk=pk)
    items = services.ballot_items(appraisal, request.user)
    error, over = "", False
    if request.method == "POST":
        choices = {p.pk: request.POST.get(f"grade_{p.pk}", "") for p in items}
        try:
            services.cast(request.user, appraisal, choices, confirm_over=request.POST.get("confirm_over") == "1")
        except services.TooManyExcellent as warning:
            error, over = str(warning), True
        except services.AppraisalError as refused:
            error = str(refused)
        else:
            messages.success(request, f"已提交您在“{appraisal}”民主测评中的投票，谢谢。投票不记名，提交后不能修改")
            return redirect("appraisal_mine")
        for p in items:
            p.chosen = choices[p.pk]
    return render(request, "appraisal/ballot.html", {
        "appraisal": appraisal, "items": items, "grades": GRADES, "error": error, "over": over,
        "has_voted": ballots.has_voted(appraisal.poll, request.user), "limit": services.limit_for(appraisal),
    }, status=400 if error else 200)
