"""Dues pages: the branch ledger and month grid, yearly bases, settings, exports, and a member's own dues.

Branches are fetched through access.managed_orgs and people through
access.visible_people / managed_people, so an edited id answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.dues import exports
from zhibu.dues.forms import BranchDuesSettingsForm, DuesBaseForm, PaidOnForm
from zhibu.dues.accounts import BranchLedger, MonthCell, branch_ledger, branch_ledgers, person_years
from zhibu.orgs.branchlist import paginated_branches
from zhibu.dues.models import BranchDuesSettings, DuesBase, DuesPayment
from zhibu.dues.services import admission_problem, cell_version, grid_key, save_month_grid, seed_bases, version_key
from zhibu.lib.history import change_lines
from zhibu.lib.params import is_year, year_or_404
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.records.ledger_registry import ledger_file_response


@dataclass(frozen=True)
class GridCell:
    """One input of the month grid: the ledger cell, its field name, what it shows and its error."""

    cell: MonthCell
    key: str
    value: str
    error: str
    editable: bool  # from the admission month on: nothing can have been paid before it
    version_key: str
    version: str  # what the cell held when the page was drawn; saving compares it (services.save_month_grid)


def _today() -> date:
    return date.today()


def _year_or_404(year: int) -> int:
    return year_or_404(year, _today())


def _managed_ledger(request: HttpRequest, pk: int, year: int) -> BranchLedger:
    """The ledger of a branch the user manages (404 otherwise) for a year the ledger can have."""
    return branch_ledger(access.branch_for(request.user, pk), _year_or_404(year), _today())


def _year_links(year: int) -> dict:
    # The links stop where a ledger can be asked for (lib.params); earlier years are typed in the address.
    return {"previous_year": year - 1 if is_year(year - 1, _today()) and year > _today().year - 20 else None,
            "next_year": year + 1 if is_year(year + 1, _today()) else None}


def dues_home(request: HttpRequest) -> HttpResponse:
    """Managers: their branches' figures for the year. Members: their own dues."""
    if not access.is_manager(request.user):
        return my_dues(request)
    year = _year_or_404(int(request.GET["year"])) if request.GET.get("year", "").isdigit() else _today().year
    branches = access.managed_orgs(request.user).filter(kind=OrgKind.BRANCH)
    if branches.count() == 1:
        return redirect("dues_branch", pk=branches.get().pk, year=year)
    listing = paginated_branches(request, branches)
    ledgers = branch_ledgers(listing.branches, year, _today())
    return render(request, "dues/home.html", {
        "ledgers": ledgers, "year": year, "listing": listing, "page": listing.page, "filters": request.GET,
        "keep": {"year": year}, **_year_links(year),
    })


def branch_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.branch_for(request.user, pk)
    return redirect("dues_branch", pk=branch.pk, year=_today().year)


def _ledger_page(request: HttpRequest, pk: int, year: int, template: str) -> HttpResponse:
    ledger = _managed_ledger(request, pk, year)
    branch = ledger.branch
    return render(request, template, {"ledger": ledger, "branch": branch, "year": year, **_year_links(year)})


def branch_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _ledger_page(request, pk, year, "dues/branch.html")


def branch_entry(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The month grid: one row per member, one cell per month; saved all at once or not at all."""
    ledger = _managed_ledger(request, pk, year)
    branch = ledger.branch
    date_form = PaidOnForm(request.POST or None, initial={"paid_on": _today()})
    values = {
        grid_key(row.person.pk, cell.month): (f"{cell.paid}" if cell.paid is not None else "")
        for row in ledger.rows for cell in row.cells
    }
    result = None
    if request.method == "POST":
        # An unreadable date shows on its field and nothing is saved; the grid keeps what was typed.
        result = save_month_grid(ledger, request.POST, date_form.cleaned_data["paid_on"], _today(),
                                 confirmed=request.POST.get("confirm_unusual") == "1") if date_form.is_valid() else None
        if result and result.ok:
            if result.changed:
                messages.success(request, f"已保存：新增 {result.created} 笔，修改 {result.updated} 笔，删除 {result.deleted} 笔")
            else:
                messages.info(request, "没有改动")
            return redirect("dues_branch", pk=branch.pk, year=year)
        values.update({key: request.POST[key] for key in values if key in request.POST})
    errors = {grid_key(pk_, month): text for (pk_, month), text in (result.errors.items() if result else [])}
    grid = [
        {"row": row, "cells": [
            GridCell(cell, key, values[key], errors.get(key, ""),
                     not admission_problem(row.person.name, row.person.admitted_on, cell.month),
                     version_key(row.person.pk, cell.month), cell_version(cell.payment))
            for cell, key in ((cell, grid_key(row.person.pk, cell.month)) for cell in row.cells)
        ]}
        for row in ledger.rows
    ]
    return render(request, "dues/entry.html", {
        "ledger": ledger, "branch": branch, "year": year, "grid": grid, "date_form": date_form,
        "error_list": result.messages(ledger) if result else [],
        "unusual": result.unusual if result and not result.errors and not result.general else [],
    })


def branch_bases(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _ledger_page(request, pk, year, "dues/bases.html")


@require_POST
def branch_seed_bases(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    branch = access.branch_for(request.user, pk)
    created = seed_bases(branch, _year_or_404(year))
    if created:
        messages.success(request, f"已按花名册为 {created} 名党员确定{year}年缴费基数")
    else:
        messages.info(request, f"所有党员都已确定{year}年缴费基数")
    return redirect("dues_bases", pk=branch.pk, year=year)


def base_edit(request: HttpRequest, person_pk: int, year: int) -> HttpResponse:
    person = access.get_or_404(access.managed_people(request.user).select_related("branch"), pk=person_pk)
    _year_or_404(year)
    base = DuesBase.objects.filter(person=person, year=year).first() or DuesBase(
        person=person, year=year, category=person.dues_category, base=person.dues_base
    )
    form = DuesBaseForm(request.POST or None, instance=base, settings=BranchDuesSettings.for_branch(person.branch))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存{person.name}{year}年缴费基数，月应缴 {form.monthly_due} 元")
        return redirect("dues_bases", pk=person.branch_id, year=year)
    return render(request, "dues/base_edit.html", {"form": form, "person": person, "year": year})


def branch_settings(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.branch_for(request.user, pk)
    form = BranchDuesSettingsForm(request.POST or None, instance=BranchDuesSettings.for_branch(branch))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存{branch.name}的党费设置")
        return redirect("dues_branch", pk=branch.pk, year=_today().year)
    changes = change_lines(BranchDuesSettings.history.filter(branch_id=branch.pk), subject=lambda entry: "党费设置")
    return render(request, "dues/settings.html", {"form": form, "branch": branch, "changes": changes})


def ledger_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return ledger_file_response(request.user, "dangfei", access.branch_for(request.user, pk), _year_or_404(year))


def notice(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The 公示 as a printable page (the browser's print gives the paper version)."""
    ledger = _managed_ledger(request, pk, year)
    return render(request, "dues/notice.html", {
        "ledger": ledger, "branch": ledger.branch, "year": year, "title": exports.notice_title(ledger),
        "intro": exports.notice_intro(ledger), "lines": exports.notice_lines(ledger),
        "closing": exports.notice_closing(ledger), "header": exports.NOTICE_HEADER,
    })


def notice_docx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return ledger_file_response(request.user, "gongshi", access.branch_for(request.user, pk), _year_or_404(year))


def my_dues(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user) or access.not_found()
    return redirect("dues_person", pk=person.pk, year=_today().year)


def person_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_or_404(access.visible_people(request.user), pk=pk)
    return redirect("dues_person", pk=person.pk, year=_today().year)


def person_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """One person's months for a year: what a member checks on their phone, and what a clerk opens from a row."""
    person = access.get_or_404(access.visible_people(request.user).select_related("branch"), pk=pk)
    _year_or_404(year)
    [record] = person_years([person], year, _today())
    years = sorted(
        {_today().year, year}
        | set(DuesBase.objects.filter(person=person).values_list("year", flat=True))
        | {int(month[:4]) for month in DuesPayment.objects.filter(person=person).values_list("month", flat=True)},
        reverse=True,
    )
    can_manage = access.managed_people(request.user).filter(pk=pk).exists()
    return render(request, "dues/person.html", {
        "person": person, "record": record, "year": year, "years": years, "can_manage": can_manage,
        "current_year": _today().year,
        "is_self": access.own_person(request.user) == person,
    })

