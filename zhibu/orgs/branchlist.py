"""A committee's branches as its pages list them: searched by name, narrowed to a sub-committee, paginated.

Pages of a committee with a thousand branches show one page of them (and figures for all), so the work per
request does not grow with the number of branches."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from zhibu.lib.params import id_param
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind

BRANCHES_PER_PAGE = 30


@dataclass
class BranchPage:
    page: Page
    query: str
    within: Organisation | None
    sub_committees: QuerySet
    total: int

    @property
    def branches(self) -> list[Organisation]:
        return list(self.page.object_list)


def paginated_branches(request, branches: QuerySet, per_page: int = BRANCHES_PER_PAGE) -> BranchPage:
    """`branches` (a queryset of 党支部) filtered by `?q=` (name contains), `?within=` (a managed organisation
    above branches, 404 outside the login's scope; a value that is no id is ignored) and paginated by `?page=`."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]  # a NUL byte is no name (PostgreSQL refuses it)
    sub_committees = access.managed_orgs(request.user).exclude(kind__in=[OrgKind.BRANCH, OrgKind.GROUP]).order_by("path")
    within = None
    value = id_param(request.GET.get("within"))  # not an id (letters, NUL, huge): ignored, as every page does
    if value:
        within = access.get_or_404(sub_committees, pk=value)
        branches = branches.filter(path__startswith=within.path)
    if query:
        branches = branches.filter(name__contains=query)
    paginator = Paginator(branches.order_by("path"), per_page)
    page = paginator.get_page(request.GET.get("page"))
    return BranchPage(page, query, within, sub_committees, paginator.count)
