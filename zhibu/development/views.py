"""Development pages: a board per branch, a person's timeline with its records, the ledger, political birthdays.

Branches come from access.managed_orgs, people from access.visible_people /
managed_people, records through access.scope_to_orgs, so an edited id answers 404.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.development.birthdays import birthday_type_id, branch_members, this_and_next_month
from zhibu.development.forms import DevelopmentRecordForm
from zhibu.development.models import DevelopmentRecord
from zhibu.development.pipeline import (
    branch_board,
    delete_record,
    next_step,
    person_reminders,
    record_step,
    records_by_person,
    stage_hint,
)
from zhibu.development.rules import STEPS, Severity, Stage
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.records.ledger_registry import ledger_file_response


def _today() -> date:
    return date.today()


def _managed_branches(request: HttpRequest):
    return access.managed_orgs(request.user).filter(kind=OrgKind.BRANCH).order_by("path")


def development_home(request: HttpRequest) -> HttpResponse:
    """Managers: their branches with how many people are at each stage. Members: their own timeline."""
    if not access.is_manager(request.user):
        person = access.own_person(request.user) or access.not_found()
        return redirect("development_timeline", pk=person.pk)
    branches = list(_managed_branches(request))
    if len(branches) == 1:
        return redirect("development_board", pk=branches[0].pk)
    boards = [(branch, branch_board(branch, _today())) for branch in branches]
    return render(request, "development/home.html", {"boards": boards, "stages": list(Stage)})


def board(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.branch_for(request.user, pk)
    columns = branch_board(branch, _today())
    return render(request, "development/board.html", {
        "branch": branch, "columns": columns, "overdue": sum(len(card.overdue) for column in columns for card in column.cards),
    })


def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.branch_for(request.user, pk)
    return ledger_file_response(request.user, "fazhan", branch, _today().year)


def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The 25 steps with what is recorded for each; a member sees their own, managers record and correct."""
    person = access.get_or_404(access.visible_people(request.user).select_related("branch"), pk=pk)
    records = records_by_person([person]).get(person.pk, [])
    upcoming = next_step(person, records)
    stages = [
        {"stage": stage, "steps": [
            {"step": s, "records": [r for r in records if r.step == s.number], "is_next": upcoming is not None and s.number == upcoming.number}
            for s in STEPS if s.stage is stage
        ]}
        for stage in Stage
    ]
    return render(request, "development/timeline.html", {
        "person": person, "stages": stages, "next_step": upcoming, "hint": stage_hint(person, records), "has_records": bool(records),
        "reminders": person_reminders(person, records, _today()),
        "can_manage": access.managed_people(request.user).filter(pk=pk).exists(),
    })


def _save(request: HttpRequest, form: DevelopmentRecordForm, person, record: DevelopmentRecord | None) -> bool:
    """Record the form's step through the pipeline; its problems go onto the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        saved = record_step(person, form.entry(), actor=request.user, record=record, today=_today())
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    messages.success(request, f"已登记{person.name}：第{saved.step}步“{saved.step_info.name}”（{saved.date:%Y-%m-%d}）")
    records = records_by_person([person]).get(person.pk, [])
    for reminder in person_reminders(person, records, _today()):
        if reminder.severity is Severity.BROKEN:
            messages.warning(request, f"请注意：{reminder.message}（{reminder.citation}）")
    return True


def record_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_or_404(access.managed_people(request.user).select_related("branch"), pk=pk)
    records = records_by_person([person]).get(person.pk, [])
    suggested = request.GET.get("step", "")
    upcoming = next_step(person, records)
    initial = {"date": _today(), "step": int(suggested) if suggested.isdigit() else (upcoming.number if upcoming else None)}
    form = DevelopmentRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save(request, form, person, None):
        return redirect("development_timeline", pk=person.pk)
    return render(request, "development/record_form.html", {"form": form, "person": person, "record": None})


def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.development_record_for(request.user, pk)
    person = record.person
    form = DevelopmentRecordForm(request.POST or None, instance=record)
    if request.method == "POST":
        # The form must not touch the instance: record_step checks first and writes in one transaction.
        unsaved = DevelopmentRecord.objects.get(pk=record.pk)
        if _save(request, form, person, unsaved):
            return redirect("development_timeline", pk=person.pk)
    return render(request, "development/record_form.html", {"form": form, "person": person, "record": record})


@require_POST
def record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.development_record_for(request.user, pk)
    try:
        delete_record(record)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已删除第{record.step}步“{record.step_info.name}”（{record.date:%Y-%m-%d}）的记录")
    return redirect("development_timeline", pk=record.person_id)


def birthdays(request: HttpRequest) -> HttpResponse:
    """This month's and next month's political birthdays, per branch the user manages."""
    branches = _managed_branches(request)
    if not branches.exists():
        access.not_found()
    selected = access.chosen_org(request, branches)
    if selected:
        branches = branches.filter(pk=selected.pk)
    lists = [(branch, this_and_next_month(branch_members(branch), _today())) for branch in branches]
    return render(request, "development/birthdays.html", {"lists": lists, "today": _today(), "birthday_type": birthday_type_id()})
