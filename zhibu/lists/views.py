"""Pages for the three lists. Every lookup goes through ListItem.objects.visible_to / managed_by (built on zhibu.orgs.access).

Who may do what: managers of an item's organisation create, edit, move it through its
statuses and remove evidence; whoever may see an item (its managers and the person
who owns it) may add evidence to it, so a 责任人 can send a photo from a phone.
"""

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zhibu.lib.uploads import ACCEPTED_EXTENSIONS
from zhibu.lists import evidence as evidence_service
from zhibu.lists.forms import ListItemForm, StatusForm
from zhibu.lists.metrics import (
    previous_year_rectification_rate,
    rectification_rate,
    rectification_rates,
    rectification_statement,
)
from zhibu.lists.models import (
    BY_DEADLINE,
    Attachment,
    ListItem,
    ListKind,
    RecordLink,
    Status,
)
from zhibu.lists.workflow import allowed_transitions, change_status, status_history
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.records.ledger_registry import ledger_file_response
from zhibu.records.models import Activity


def _int(value, default: int) -> int:
    return int(value) if str(value).isdigit() else default


def _selected_org(request: HttpRequest) -> Organisation:
    """The organisation asked for (404 unless managed), or the top of what the user manages."""
    return access.chosen_or_top_org(request)


def item_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        access.chosen_org(request)  # an organisation named in the address that is not the user's: 404
        return redirect("my_items")
    today = date.today()
    org = _selected_org(request)
    year = _int(request.GET.get("year"), today.year)
    items = (
        ListItem.objects.managed_by(request.user).in_org(org).of_year(year)
        .select_related("org", "owner").with_evidence_count()
        .order_by("kind", "year", BY_DEADLINE, "id")
    )
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in ListKind.values:
        items = items.filter(kind=kind)
    if status in Status.values:
        items = items.filter(status=status)
    if request.GET.get("overdue") == "1":
        items = items.overdue(today)
    context = {
        "org": org,
        "year": year,
        "items": items,
        "today": today,
        "filters": request.GET,
        "org_choices": access.managed_orgs(request.user).order_by("path"),
        "years": range(today.year + 1, today.year - 5, -1),
        "kinds": ListKind.values,
        "statuses": Status.values,
        "rate": rectification_rate(org, year),
        "previous_rate": previous_year_rectification_rate(org, year),
    }
    context["statement"] = rectification_statement(context["previous_rate"])
    template = "lists/_item_rows.html" if request.htmx else "lists/list.html"
    return render(request, template, context)


def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk:
        item = access.get_or_404(ListItem.objects.managed_by(request.user), pk=pk)
    elif access.is_manager(request.user):
        item = ListItem()
    else:
        return access.not_found()
    initial = {}
    if pk is None:
        initial = {"year": _int(request.GET.get("year"), date.today().year), "kind": request.GET.get("kind") or ListKind.PROBLEM}
        initial["org"] = access.chosen_org(request)
    form = ListItemForm(request.POST or None, instance=item, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, "已保存清单事项")
        return redirect("list_item", pk=item.pk)
    return render(request, "lists/edit.html", {"form": form, "item": item if pk else None})


def _work_context(request: HttpRequest, item: ListItem, status_form: StatusForm | None = None, upload_errors=()) -> dict:
    """What the part of the item page that htmx replaces needs: status, its forms, evidence, history."""
    can_manage = ListItem.objects.managed_by(request.user).filter(pk=item.pk).exists()
    attachments = list(item.attachments.select_related("uploaded_by"))
    record_links = list(item.record_links.select_related("activity__type", "activity__org"))
    return {
        "item": item,
        "today": date.today(),
        "can_manage": can_manage,
        "transitions": allowed_transitions(item) if can_manage else (),
        "status_form": status_form or StatusForm(initial={"completed_on": date.today()}),
        "attachments": attachments,
        "can_remove_evidence": can_manage and not item.is_done,
        "record_links": record_links,
        "linkable_records": _linkable_records(request.user, item) if can_manage else (),
        "upload_errors": upload_errors,
        "accepted_extensions": ",".join(ACCEPTED_EXTENSIONS),
        "history": status_history(item),
        "overdue_days": (date.today() - item.deadline).days if item.is_overdue() else 0,
    }


def _render_work(request: HttpRequest, item: ListItem, **extra) -> HttpResponse:
    context = _work_context(request, item, **extra)
    if request.htmx:
        return render(request, "lists/_item_work.html", context)
    return render(request, "lists/detail.html", context)


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_or_404(ListItem.objects.visible_to(request.user).select_related("org", "owner"), pk=pk)
    return render(request, "lists/detail.html", _work_context(request, item))


@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_or_404(ListItem.objects.managed_by(request.user).select_related("org", "owner"), pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = change_status(item, data["to"], on=data["completed_on"], note=data["completion_note"], reason=data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"状态已改为“{item.status}”")
            if not request.htmx:
                return redirect("list_item", pk=item.pk)
            form = None
    return _render_work(request, item, status_form=form)


def _change_evidence(request: HttpRequest, item: ListItem, change, done: str) -> HttpResponse:
    """Add or remove evidence; answer with the updated part (htmx) or the page, any problem shown in place."""
    try:
        change()
    except evidence_service.EvidenceError as error:
        return _render_work(request, item, upload_errors=error.problems)
    messages.success(request, done)
    if not request.htmx:
        return redirect("list_item", pk=item.pk)
    return _render_work(request, item)


@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_or_404(ListItem.objects.visible_to(request.user).select_related("org", "owner"), pk=pk)
    uploads = request.FILES.getlist("files")
    return _change_evidence(request, item, lambda: evidence_service.attach_files(item, uploads, user=request.user),
                            f"已上传{len(uploads)}份佐证材料")


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access.get_or_404(
        Attachment.objects.filter(item__in=ListItem.objects.visible_to(request.user)), pk=pk
    )
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.file_kind.mime)
    # Always a download, never shown inline: the browser must not interpret an uploaded file as a page.
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    return response


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_or_404(
        Attachment.objects.filter(item__in=ListItem.objects.managed_by(request.user)).select_related("item"), pk=pk
    )
    return _change_evidence(request, attachment.item, lambda: evidence_service.remove_attachment(attachment),
                            f"已删除“{attachment.name}”")


def _managed_records(user):
    return access.scope_to_orgs(user, Activity.objects.all(), "org", manage=True)


def _linkable_records(user, item: ListItem):
    """Records the user manages that may prove `item`: its branch or subtree, from the item's year on, newest first."""
    return (
        _managed_records(user)
        .held().filter(pk__in=item.linkable_records().values("pk"), date__gte=date(item.year, 1, 1))
        .exclude(list_links__item=item).select_related("type", "org").order_by("-date", "-pk")[:200]
    )


@require_POST
def record_link(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_or_404(ListItem.objects.managed_by(request.user).select_related("org", "owner"), pk=pk)
    activity = access.get_or_404(_managed_records(request.user), pk=request.POST.get("activity"))
    return _change_evidence(request, item, lambda: evidence_service.link_record(item, activity, user=request.user),
                            f"已关联工作记录“{activity}”")


@require_POST
def record_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.get_or_404(
        RecordLink.objects.filter(item__in=ListItem.objects.managed_by(request.user)).select_related("item", "activity__type"),
        pk=pk,
    )
    return _change_evidence(request, link.item, lambda: evidence_service.unlink_record(link),
                            f"已取消与“{link.activity}”的关联")


def ledger_download(request: HttpRequest) -> HttpResponse:
    """问题整改台账 of an organisation (and below) for a year, as .xlsx or .docx."""
    if not access.is_manager(request.user):
        access.not_found()
    org = _selected_org(request)
    year = _int(request.GET.get("year"), date.today().year)
    identifier = "zhenggai-word" if request.GET.get("format") == "docx" else "zhenggai"
    return ledger_file_response(request.user, identifier, org, year)


def _owner_label(item: ListItem) -> str:
    if item.owner_id:
        return f"{item.owner.name}（{item.owner.branch.name}）"
    return item.owner_text or "（未指定责任人）"


def _group_overdue(overdue: list[ListItem], branch_of) -> tuple[list[dict], list[dict]]:
    """Overdue items by owner (people told apart by id, not name) and by branch, most items first."""
    by_owner: dict[tuple, list[ListItem]] = defaultdict(list)
    by_branch: dict[Organisation, list[ListItem]] = defaultdict(list)
    for item in overdue:
        by_owner[(item.owner_id, item.owner_text)].append(item)
        by_branch[branch_of(item.org)].append(item)

    def rows(groups, label):
        return sorted(
            ({"label": label(key, items), "key": key, "items": items, "oldest": min(i.deadline for i in items)}
             for key, items in groups.items()),
            key=lambda row: (-len(row["items"]), row["oldest"]),
        )

    return rows(by_owner, lambda key, items: _owner_label(items[0])), rows(by_branch, lambda org, items: org.name)


def dashboard(request: HttpRequest) -> HttpResponse:
    """Overdue items by owner and by branch, and each branch's rectification of last year's problems."""
    if not access.is_manager(request.user):
        return redirect("my_items")
    today = date.today()
    managed = list(access.managed_orgs(request.user).order_by("path"))
    by_path = {org.path: org for org in managed}
    steplen = Organisation.steplen

    def branch_of(org: Organisation) -> Organisation:
        # A 党小组's items count for its branch; the parent is found by path, without a query per item.
        return by_path.get(org.path[:-steplen], org) if org.kind == OrgKind.GROUP else org

    overdue = list(
        ListItem.objects.managed_by(request.user).overdue(today)
        .select_related("org", "owner__branch").order_by("deadline", "id")
    )
    by_owner, by_branch = _group_overdue(overdue, branch_of)
    org_by_pk = {org.pk: org for org in managed}
    open_by_branch: dict[int, int] = defaultdict(int)
    open_counts = ListItem.objects.managed_by(request.user).open().order_by().values_list("org").annotate(n=Count("id"))
    for org_id, count in open_counts:
        open_by_branch[branch_of(org_by_pk[org_id]).pk] += count
    overdue_by_branch = {row["key"].pk: len(row["items"]) for row in by_branch}
    branches = [org for org in managed if org.kind == OrgKind.BRANCH]
    last_year_rates = rectification_rates(branches, today.year - 1, as_of=today)
    this_year_rates = rectification_rates(branches, today.year, as_of=today)
    branch_rows = [
        {
            "org": branch,
            "open": open_by_branch[branch.pk],
            "overdue": overdue_by_branch.get(branch.pk, 0),
            "last_year": last_year_rates[branch.pk],
            "statement": rectification_statement(last_year_rates[branch.pk]),
            "this_year": this_year_rates[branch.pk],
        }
        for branch in branches
    ]
    return render(request, "lists/dashboard.html", {
        "today": today, "overdue": overdue, "by_owner": by_owner, "by_branch": by_branch,
        "branch_rows": branch_rows, "last_year": today.year - 1,
    })


def my_items(request: HttpRequest) -> HttpResponse:
    """The items the logged-in person owns: open ones first (overdue on top), then the finished ones."""
    person = access.own_person(request.user)
    items = list(
        ListItem.objects.visible_to(request.user).filter(owner=person)
        .select_related("org").with_evidence_count()
    ) if person else []
    today = date.today()
    open_items = sorted((i for i in items if not i.is_done), key=lambda i: (not i.is_overdue(today), i.deadline or date.max))
    done_items = sorted((i for i in items if i.is_done), key=lambda i: i.completed_on, reverse=True)
    return render(request, "lists/mine.html", {"person": person, "open_items": open_items, "done_items": done_items, "today": today})
