"""Background jobs on the web: start one (POST), follow its progress bar (htmx polls a small fragment), download
its file. Every job is read through `access.job_for`: another login's job answers 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zhibu.jobs import service
from zhibu.jobs.models import JobKind
from zhibu.lib.params import id_param, year_param
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024


def _manager_only(request) -> None:
    if not access.is_manager(request.user):
        access.not_found()


def _chosen(request):
    """The organisation named by the form's `org`, among those the login manages (404 otherwise)."""
    return access.get_or_404(access.managed_orgs(request.user), pk=id_param(request.POST.get("org")))


def job_list(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    service.purge_finished()
    return render(request, "jobs/list.html", {"jobs": access.jobs_of(request.user)[:50],
                                              "keep_hours": int(service.KEEP_FINISHED.total_seconds() // 3600)})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.job_for(request.user, pk)
    return render(request, "jobs/detail.html", {"job": job,
                                                "keep_hours": int(service.KEEP_FINISHED.total_seconds() // 3600)})


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls every second until the job has finished."""
    return render(request, "jobs/_progress.html", {"job": access.job_for(request.user, pk)})


def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.job_for(request.user, pk)
    path = service.file_path(job)
    if path is None:
        messages.error(request, "文件已不存在：任务未完成、失败，或已超过保留时间被清理。请重新发起")
        return redirect("job_detail", pk=job.pk)
    response = FileResponse(path.open("rb"), content_type=job.mimetype or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def start_export(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    org = _chosen(request) if request.POST.get("org") else None
    masked = request.POST.get("masked") == "1"
    name = org.name if org else "全部"
    job = service.start(request.user, JobKind.EXPORT, f"数据交换工作簿（{name}{'，隐去号码' if masked else ''}）",
                        org, {"masked": masked})
    return redirect("job_detail", pk=job.pk)


@require_POST
def start_import(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的 .xlsx 文件")
        return redirect("import_upload")
    if upload.size > MAX_WORKBOOK_BYTES:
        messages.error(request, f"文件太大（{upload.size // 1024 // 1024} MB），工作簿不能超过 20 MB")
        return redirect("import_upload")
    stored = service.new_stored_name("-upload.xlsx")
    with service.private_file(stored) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    org = access.top_org(access.managed_orgs(request.user))
    if access.sees_everything(request.user):
        org = None
    job = service.start(request.user, JobKind.IMPORT, f"导入工作簿“{upload.name}”", org,
                        {"upload": stored, "filename": upload.name})
    return redirect("job_detail", pk=job.pk)


@require_POST
def start_reports(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    org = _chosen(request)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        access.not_found()
    year = year_param(request.POST.get("year"), date.today().year - 1)
    job = service.start(request.user, JobKind.REPORTS, f"{org.name}{year}年度全部支部述职报告", org, {"year": year})
    return redirect("job_detail", pk=job.pk)


@require_POST
def start_ledger(request: HttpRequest) -> HttpResponse:
    from zhibu.records.ledger_registry import LEDGERS

    _manager_only(request)
    org = _chosen(request)
    ledger = LEDGERS.get(request.POST.get("identifier", ""))
    if ledger is None or ledger.needs_activity:
        access.not_found()
    year = year_param(request.POST.get("year"), date.today().year)
    job = service.start(request.user, JobKind.LEDGER, f"{org.name}{year}年{ledger.verbose_name}", org,
                        {"identifier": ledger.identifier, "year": year})
    return redirect("job_detail", pk=job.pk)
