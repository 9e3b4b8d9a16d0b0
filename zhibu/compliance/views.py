"""The committee's dashboard, a branch's calendar of what is due and done, and the rules."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhibu.compliance.dashboard import branch_calendar, grid
from zhibu.compliance.facts import check
from zhibu.compliance.models import Rule, RuleSetting, settings_for
from zhibu.lib.history import change_lines
from zhibu.lib.params import year_param
from zhibu.orgs import access
from zhibu.orgs.branchlist import paginated_branches
from zhibu.orgs.models import OrgKind


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year"), date.today().year)


def _root(request: HttpRequest):
    """The organisation asked for, or the highest one the user manages."""
    return access.chosen_or_top_org(request)


def dashboard(request: HttpRequest) -> HttpResponse:
    root, year = _root(request), _year(request)
    result = check(request.user, root, year)
    branches = access.visible_orgs(request.user).subtree_of(root).filter(kind=OrgKind.BRANCH)
    if root.kind == OrgKind.GROUP:
        branches = access.visible_orgs(request.user).filter(pk__in=[b.id for b in result.branches])
    listing = paginated_branches(request, branches)
    shown = {branch.pk for branch in listing.branches}
    rows = grid(result, shown)
    findings = sorted((f for f in result.findings if f.org_id in shown), key=lambda f: (f.status != "missed", f.org, f.period))
    return render(request, "compliance/dashboard.html", {
        "listing": listing, "page": listing.page, "filters": request.GET, "keep": {"org": root.pk, "year": year},
        "all_findings": len(result.findings), "all_violations": sum(1 for f in result.findings if f.status == "missed"),
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
    result = check(request.user, branch, year, fresh=True)  # the calendar shows the facts themselves
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


# Each parameter a rule may carry: its label, its unit and how it is typed (no JSON to write by hand).
PARAMETERS = {
    "min_rate": ("出席率下限", "%", "percent"),
    "threshold": ("应设支部委员会的正式党员人数", "人", "int"),
    "min_committee_members": ("支部委员会最少委员人数", "人", "int"),
    "minimum": ("单独成立党支部的最少正式党员人数", "人", "int"),
    "months": ("提前提醒", "个月", "int"),
    "preferred_quarter": ("宜在第几季度召开", "季度", "int"),
    "needs_committee": ("只要求设支部委员会的党支部", "", "bool"),
    "per_group": ("每个党小组分别计算", "", "bool"),
    "lecturer": ("主讲人须为支部书记", "", "secretary"),
}


class RuleForm(forms.Form):
    """A rule's values for one organisation and everything below it; its parameters as labelled fields."""

    minimum = forms.IntegerField(label="每周期最少次数", min_value=0, max_value=99, help_text="次")
    severity = forms.ChoiceField(label="严重程度", choices=Rule._meta.get_field("severity").choices)
    points = forms.IntegerField(label="标准化分值", min_value=0, max_value=100, help_text="分")
    enabled = forms.BooleanField(label="启用", required=False)

    def __init__(self, *args, rule: Rule, spec, enabled: bool, **kwargs):
        initial = {"minimum": spec.minimum, "severity": spec.severity, "points": spec.points, "enabled": enabled}
        for key, value in spec.params.items():
            kind = PARAMETERS.get(key, ("", "", ""))[2]
            initial[f"param_{key}"] = round(float(value) * 100) if kind == "percent" else (
                value == "secretary" if kind == "secretary" else value)
        super().__init__(*args, initial=initial, **kwargs)
        if not rule.period:
            del self.fields["minimum"]
        for key in rule.params:
            label, unit, kind = PARAMETERS.get(key, (key, "", "int"))
            name = f"param_{key}"
            if kind in ("bool", "secretary"):
                self.fields[name] = forms.BooleanField(label=label, required=False)
            elif kind == "percent":
                self.fields[name] = forms.IntegerField(label=label, min_value=0, max_value=100, help_text=unit)
            else:
                self.fields[name] = forms.IntegerField(label=label, min_value=0, max_value=999, help_text=unit)
        self.rule = rule

    def params(self) -> dict:
        values = {}
        for key in self.rule.params:
            value = self.cleaned_data.get(f"param_{key}")
            kind = PARAMETERS.get(key, ("", "", "int"))[2]
            if kind == "percent":
                values[key] = round(value / 100, 4)
            elif kind == "secretary":
                values[key] = "secretary" if value else ""
            else:
                values[key] = value
        return values


def _rule_org(request: HttpRequest):
    """Whose settings: the organisation chosen (?org=), else the highest one the login manages; None for a system
    administrator without a choice, who edits the defaults every organisation starts from."""
    chosen = access.chosen_org(request)
    if chosen is not None:
        return chosen
    if access.sees_everything(request.user):
        return None
    return access.top_org(access.managed_orgs(request.user))


def rule_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        access.not_found()
    org = _rule_org(request)
    rules = list(Rule.objects.order_by("area", "key"))
    applying = settings_for(org)
    lines = [(rule, rule.spec(applying.get(rule.pk)), applying[rule.pk].enabled if rule.pk in applying else rule.enabled,
              applying.get(rule.pk)) for rule in rules]
    history = RuleSetting.history.filter(org_id__in=access.managed_orgs(request.user).values("pk")).select_related("org")
    changes = sorted([*change_lines(Rule.history.all(), subject=lambda entry: f"默认：{entry.title}"),
                      *change_lines(history, subject=lambda entry: f"{entry.org.name}：{entry.rule.title}")],
                     key=lambda line: line.when, reverse=True)
    return render(request, "compliance/rules.html", {
        "lines": lines, "org": org, "can_edit": access.is_committee_admin(request.user), "changes": changes,
        "orgs": access.managed_orgs(request.user).exclude(kind__in=(OrgKind.GROUP,)).order_by("path"),
    })


def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.is_committee_admin(request.user):
        access.not_found()
    rule = access.get_or_404(Rule.objects.all(), pk=pk)
    org = _rule_org(request)
    setting = RuleSetting.objects.filter(org=org, rule=rule).first() if org else None
    inherited = settings_for(org).get(rule.pk) if org else None
    source = setting or inherited
    form = RuleForm(request.POST or None, rule=rule, spec=rule.spec(source),
                    enabled=source.enabled if source else rule.enabled)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("severity", "points", "enabled")}
        values["minimum"] = form.cleaned_data.get("minimum", rule.minimum)
        values["params"] = form.params()
        if org is None:  # the defaults, by a system administrator
            for name, value in values.items():
                setattr(rule, name, value)
            rule.save()
            messages.success(request, f"已保存规则“{rule.title}”的默认值")
        else:
            RuleSetting.objects.update_or_create(org=org, rule=rule, defaults=values)
            messages.success(request, f"已保存{org.name}的规则“{rule.title}”，适用于{org.name}及下级组织")
        return redirect(reverse("rule_list") + (f"?org={org.pk}" if org else ""))
    return render(request, "compliance/rule_edit.html", {"form": form, "rule": rule, "org": org})
