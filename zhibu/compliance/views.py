"""The committee's dashboard, a branch's calendar of what is due and done, and the rules."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.compliance.dashboard import branch_calendar, grid
from zhibu.compliance.facts import check
from zhibu.compliance.models import Rule
from zhibu.lib.history import change_lines
from zhibu.lib.params import year_param
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year"), date.today().year)


def _root(request: HttpRequest):
    """The organisation asked for, or the highest one the user manages."""
    managed = access.managed_orgs(request.user)
    root = access.chosen_org(request, managed) or managed.order_by("depth", "path").first()
    if root is None:
        access.not_found()
    return root


def dashboard(request: HttpRequest) -> HttpResponse:
    root, year = _root(request), _year(request)
    result = check(request.user, root, year)
    rows = grid(result)
    findings = sorted(result.findings, key=lambda f: (f.status != "missed", f.org, f.period))
    return render(request, "compliance/dashboard.html", {
        "root": root,
        "year": year,
        "years": range(date.today().year, date.today().year - 5, -1),
        "rows": rows,
        "months": range(1, 13),
        "open_findings": [f for f in findings if f.status != "due" and f.rule not in ("term_expiring", "term_expired")],
        "due_now": [f for f in findings if f.status == "due" and f.rule != "term_expiring"],
        "terms": [f for f in findings if f.rule in ("term_expiring", "term_expired")],
        "chart": {"names": [row.name for row in rows], "scores": [row.score_percent for row in rows]},
        "org_choices": access.managed_orgs(request.user).exclude(kind=OrgKind.GROUP).order_by("path"),
    })


def branch_page(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.get_or_404(access.managed_orgs(request.user).filter(kind=OrgKind.BRANCH), pk=pk)
    year = _year(request)
    result = check(request.user, branch, year)
    score = result.scores()[0]
    return render(request, "compliance/branch.html", {
        "branch": branch,
        "year": year,
        "years": range(date.today().year, date.today().year - 5, -1),
        "calendar": branch_calendar(result, branch.pk),
        "findings": result.findings,
        "score": score,
        "areas": _by_area(score.lines),
    })


def _by_area(lines):
    areas: dict[str, list] = {}
    for line in lines:
        areas.setdefault(line.rule.area, []).append(line)
    return areas


class RuleForm(forms.ModelForm):
    params = forms.JSONField(label="参数（JSON）", required=False, help_text='例如 {"min_rate": 0.6} 表示出席率下限60%')

    class Meta:
        model = Rule
        fields = ["title", "citation", "minimum", "severity", "points", "params", "enabled"]


def rule_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        access.not_found()
    return render(request, "compliance/rules.html", {
        "rules": Rule.objects.order_by("area", "key"), "can_edit": access.is_committee_admin(request.user),
        "changes": change_lines(Rule.history.all(), subject=lambda entry: entry.title),
    })


def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.is_committee_admin(request.user):
        access.not_found()
    rule = access.get_or_404(Rule.objects.all(), pk=pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存规则“{rule.title}”")
        return redirect("rule_list")
    return render(request, "compliance/rule_edit.html", {"form": form, "rule": rule})
