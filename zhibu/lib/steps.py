"""Steps of a workflow (open or close voting, enter paper ballots, add a candidate, approve …).

The 民主评议, 述职评议 and 换届选举 move their object through stages the same way: the service locks the row and
refuses a step taken in the wrong stage with a Chinese reason; the page runs the step and goes back to the
object's page with what happened or that reason.
"""

from __future__ import annotations

from typing import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def run_step(request: HttpRequest, subject, action: Callable, done: str, *,
             refused: tuple[type[Exception], ...], page: str) -> HttpResponse:
    """Carry out `action(subject)`; show `done`, or the message of a `refused` error, on the URL named `page`
    (which takes the subject's pk)."""
    try:
        action(subject)
    except refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(page, pk=subject.pk)


def locked(subject):
    """The subject's row read again and locked until the transaction ends, so two managers taking steps at once
    see each other's (with its branch, which every step names)."""
    return type(subject).objects.select_for_update().select_related("branch").get(pk=subject.pk)


def require_stage(subject, *stages: str, doing: str, refused: type[Exception], noun: str) -> None:
    """Refuse a step taken in the wrong stage, naming the stages it belongs to and the one the subject is in:
    "只有在“请示与候选人”阶段可以确定候选人预备人选，这次选举现在是“党员大会投票”"."""
    if subject.status not in stages:
        labels = dict(subject._meta.get_field("status").choices)
        wanted = "、".join(f"“{labels[stage]}”" for stage in stages)
        raise refused(f"只有在{wanted}阶段可以{doing}，这次{noun}现在是“{subject.get_status_display()}”")
