"""A read-only JSON API for other systems and scripts (django-ninja, session login).

It answers with the same data and the same scoping as the pages: everything is fetched
through zhibu.orgs.access, and what a login may not see is "not found".
"""

from __future__ import annotations

from datetime import date

from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from zhibu.compliance.facts import check as run_check
from zhibu.lib.params import year_or_404
from zhibu.orgs import access
from zhibu.orgs.models import Organisation
from zhibu.records.models import Activity
from zhibu.reports.documents import default_template, fill_template

# No interactive docs page: it would load its scripts from the internet. The schema stays at /api/openapi.json.
api = NinjaAPI(title="支部 zhibu API", version="1", auth=django_auth, urls_namespace="api", docs_url=None)


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    parent: str


class PersonOut(Schema):
    id: int
    name: str
    branch: str
    category: str
    posts: list[str]


class RecordOut(Schema):
    id: int
    org: str
    type: str
    date: date
    subject: str
    quantity: int
    amount: str | None


def _year(year: int) -> int:
    return year_or_404(year)


def _org(request, org_id: int) -> Organisation:
    return access.get_or_404(access.visible_orgs(request.auth), pk=org_id)


@api.get("/orgs", response=list[OrgOut], summary="可见的组织")
def orgs(request):
    visible = access.visible_orgs(request.auth).order_by("path")
    parents = visible.parent_names()
    return [OrgOut(id=o.pk, name=o.name, kind=o.kind, parent=parents[o.name]) for o in visible]


@api.get("/people", response=list[PersonOut], summary="可见的人员")
def people(request, org: int | None = None):
    found = access.visible_people(request.auth).select_related("branch").prefetch_related("posts").order_by("branch__path", "name")
    if org is not None:
        found = found.filter(branch__path__startswith=_org(request, org).path)
    return [PersonOut(id=p.pk, name=p.name, branch=p.branch.name, category=p.category, posts=p.post_names) for p in found]


@api.get("/records", response=list[RecordOut], summary="工作记录")
def records(request, org: int, year: int):
    root = access.org_for(request.auth, org)
    found = (
        Activity.objects.in_subtree(root).in_year(_year(year)).select_related("org", "type").order_by("date", "pk")
    )
    return [RecordOut(id=a.pk, org=a.org.name, type=a.type.name, date=a.date, subject=a.subject, quantity=a.quantity,
                      amount=str(a.amount) if a.amount is not None else None) for a in found]


@api.get("/check", summary="合规检查（与 zhibu check --json 相同）")
def check(request, org: int, year: int):
    root = access.org_for(request.auth, org)
    return [finding.as_json() for finding in run_check(request.auth, root, _year(year)).findings]


@api.get("/report", summary="默认模板述职报告的各处数字（与 zhibu report --format json 相同）")
def report(request, org: int, year: int):
    root = access.org_for(request.auth, org)
    return [item.as_json() for item in fill_template(request.auth, root, _year(year), default_template())]
