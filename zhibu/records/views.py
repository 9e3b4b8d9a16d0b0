"""Pages for records of work. Every lookup goes through zhibu.orgs.access; records are for managers
(a branch's records list other members' attendance), and a member sees only their own attendance."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.lib.downloads import file_download
from zhibu.lib.params import MAX_ID, year_param, small_int_param
from zhibu.lib.strokes import stroke_key
from zhibu.orgs import access
from zhibu.orgs.models import MEMBER_CATEGORIES, OrgKind
from zhibu.records.attendance import Tally, figures, member_year, tally
from zhibu.records.forms import ActivityForm, ActivityTypeForm, AttachmentForm, Roll
from zhibu.lib.history import change_lines, who as history_who
from zhibu.records.ledger_registry import LEDGERS, LedgerError
from zhibu.records.signin_views import panel_context as signin_panel
from zhibu.records.models import (
    Activity,
    ActivityType,
    Attachment,
    Attendance,
    Status,
    Tag,
)

RECORDS_PER_PAGE = 50
STATUS_ORDER = {status: rank for rank, status in enumerate(Status.values)}


def _manager_only(request) -> None:
    if not access.is_manager(request.user):
        access.not_found()


def _managed_records(user):
    return access.scope_to_orgs(user, Activity.objects.all(), manage=True)


def _int(value, default=None):
    """An id, month or count from the query string; anything else (letters, huge numbers) is ignored."""
    number = small_int_param(value, None, maximum=MAX_ID, digits=19)
    return default if number is None else number


def _years(user, today: date) -> list[int]:
    """The years offered in the year choices: from the earliest record this login may see to next year."""
    first = _managed_records(user).order_by("date").values_list("date__year", flat=True).first() or today.year
    return list(range(today.year + 1, min(first, today.year - 1) - 1, -1))


def _org_choices(user, *, groups: bool = True, committees_only: bool = False) -> list[tuple[int, str]]:
    """(id, name indented by depth) of the organisations the user manages, in tree order."""
    orgs = access.managed_orgs(user).order_by("path")
    if not groups:
        orgs = orgs.exclude(kind=OrgKind.GROUP)
    if committees_only:
        orgs = orgs.exclude(kind__in=(OrgKind.BRANCH, OrgKind.GROUP))
    top = min((org.depth for org in orgs), default=1)
    return [(org.pk, "　" * (org.depth - top) + org.name) for org in orgs]


def _chosen_org(request):
    """The organisation picked in a filter (404 for one the user does not manage)."""
    return access.chosen_org(request)


def activity_list(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    records = _managed_records(request.user).select_related("org", "type", "chair").prefetch_related("tags")
    org = _chosen_org(request)
    if org:
        records = records.in_subtree(org)
    type_id = _int(request.GET.get("type"))
    if type_id:
        records = records.filter(type_id=type_id)
    year, month = year_param(request.GET.get("year")), _int(request.GET.get("month"))
    if year:
        records = records.in_year(year)
        if month and 1 <= month <= 12:
            records = records.filter(date__month=month)
    tag = request.GET.get("tag", "").strip()
    if tag:
        records = records.tagged(tag)
    query = request.GET.get("q", "").strip()
    if query:
        records = records.filter(subject__contains=query)
    page = Paginator(records.order_by("-date", "-start_time", "-pk"), RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": request.GET,
        "orgs": _org_choices(request.user),
        "types": ActivityType.objects.all(),
        "years": _years(request.user, date.today()),
        "months": range(1, 13),
        "tags": Tag.objects.filter(activities__in=_managed_records(request.user)).distinct(),
    }
    return render(request, "records/_rows.html" if request.htmx else "records/list.html", context)


def activity_calendar(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    today = date.today()
    year = year_param(request.GET.get("year"))
    month = _int(request.GET.get("month"), today.month)
    if year is None or not 1 <= month <= 12:
        year, month = today.year, today.month
    records = _managed_records(request.user).filter(date__year=year, date__month=month).select_related("org", "type")
    org = _chosen_org(request)
    if org:
        records = records.in_subtree(org)
    by_day: dict[date, list[Activity]] = {}
    for record in records.order_by("date", "start_time", "pk"):
        by_day.setdefault(record.date, []).append(record)
    weeks = [[(day, by_day.get(day, [])) for day in week] for week in calendar.Calendar().monthdatescalendar(year, month)]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(request, "records/calendar.html", {
        "weeks": weeks, "year": year, "month": month, "today": today, "org": org,
        "orgs": _org_choices(request.user),
        "previous": previous, "following": following, "weekdays": "一二三四五六日",
    })


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_or_404(
        _managed_records(request.user).select_related("org", "type", "chair", "recorder", "lecturer").prefetch_related(
            "tags", "attendance__person", "attachments"), pk=pk)
    return render(request, "records/detail.html", {
        "activity": activity,
        "figures": figures(activity),
        "roll": sorted(activity.attendance.all(), key=lambda row: (STATUS_ORDER[row.status], stroke_key(row.person.name))),
        "attachment_form": AttachmentForm(),
        "history": history_lines(activity)[:50],
        "sign_in": LEDGERS["qiandao"],
        **signin_panel(activity, request),
    })


@dataclass
class HistoryLine:
    when: datetime
    who: str
    what: str
    text: str


def history_lines(activity: Activity) -> list[HistoryLine]:
    """Who changed what and when, newest first. Roll changes saved together (one form, one import) are one line."""
    lines = []
    for entry in activity.history.select_related("history_user"):
        lines.append(HistoryLine(entry.history_date, _who(entry), "记录", _record_change(entry)))
    batches: dict[tuple, list] = defaultdict(list)
    for entry in Attendance.history.filter(activity_id=activity.pk).select_related("history_user", "person"):
        batches[(entry.history_date.replace(second=0, microsecond=0), entry.history_user_id, entry.history_type)].append(entry)
    for (when, _user, kind), entries in batches.items():
        lines.append(HistoryLine(entries[0].history_date, _who(entries[0]), "出席情况", _roll_change(kind, entries)))
    for entry in Attachment.history.filter(activity_id=activity.pk).select_related("history_user"):
        if entry.history_type in "+-":
            verb = "上传" if entry.history_type == "+" else "删除"
            lines.append(HistoryLine(entry.history_date, _who(entry), "附件", f"{verb}“{entry.original_name}”"))
    return sorted(lines, key=lambda line: line.when, reverse=True)


def _who(entry) -> str:
    return history_who(entry)


def _record_change(entry) -> str:
    if entry.history_type != "~":
        return {"+": "新建", "-": "删除"}[entry.history_type]
    previous = entry.prev_record
    changed = entry.diff_against(previous).changed_fields if previous else []
    names = [str(Activity._meta.get_field(name).verbose_name) for name in changed]
    return "修改 " + "、".join(names) if names else "保存（无变化）"


def _roll_change(kind: str, entries) -> str:
    if kind == "+":
        counts = {status: sum(1 for entry in entries if entry.status == status) for status in Status.values}
        return "登记 " + "、".join(f"{status} {n} 人" for status, n in counts.items() if n)
    if kind == "-":
        return "移出名单：" + "、".join(entry.person.name for entry in entries)
    changes = []
    for entry in entries:
        previous = entry.prev_record
        before = f"{previous.status}{'（' + previous.reason + '）' if previous and previous.reason else ''}" if previous else "—"
        changes.append(f"{entry.person.name} {before} → {entry.status}{'（' + entry.reason + '）' if entry.reason else ''}")
    return "；".join(changes)


def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _manager_only(request)
    activity = access.get_or_404(_managed_records(request.user), pk=pk) if pk else Activity()
    initial = {}
    if not pk:
        initial["org"] = _chosen_org(request) or _only_org(request.user)
        initial["date"] = date.today()
        initial["type"] = ActivityType.objects.filter(pk=_int(request.GET.get("type"))).first()
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, initial=initial)
    org, activity_type, day = _roll_inputs(form, activity, initial)
    roll = Roll(org, activity_type, day, activity, data=request.POST if request.method == "POST" else None,
                preselected=_preselected(request))
    questions = []
    if request.method == "POST" and form.is_valid() and roll.is_valid():
        questions = [] if request.POST.get("confirm_unusual") == "1" else unusual_figures(form, roll)
    if request.method == "POST" and not questions and form.is_valid() and roll.is_valid():
        with transaction.atomic():
            activity = form.save()
            roll.save(activity)
        messages.success(request, f"已保存“{activity}”")
        return redirect("activity_detail", pk=activity.pk)
    return render(request, "records/edit.html", {"form": form, "roll": roll, "activity": activity if pk else None,
                                                 "questions": questions})


def unusual_figures(form: ActivityForm, roll: Roll) -> list[str]:
    """Figures that look wrong, asked about before saving: a 金额 over the threshold, more listed than are due."""
    from django.conf import settings

    questions = []
    amount = form.cleaned_data.get("amount")
    if amount is not None and amount > settings.AMOUNT_CONFIRM_ABOVE:
        questions.append(f"金额 {amount} 元超过 {settings.AMOUNT_CONFIRM_ABOVE} 元，请核对是否多输了位数")
    if roll.applies and roll.due_count and roll.listed_count() > roll.due_count:
        questions.append(f"名单登记了 {roll.listed_count()} 人，比应到的 {roll.due_count} 人还多，请核对是否把其他人员也列入了")
    return questions


def _only_org(user):
    """The one branch (or committee) a login manages, leaving aside its 党小组: nothing to choose then."""
    orgs = list(access.managed_orgs(user).exclude(kind=OrgKind.GROUP)[:2])
    return orgs[0] if len(orgs) == 1 else None


def _preselected(request) -> frozenset[int]:
    """People a link asks a new record to list as present (?people=1,2): the roll shows only those it may."""
    return frozenset(int(part) for part in request.GET.get("people", "").split(",") if part.isdigit())


def _roll_inputs(form: ActivityForm, activity: Activity, initial: dict):
    """Organisation, type and day the roll is drawn for: as posted, else as stored, else the form's initial."""
    def field_value(name):
        bound = form[name]
        try:
            return form.fields[name].clean(bound.value())
        except ValidationError:  # the form reports it; the roll just has nothing to draw from
            return None

    if form.is_bound:
        return field_value("org"), field_value("type"), field_value("date")
    if activity.pk:
        return activity.org, activity.type, activity.date
    return initial.get("org"), initial.get("type"), initial.get("date")


def roll_part(request: HttpRequest) -> HttpResponse:
    """The roll for the organisation, type and day chosen so far (htmx swaps it in as the form changes)."""
    _manager_only(request)
    form = ActivityForm(request.GET, user=request.user)
    activity = _managed_records(request.user).filter(pk=_int(request.GET.get("activity"))).first() or Activity()
    org, activity_type, day = _roll_inputs(form, activity, {})
    return render(request, "records/_roll.html", {"roll": Roll(org, activity_type, day, activity, preselected=_preselected(request))})


@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_or_404(_managed_records(request.user), pk=pk)
    label = str(activity)
    with transaction.atomic():
        for attachment in activity.attachments.all():
            attachment.delete()
        activity.delete()
    messages.success(request, f"已删除“{label}”")
    return redirect("activity_list")


@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.get_or_404(_managed_records(request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = form.cleaned_data["file"]
        with transaction.atomic():
            for upload, kind in zip(uploads, form.kinds):
                Attachment.objects.create(
                    activity=activity, file=upload, original_name=Path(upload.name).name[:200],
                    content_type=kind.mime, size=upload.size, uploaded_by=request.user,
                )
        names = "、".join(f"“{Path(upload.name).name}”" for upload in uploads)
        messages.success(request, f"已上传 {len(uploads)} 个附件：{names}" if len(uploads) > 1 else f"已上传附件{names}")
    else:
        messages.error(request, "附件未上传：" + "；".join(form.errors.get("file", ["请选择文件"])))
    return redirect("activity_detail", pk=activity.pk)


def _managed_attachment(request, pk: int) -> Attachment:
    attachments = Attachment.objects.filter(activity__in=_managed_records(request.user)).select_related("activity")
    return access.get_or_404(attachments, pk=pk)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Always a download, never shown inline: an uploaded file must not run as a page of this site."""
    attachment = _managed_attachment(request, pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """An image attachment shown small on the record page: only a kind checked to be an image at upload,
    sent with its own type, no sniffing and a sandbox, so it can only ever be drawn as a picture."""
    attachment = _managed_attachment(request, pk)
    if not attachment.is_image:
        return access.not_found()
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _managed_attachment(request, pk)
    activity_pk, name = attachment.activity_id, attachment.original_name
    attachment.delete()
    messages.success(request, f"已删除附件“{name}”")
    return redirect("activity_detail", pk=activity_pk)


def attendance_year(request: HttpRequest) -> HttpResponse:
    """Each member of a branch: records of the year they were due at, present, on leave, absent, rate."""
    _manager_only(request)
    today = date.today()
    branches = access.managed_orgs(request.user).filter(kind=OrgKind.BRANCH).order_by("path")
    branch = access.chosen_org(request, branches) or access.top_org(branches)
    year = year_param(request.GET.get("year"), today.year, today=today)
    lines = member_year(branch, year) if branch else []
    return render(request, "records/attendance.html", {
        "branches": branches, "branch": branch, "year": year, "years": _years(request.user, today), "lines": lines,
    })


def my_attendance(request: HttpRequest) -> HttpResponse:
    """A member's own attendance: the records they were listed on, and their figures for the year."""
    person = access.own_person(request.user)
    if person is None:
        return access.not_found()
    today = date.today()
    year = year_param(request.GET.get("year"), today.year, today=today)
    rows = (Attendance.objects.filter(person=person, activity__date__year=year)
            .select_related("activity__type", "activity__org").order_by("-activity__date"))
    due_records = Activity.objects.in_subtree(person.branch).in_year(year).held(today)
    mine = tally(due_records).get(person.pk, Tally()) if person.category in MEMBER_CATEGORIES else Tally()
    return render(request, "records/mine.html", {"person": person, "rows": rows, "tally": mine, "year": year,
                                                 "years": _years(request.user, today)})


def _committee_admin_only(request) -> None:
    if not access.is_committee_admin(request.user):
        access.not_found()


def type_list(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    return render(request, "records/types.html", {
        "types": ActivityType.objects.all(), "can_edit": access.is_committee_admin(request.user),
        "changes": change_lines(ActivityType.history.all(), subject=lambda entry: entry.name),
    })


def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _committee_admin_only(request)
    activity_type = access.get_or_404(ActivityType.objects.all(), pk=pk) if pk else ActivityType()
    form = ActivityTypeForm(request.POST or None, instance=activity_type)
    if request.method == "POST" and form.is_valid():
        activity_type = form.save()
        messages.success(request, f"已保存活动类型“{activity_type.name}”")
        return redirect("type_list")
    return render(request, "records/type_edit.html", {"form": form, "activity_type": activity_type if pk else None})


def ledger_page(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    today = date.today()
    committees = access.manages_committee(request.user)
    planned = _managed_records(request.user).planned(today).select_related("org", "type").order_by("date")[:20]
    return render(request, "records/ledgers.html", {
        "ledgers": [ledger for ledger in LEDGERS.values() if not ledger.needs_activity
                    and (committees or not ledger.for_committees)],
        "committee_orgs": _org_choices(request.user, groups=False, committees_only=True) if committees else [],
        "sign_in": LEDGERS["qiandao"],
        "orgs": _org_choices(request.user, groups=False),
        "years": _years(request.user, today), "year": today.year, "planned": planned,
    })


def ledger_download(request: HttpRequest, identifier: str) -> HttpResponse:
    _manager_only(request)
    ledger = LEDGERS.get(identifier) or access.not_found()
    activity = None
    if ledger.needs_activity:
        activity = access.get_or_404(_managed_records(request.user).select_related("org"), pk=request.GET.get("activity"))
        org, year = activity.org, activity.date.year
    else:
        org = access.get_or_404(access.managed_orgs(request.user), pk=request.GET.get("org"))
        year = year_param(request.GET.get("year"))
        if year is None:
            return access.not_found()
    try:
        filename, mimetype, content = ledger.produce(request.user, org, year, activity=activity)
    except LedgerError as error:
        messages.error(request, str(error))
        return redirect("ledger_page")
    return file_download(content, mimetype, filename)
