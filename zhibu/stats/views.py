"""The page 党内统计 (a committee's tables, or a branch's own), the people behind each cell, the workbook,
and the code lists (工作岗位, 新社会阶层类型)."""

from datetime import date

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.lib.params import year_param
from zhibu.lib.textinput import invisible_characters, normalise
from zhibu.orgs import access
from zhibu.orgs.models import CodeItem, OrgKind, Person
from zhibu.orgs.profile import CODE_LISTS
from zhibu.records.ledger_registry import ledger_file_response
from zhibu.stats.tables import LAYOUT_NOTE, Statistics


def _choices(request):
    return access.managed_orgs(request.user).exclude(kind=OrgKind.GROUP).order_by("path")


def _chosen(request):
    """The organisation asked for (404 outside what the login manages), or the highest one it manages; the year."""
    org = access.chosen_or_top_org(request, _choices(request))
    today = date.today()
    return org, year_param(request.GET.get("year"), today.year, today=today)


def statistics_page(request: HttpRequest) -> HttpResponse:
    org, year = _chosen(request)
    stats = Statistics(org, year)
    broken = sum(1 for table in stats.tables for check in table.checks if not check.ok)
    return render(request, "stats/tables.html", {
        "org": org, "year": year, "stats": stats, "broken": broken, "layout_note": LAYOUT_NOTE,
        "org_choices": _choices(request), "years": range(date.today().year, date.today().year - 6, -1),
    })


def cell_people(request: HttpRequest) -> HttpResponse:
    org, year = _chosen(request)
    stats = Statistics(org, year)
    key = request.GET.get("cell", "")
    cell = next((c for table in stats.tables for c in table.cells() if c.key == key and c.linked), None)
    if cell is None:
        access.not_found()
    table = next(t for t in stats.tables if cell in t.cells())
    rows = stats.members(key)
    person_ids = [row["person_pk"] for row in rows if row.get("person_pk")]
    # A name links to the person's page only where that page would open for this login.
    visible = set(access.visible_people(request.user, Person.objects.filter(pk__in=person_ids)).values_list("pk", flat=True))
    for row in rows:
        row["link"] = row.get("person_pk") in visible
    return render(request, "stats/people.html", {
        "org": org, "year": year, "table": table, "cell": cell, "rows": rows,
        "is_orgs": key.startswith("t4."), "is_explanation": key == "t1.difference",
    })


def statistics_download(request: HttpRequest) -> HttpResponse:
    org, year = _chosen(request)
    return ledger_file_response(request.user, "tongji", org, year)


def code_lists(request: HttpRequest) -> HttpResponse:
    """Everyone who manages may read the code lists; the system administrator edits them (they serve every unit)."""
    if not access.is_manager(request.user):
        access.not_found()
    editable = access.sees_everything(request.user)
    if request.method == "POST":
        if not editable:
            access.not_found()
        _change_code_list(request)
        return redirect("stats_codes")
    lists = [(kind, label, CodeItem.objects.filter(kind=kind).order_by("position", "pk")) for kind, (label, _) in CODE_LISTS.items()]
    return render(request, "stats/codes.html", {"lists": lists, "editable": editable})


def _change_code_list(request) -> None:
    kind = request.POST.get("kind", "")
    if kind not in CODE_LISTS:
        messages.error(request, "请选择代码表")
        return
    label = CODE_LISTS[kind][0]
    field = {"job": "job", "stratum": "stratum"}[kind]
    remove = request.POST.get("remove", "")
    if remove:
        item = CodeItem.objects.filter(kind=kind, pk=remove if remove.isdigit() else 0).first()
        if item is None:
            messages.error(request, "该条目已不存在")
            return
        used = Person.objects.filter(**{field: item.name}).count()
        if used:
            messages.error(request, f"有 {used} 人的{label}为“{item.name}”，不能删除；请先修改这些人员的{label}")
            return
        item.delete()
        messages.success(request, f"已从{label}删除“{item.name}”")
        return
    name = normalise(request.POST.get("name", ""))
    if not name:
        messages.error(request, f"请填写要加入{label}的名称")
    elif len(name) > 30:
        messages.error(request, f"名称最多 30 个字，现在有 {len(name)} 个字")
    elif invisible_characters(name):
        messages.error(request, "名称含有看不见的字符，请删除后重新输入")
    else:
        try:
            with transaction.atomic():
                last = CodeItem.objects.filter(kind=kind).order_by("-position").first()
                CodeItem.objects.create(kind=kind, name=name, position=(last.position + 1) if last else 1)
        except IntegrityError:
            messages.error(request, f"{label}中已有“{name}”")
            return
        messages.success(request, f"已在{label}加上“{name}”")
