"""What each kind of job does: it calls the same functions as the pages and commands, with a progress callback,
and writes its file under MEDIA_ROOT/jobs/ as it goes (streamed: openpyxl write-only mode, a zip entry per
report), so memory stays flat however large the unit."""

from __future__ import annotations

import gc
import zipfile
from dataclasses import dataclass, field
from datetime import date

from zhibu.jobs.models import Job, JobKind
from zhibu.jobs.service import JobError, jobs_dir, new_stored_name, private_file
from zhibu.lib.downloads import XLSX_MIME
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind

ZIP_MIME = "application/zip"


@dataclass
class Outcome:
    filename: str = ""
    mimetype: str = ""
    stored_name: str = ""
    result: dict = field(default_factory=dict)


def _root(job: Job):
    """The job's organisation, if its owner may still manage it (a grant may have been withdrawn meanwhile)."""
    if job.org_id is None:
        return None
    root = access.managed_orgs(job.owner).filter(pk=job.org_id).first()
    if root is None:
        raise JobError("您已无权处理该组织的数据，任务未执行。如需继续，请联系上级党委管理员授权")
    return root


def export(job: Job, progress) -> Outcome:
    from zhibu.exchange.workbook import export_workbook
    from zhibu.orgs.accesslog import log_workbook_export

    root = _root(job)
    orgs = access.visible_orgs(job.owner).subtree_of(root) if root else access.managed_orgs(job.owner)
    masked = bool(job.params.get("masked")) or not access.may_export_personal_data(job.owner, orgs)
    name = root.name if root else "全部"
    content = export_workbook(job.owner, orgs, masked=masked, progress=progress)
    stored = new_stored_name(".xlsx")
    with private_file(stored) as handle:
        handle.write(content)
    log_workbook_export(job.owner, orgs, masked=masked)
    filename = f"{name}-数据交换-{date.today():%Y%m%d}{'-号码已隐去' if masked else ''}.xlsx"
    return Outcome(filename, XLSX_MIME, stored, {"organisations": orgs.count(), "masked": masked})


def reports(job: Job, progress) -> Outcome:
    """Every branch's 述职报告 of the year under the organisation, one .docx each, in one .zip."""
    from zhibu.reports.views import report_file

    root = _root(job)
    year = int(job.params["year"])
    branches = list(access.managed_orgs(job.owner).subtree_of(root).filter(kind=OrgKind.BRANCH).order_by("path"))
    if not branches:
        raise JobError(f"“{root.name}”下没有党支部，没有可下载的述职报告")
    stored = new_stored_name(".zip")
    names = []
    with private_file(stored) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, branch in enumerate(branches):
            progress(number, len(branches), f"正在生成 {branch.name} 的述职报告（{number + 1}/{len(branches)}）")
            filename, content = report_file(job.owner, branch, year)
            if filename in names:  # two branches of one name in different committees
                filename = filename.replace(".docx", f"-{branch.pk}.docx")
            names.append(filename)
            archive.writestr(filename, content)
            if number % 10 == 9:
                # A Word document's XML trees sit in reference cycles until the cyclic collector runs: collected
                # here, memory stays flat (75 MB over 400 reports instead of growing by a quarter MB each).
                gc.collect()
    return Outcome(f"{root.name}{year}年度全部支部述职报告.zip", ZIP_MIME, stored, {"reports": names})


def ledger(job: Job, progress) -> Outcome:
    from zhibu.records.ledger_registry import LEDGERS, LedgerError

    root = _root(job)
    chosen = LEDGERS.get(job.params.get("identifier", ""))
    if chosen is None or chosen.needs_activity:
        raise JobError("没有这种台账，请在台账页面重新选择")
    progress(0, 1, f"正在生成{chosen.verbose_name}")
    try:
        filename, mimetype, content = chosen.produce(job.owner, root, int(job.params["year"]))
    except LedgerError as error:
        raise JobError(str(error)) from None
    stored = new_stored_name(chosen.extension)
    with private_file(stored) as handle:
        handle.write(content)
    return Outcome(filename, mimetype, stored)


def import_(job: Job, progress) -> Outcome:
    """Check and write an uploaded workbook, all or nothing; its problems are kept on the job to be listed."""
    from zhibu.exchange.workbook import import_workbook

    upload = jobs_dir() / str(job.params.get("upload", "")).replace("/", "")
    if not upload.is_file():
        raise JobError("上传的工作簿已失效，请重新上传")
    try:
        result = import_workbook(upload, job.owner, filename=job.params.get("filename", ""), progress=progress)
    finally:
        upload.unlink(missing_ok=True)
    if result.issues:
        issues = [{"sheet": i.sheet, "row": i.row, "column": i.column, "message": i.message, "fix": i.fix}
                  for i in result.issues]
        raise JobError(f"发现 {len(issues)} 处错误，未写入任何数据。请按下表修改工作簿后重新导入", {"issues": issues})
    # A workbook may change every branch of a unit: they are judged again in the background now, rather than by the
    # committee's next page while its user waits (the refresh judges only what changed).
    from zhibu.jobs.tasks import schedule_refresh

    schedule_refresh()
    return Outcome(result={"summaries": {sheet: str(summary) for sheet, summary in result.summaries.items()}})


WORK = {JobKind.EXPORT: export, JobKind.REPORTS: reports, JobKind.LEDGER: ledger, JobKind.IMPORT: import_}
