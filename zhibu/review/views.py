"""Pages of the review. Organisers reach sessions only through access.scope_to_orgs(…, "committee", manage=True);
voters only through voters.sessions_for_voter. Anything else answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.ballots import services as ballots
from zhibu.ballots.models import Receipt
from zhibu.lib.downloads import XLSX_MIME, file_download
from zhibu.lib.steps import run_step
from zhibu.orgs import access
from zhibu.review import services
from zhibu.review.forms import SessionForm
from zhibu.review.ledgers import results_filename, results_xlsx, scheme_notes
from zhibu.lib.history import change_lines
from zhibu.review.models import Level, ReviewSession, Status
from zhibu.review.results import session_results
from zhibu.review.voters import eligible_voters, sessions_for_voter


def _managed_sessions(request: HttpRequest):
    return access.scope_to_orgs(request.user, ReviewSession.objects.select_related("committee"), "committee", manage=True)


def session_list(request: HttpRequest) -> HttpResponse:
    if not access.manages_committee(request.user):  # a branch's secretary only votes (述职评议 is a committee's)
        return redirect("review_mine")
    sessions = _managed_sessions(request).order_by("-year", "committee__path")
    return render(request, "review/list.html", {"sessions": sessions})


def session_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk:
        session = access.review_for(request.user, pk)
        if not session.is_preparing:
            messages.error(request, "投票开始后不能再修改评议的设置")
            return redirect("review_detail", pk=pk)
    elif access.manages_committee(request.user):
        session = ReviewSession(created_by=request.user)
    elif access.is_manager(request.user):
        messages.error(request, "述职评议由党委、党工委、机关党委或党总支组织，您管理的组织中没有这类组织")
        return redirect("review_mine")
    else:
        access.not_found()
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
            services.sync_reportees(session)
        messages.success(request, "已保存述职评议；被评议的支部书记按组织现状列出，开始投票前可再核对")
        return redirect("review_detail", pk=session.pk)
    if not form.fields["committee"].queryset.exists():
        messages.error(request, "述职评议由党委、党工委、机关党委或党总支组织，您管理的组织中没有这类组织")
    return render(request, "review/edit.html", {"form": form, "session": session if pk else None})


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.review_for(request.user, pk)
    return render(request, "review/detail.html", {
        "session": session,
        "reportees": session.reportees.select_related("branch", "session"),
        "turnout": ballots.turnout_text(session.poll),
        "electorate": ballots.electorate_size(session.poll) if session.poll and session.poll.opened_at else eligible_voters(session.committee).count(),
        "electorate_changes": ballots.electorate_history(session.poll) if session.poll else [],
        "notes": scheme_notes(session),
        "changes": change_lines(session.history.all(), subject=lambda entry: "评议设置"),
    })


def _step(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    return run_step(request, access.review_for(request.user, pk), action, done, refused=(services.ReviewError,),
                    page="review_detail")


@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.open_voting, "已开始投票：投票人在“投票”页面可以看到这次评议")


@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda session: services.close_voting(request.user, session), "已结束投票，结果如下")


def _ended_session(request: HttpRequest, pk: int) -> ReviewSession:
    session = access.review_for(request.user, pk)
    if not session.is_ended:
        # Partial counts during voting, watched after each vote, would tell who voted what.
        messages.error(request, "投票结束后才能查看结果")
    elif not ballots.results_visible(session.poll):
        messages.error(request, ballots.hidden_results_message(session.poll))
    return session


def _results_shown(session: ReviewSession) -> bool:
    return session.is_ended and ballots.results_visible(session.poll)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    session = _ended_session(request, pk)
    if not _results_shown(session):
        return redirect("review_detail", pk=pk)
    outcome = session_results(session, with_comments=True)
    return render(request, "review/results.html", {
        "session": session,
        "results": outcome,
        "convertible": any(not grade.list_item_id for result in outcome for grade in result.comments),
        "ballots": session.ballots.count(),
        "grades": Level.values,
        "notes": scheme_notes(session),
    })


def results_download(request: HttpRequest, pk: int) -> HttpResponse:
    session = _ended_session(request, pk)
    if not _results_shown(session):
        return redirect("review_detail", pk=pk)
    return file_download(results_xlsx(session), XLSX_MIME, results_filename(session))


@require_POST
def comments_to_problems(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.review_for(request.user, pk)
    try:
        items = services.comments_to_problems(session, request.POST.getlist("grade"))
    except services.ReviewError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "转为问题清单失败，没有写入任何事项：" + "；".join(error.messages))
    else:
        messages.success(request, f"已把{len(items)}条意见转为{session.year + 1}年度问题清单（来源“{services.PROBLEM_SOURCE}”，责任人为支部书记）")
    return redirect("review_results", pk=pk)


def my_ballots(request: HttpRequest) -> HttpResponse:
    sessions = list(sessions_for_voter(request.user).exclude(status=Status.PREPARING).select_related("committee").order_by("-year"))
    voted = set(Receipt.objects.filter(user=request.user, poll__review_session__in=sessions).values_list("poll_id", flat=True))
    for session in sessions:
        session.has_voted = session.poll_id in voted
    return render(request, "review/mine.html", {
        "open_sessions": [s for s in sessions if s.is_voting],
        "ended_sessions": [s for s in sessions if s.is_ended],
    })


def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_or_404(sessions_for_voter(request.user).select_related("committee"), pk=pk)
    reportees = list(session.reportees.select_related("branch"))
    has_voted = ballots.has_voted(session.poll, request.user)
    error = ""
    if request.method == "POST":
        choices = {r.pk: (request.POST.get(f"grade_{r.pk}", ""), request.POST.get(f"comment_{r.pk}", "")) for r in reportees}
        try:
            services.cast_ballot(request.user, session, choices)
        except services.ReviewError as refused:
            error = str(refused)
        else:
            messages.success(request, f"已提交您对“{session.title}”的投票，谢谢。投票不记名，提交后不能修改")
            return redirect("review_mine")
        for reportee in reportees:  # give back what was filled in, so one missing grade costs one click
            reportee.chosen, reportee.comment = choices[reportee.pk]
    return render(request, "review/ballot.html", {
        "session": session, "reportees": reportees, "has_voted": has_voted, "error": error, "grades": Level.values,
    }, status=400 if error else 200)
