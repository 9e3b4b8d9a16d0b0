"""Uploading a workbook (check, preview, confirm) and downloading one."""

import os
import secrets
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.exchange.columnhelp import template_workbook
from zhibu.exchange.preview import preview_workbook
from zhibu.exchange.national import LAYOUT, roster_xlsx
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.lib.downloads import XLSX_MIME, file_download
from zhibu.lib.ledgerbook import table_workbook
from zhibu.orgs import access
from zhibu.orgs.accesslog import log_workbook_export

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
PENDING_KEY = "pending_import"
ISSUES_KEY = "import_issues"  # the last check's errors, for downloading them as a workbook
ISSUES_KEPT = 5000
ISSUE_COLUMNS = ["工作表", "行", "列", "问题", "如何修改"]
# A checked workbook waits this long for its confirmation (it may hold thousands of ID numbers), then it is deleted.
PENDING_LIFETIME = timedelta(days=1)


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "pending-imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def purge_pending_imports(now: float | None = None) -> int:
    """Delete checked workbooks nobody confirmed within PENDING_LIFETIME; returns how many."""
    directory = Path(settings.MEDIA_ROOT) / "pending-imports"
    if not directory.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - PENDING_LIFETIME.total_seconds()
    removed = 0
    for path in directory.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another process removed it first
            pass
    return removed


def _forget_pending(request) -> None:
    """Delete the login's checked-but-unconfirmed workbook, if any."""
    pending = request.session.pop(PENDING_KEY, None)
    if pending and str(pending.get("token", "")).isalnum():
        (_pending_dir() / f"{pending['token']}.xlsx").unlink(missing_ok=True)


def _manager_only(request):
    if not access.is_manager(request.user):
        access.not_found()


def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check; nothing is written. Step 2 (import_confirm) writes what was checked."""
    _manager_only(request)
    purge_pending_imports()
    context = {}
    if request.method == "POST":
        _forget_pending(request)  # a new upload replaces the one waiting for confirmation
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = "请选择要导入的 .xlsx 文件"
        elif upload.size > MAX_WORKBOOK_BYTES:
            context["error"] = f"文件太大（{upload.size // 1024 // 1024} MB），工作簿不能超过 20 MB"
        else:
            token = secrets.token_hex(16)
            path = _pending_dir() / f"{token}.xlsx"
            # Readable by the app's user only: the workbook may hold ID numbers and phone numbers.
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            with path.open("rb") as handle:
                result, preview = preview_workbook(handle, request.user, filename=upload.name)
            context.update({"result": result, "filename": upload.name, "preview": preview})
            _keep_issues(request, result, upload.name)
            if result.ok:
                request.session[PENDING_KEY] = {"token": token, "filename": upload.name}
            else:
                path.unlink(missing_ok=True)
    return render(request, "exchange/import.html", context)


def _keep_issues(request, result, filename: str) -> None:
    request.session[ISSUES_KEY] = {"filename": filename, "issues": [
        [issue.sheet, issue.row or "", issue.column or "", issue.message, issue.fix] for issue in result.issues[:ISSUES_KEPT]]}


def import_issues_download(request: HttpRequest) -> HttpResponse:
    """The errors of the last check as a workbook, to work through (or pass on) row by row."""
    _manager_only(request)
    kept = request.session.get(ISSUES_KEY)
    if not kept or not kept["issues"]:
        messages.error(request, "没有可下载的错误清单，请先上传工作簿检查")
        return redirect("import_upload")
    rows = (dict(zip(ISSUE_COLUMNS, issue)) for issue in kept["issues"])
    stem = Path(kept["filename"]).stem or "工作簿"
    return file_download(table_workbook([("错误清单", ISSUE_COLUMNS, rows)]), XLSX_MIME, f"{stem}-错误清单.xlsx")


def import_template(request: HttpRequest) -> HttpResponse:
    """A blank exchange workbook: every sheet with its column names, each name's cell noting what goes in it."""
    _manager_only(request)
    return file_download(template_workbook(), XLSX_MIME, "数据交换工作簿-空白模板.xlsx")


def _whose(user, orgs) -> str:
    """The organisations at the top of a login's part of the tree, for the file name (甲支部, 测试机关党委)."""
    if access.sees_everything(user):
        return "全部组织"
    listed = list(orgs.order_by("path").values_list("name", "depth"))
    top = min((depth for _, depth in listed), default=0)
    names = [name for name, depth in listed if depth == top]
    return "、".join(names[:3]) + ("等" if len(names) > 3 else "") if names else "无组织"


def import_confirm(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    purge_pending_imports()
    if request.method == "POST" and request.POST.get("cancel"):
        _forget_pending(request)
        messages.info(request, "已取消导入，上传的工作簿已删除")
        return redirect("import_upload")
    pending = request.session.pop(PENDING_KEY, None)
    if request.method != "POST" or not pending:
        messages.error(request, "没有待确认的导入，请重新上传工作簿")
        return redirect("import_upload")
    path = _pending_dir() / f"{pending['token']}.xlsx"
    if not path.exists():
        messages.error(request, "待导入的文件已失效，请重新上传")
        return redirect("import_upload")
    with path.open("rb") as handle:
        # Checked again inside the writing transaction: the data may have changed since the preview.
        result = import_workbook(handle, request.user, filename=pending["filename"])
    path.unlink(missing_ok=True)
    if result.ok:
        summary = "；".join(f"{sheet}：{s}" for sheet, s in result.summaries.items())
        messages.success(request, f"已导入“{pending['filename']}”。{summary}")
        return redirect("org_tree")
    return render(request, "exchange/import.html", {"result": result, "filename": pending["filename"]})


def export_download(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    orgs = access.visible_orgs(request.user)
    root = access.chosen_org(request)
    if root:
        orgs, name = orgs.subtree_of(root), root.name
    else:
        orgs = access.managed_orgs(request.user)
        name = _whose(request.user, orgs)
    # Full ID-card and mobile numbers only to those who may see them; anyone may choose the masked workbook.
    masked = request.GET.get("masked") == "1" or not access.may_export_personal_data(request.user, orgs)
    if request.GET.get("layout") == LAYOUT:
        filename = f"{name}-{LAYOUT}-{date.today():%Y%m%d}{'-号码已隐去' if masked else ''}.xlsx"
        content = roster_xlsx(request.user, orgs, masked=masked)
        log_workbook_export(request.user, orgs, masked=masked, what=f"{LAYOUT}名册")
        return file_download(content, XLSX_MIME, filename)
    filename = f"{name}-数据交换-{date.today():%Y%m%d}{'-号码已隐去' if masked else ''}.xlsx"
    content = export_workbook(request.user, orgs, masked=masked)
    log_workbook_export(request.user, orgs, masked=masked)
    return file_download(content, XLSX_MIME, filename)
