"""Points pages: a branch's ranking, a member's statement (their own on the phone), the schemes.

Branches come from access.managed_orgs, people from access.visible_people / managed_people, so an edited
id answers 404. A member sees only their own statement, and the records behind it only as far as they
concern them (date, type, subject, how they took part).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.lib.strokes import stroke_key
from zhibu.orgs import access
from zhibu.orgs.models import option_on
from zhibu.orgs.models import OrgKind
from zhibu.points.forms import AdjustmentForm, RuleGrid, SchemeForm, VetoForm, save_scheme
from zhibu.lib.history import change_lines
from zhibu.lib.params import year_or_404
from zhibu.points.models import PointAdjustment, PointRule, PointScheme, PointVeto
from zhibu.points.statement import Terms, attendance_events, branch_ranking, compute, member_statement
from zhibu.records.models import Activity


def _today() -> date:
    return date.today()


def _year_or_404(year: int) -> int:
    return year_or_404(year, _today())


def _years() -> list[int]:
    return list(range(_today().year, _today().year - 5, -1))


def _managed_branches(request: HttpRequest):
    return access.managed_orgs(request.user).filter(kind=OrgKind.BRANCH).order_by("path")


def points_home(request: HttpRequest) -> HttpResponse:
    """Managers: their first branch's ranking (a chooser lists the others). Members: their own statement."""
    if not access.is_manager(request.user):
        return my_points(request)
    branches = _managed_branches(request)
    branch = access.chosen_or_top_org(request, branches)
    year = request.GET.get("year", "")
    return redirect("points_ranking", pk=branch.pk, year=_year_or_404(int(year)) if year.isdigit() else _today().year)


def my_points(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user) or access.not_found()
    return redirect("points_statement", pk=person.pk, year=_today().year)


def ranking(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    branches = _managed_branches(request)
    branch = access.get_or_404(branches, pk=pk)
    rows = branch_ranking(branch, _year_or_404(year), _today())
    ranked = option_on(branch, "points_ranking")
    if not ranked:  # the unit chose not to rank: everyone by name, each with their points
        rows = sorted(rows, key=lambda row: stroke_key(row.person.name))
    return render(request, "points/ranking.html", {
        "branch": branch, "branches": branches, "year": year, "years": _years(), "rows": rows, "ranked": ranked,
        "scheme": PointScheme.for_org(branch, year),
    })


def _visible_person(request: HttpRequest, pk: int):
    return access.get_or_404(access.visible_people(request.user).select_related("branch", "group"), pk=pk)


def _statement_page(request: HttpRequest, person, year: int, adjustment_form=None, veto_form=None) -> HttpResponse:
    can_manage = access.managed_people(request.user).filter(pk=person.pk).exists()
    statement = member_statement(person, year, _today())
    return render(request, "points/statement.html", {
        "person": person, "year": year, "years": _years(), "statement": statement, "can_manage": can_manage,
        "is_self": access.own_person(request.user) == person,
        "counts": statement.counts(),
        "adjustment_form": adjustment_form or AdjustmentForm(initial={"date": _today() if year == _today().year else date(year, 12, 31)}),
        "veto_form": veto_form or VetoForm(initial={"date": _today()}),
        "veto": PointVeto.objects.filter(person=person, year=year).first(),
    })


def statement_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Every point of a member's year, line by line, each with its record or adjustment."""
    return _statement_page(request, _visible_person(request, pk), _year_or_404(year))


@require_POST
def adjustment_add(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    person = access.person_for(request.user, pk)
    _year_or_404(year)
    form = AdjustmentForm(request.POST, instance=PointAdjustment(person=person, created_by=request.user))
    if form.is_valid():
        adjustment = form.save()
        messages.success(request, f"已为{person.name}记入积分调整 {adjustment.points:+}（{adjustment.reason}）")
        return redirect("points_statement", pk=person.pk, year=adjustment.date.year)
    return _statement_page(request, person, year, adjustment_form=form)


@require_POST
def adjustment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    adjustments = PointAdjustment.objects.filter(person__in=access.managed_people(request.user)).select_related("person")
    adjustment = access.get_or_404(adjustments, pk=pk)
    adjustment.delete()
    messages.success(request, f"已删除{adjustment.person.name}{adjustment.date:%Y-%m-%d}的积分调整（{adjustment.reason}）")
    return redirect("points_statement", pk=adjustment.person_id, year=adjustment.date.year)


@require_POST
def veto_set(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    person = access.person_for(request.user, pk)
    _year_or_404(year)
    veto = PointVeto.objects.filter(person=person, year=year).first() or PointVeto(person=person, year=year)
    form = VetoForm(request.POST, instance=veto)
    if form.is_valid():
        form.instance.created_by = request.user
        form.save()
        messages.warning(request, f"已对{person.name}{year}年积分一票否决（{veto.reason}），全年积分为0")
        return redirect("points_statement", pk=person.pk, year=year)
    return _statement_page(request, person, year, veto_form=form)


@require_POST
def veto_delete(request: HttpRequest, pk: int) -> HttpResponse:
    veto = access.get_or_404(PointVeto.objects.filter(person__in=access.managed_people(request.user)).select_related("person"), pk=pk)
    veto.delete()
    messages.success(request, f"已撤销{veto.person.name}{veto.year}年的一票否决")
    return redirect("points_statement", pk=veto.person_id, year=veto.year)


def record_view(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """A record as far as it concerns one member's points: the member may not open the branch's record itself.

    Only a record that counts in the person's statement is shown; any other id answers 404.
    """
    person = _visible_person(request, pk)
    activity = access.get_or_404(Activity.objects.select_related("org", "type"), pk=activity_pk)
    scheme = PointScheme.for_org(person.branch, activity.date.year)
    terms = Terms.of(scheme) if scheme else None
    events = []
    if terms and activity.type_id in terms.rules and activity.date <= _today():
        events = [event for event in attendance_events(person.branch, [person.pk], activity.date.year, activity.date,
                                                       [activity.type_id]).get(person.pk, [])
                  if event.activity_id == activity.pk]
    if not events:
        access.not_found()
    line = compute(terms, activity.date.year, events, []).lines[0]
    row = activity.attendance.filter(person=person).first()
    can_open = access.scope_to_orgs(request.user, Activity.objects.filter(pk=activity.pk), manage=True).exists()
    return render(request, "points/record.html", {
        "person": person, "activity": activity, "line": line, "reason": row.reason if row else "", "can_open": can_open,
        "year": activity.date.year, "is_self": access.own_person(request.user) == person, "unrecorded": row is None,
    })


# Schemes ----------------------------------------------------------------------------------------------------

def _schemes_seen(request: HttpRequest):
    return PointScheme.objects.filter(Q(org__isnull=True) | Q(org__in=access.visible_orgs(request.user)))


def _schemes_editable(request: HttpRequest):
    """A committee administrator changes their subtree's schemes; the default every unit starts from is a system
    administrator's (one committee's edit must not change every other unit's points)."""
    if not access.is_committee_admin(request.user):
        return PointScheme.objects.none()
    if access.sees_everything(request.user):
        return PointScheme.objects.all()  # access: sees_everything, checked just above
    return PointScheme.objects.filter(org__in=access.managed_orgs(request.user))


def scheme_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        access.not_found()
    schemes = _schemes_seen(request).select_related("org").prefetch_related("rules__activity_type")
    editable = set(_schemes_editable(request).values_list("pk", flat=True))
    return render(request, "points/schemes.html", {
        "schemes": [(scheme, scheme.pk in editable) for scheme in schemes],
        "can_add": access.is_committee_admin(request.user),
    })


def _scheme_page(request: HttpRequest, scheme: PointScheme, source: PointScheme | None) -> HttpResponse:
    form = SchemeForm(request.POST or None, instance=scheme, user=request.user)
    grid = RuleGrid(source, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() & grid.is_valid():
        scheme = save_scheme(form, grid)
        messages.success(request, f"已保存积分方案“{scheme.name}”；积分按新规则重新计算")
        return redirect("points_schemes")
    changes = change_lines(
        scheme.history.all(), PointRule.history.filter(scheme_id=scheme.pk).select_related("activity_type"),
        subject=lambda entry: entry.activity_type.name if entry.instance_type is PointRule and entry.activity_type else "方案",
    ) if scheme.pk else []
    return render(request, "points/scheme_edit.html", {"form": form, "grid": grid, "scheme": scheme if scheme.pk else None,
                                                       "source": source, "changes": changes})


def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = access.get_or_404(_schemes_editable(request), pk=pk)
    return _scheme_page(request, scheme, scheme)


def scheme_new(request: HttpRequest) -> HttpResponse:
    """A scheme for an organisation's subtree, starting as a copy of the scheme that applies there now."""
    if not access.is_committee_admin(request.user):
        access.not_found()
    org = access.chosen_org(request)
    year = _today().year
    source = PointScheme.for_org(org, year) if org else PointScheme.objects.filter(org__isnull=True).order_by("-from_year").first()  # access: the default scheme, of no organisation
    scheme = PointScheme(org=org, from_year=year)
    if source:
        scheme.base, scheme.floor, scheme.cap = source.base, source.floor, source.cap
        scheme.name = f"{org.name}党员积分方案" if org else source.name
    return _scheme_page(request, scheme, source)


@require_POST
def scheme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = access.get_or_404(_schemes_editable(request).filter(org__isnull=False), pk=pk)
    scheme.delete()
    messages.success(request, f"已删除积分方案“{scheme.name}”；{scheme.org.name}改用上级或默认方案")
    return redirect("points_schemes")
