"""The report builder: pick a year and a template, see every figure with its records, fill the rest, download."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.lib.params import year_param
from zhibu.lib.downloads import DOCX_MIME, file_download
from zhibu.lib.officialdoc import document_to_bytes
from zhibu.lib.params import ids_param
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.records.models import Activity
from zhibu.reports.compute import FigureEvaluator, Unanswerable
from zhibu.reports.consistency import compare_written_report
from zhibu.reports.metric_catalogue import parse_metric
from zhibu.reports.documents import (
    fill_template,
    DEFAULT_TEMPLATE_NAME,
    Template,
    TemplateError,
    DEFAULT_TITLE,
    default_template,
    report_title,
    signature_lines,
    read_template,
    report_docx,
    text_to_official_document,
    with_claim,
)
from zhibu.reports.models import ReportDraft
from zhibu.reports.problems import (
    draft_problems,
    problems_paragraph,
    replace_problems_section,
)
from zhibu.reports.rectification import previous_year_claim


def _org_and_year(request: HttpRequest):
    """The organisation (managed by the user; default their highest) and the year (default last year)."""
    source = request.POST if request.method == "POST" else request.GET
    org = access.chosen_or_top_org(request, access.managed_orgs(request.user).exclude(kind=OrgKind.GROUP), params=source)
    year = year_param(source.get("year"), date.today().year - 1)
    return org, year


def _draft(org, year) -> ReportDraft:
    return ReportDraft.objects.filter(org=org, year=year).first() or ReportDraft(org=org, year=year)


def _template(draft: ReportDraft) -> Template:
    if draft.template_name and draft.template_data:
        try:
            return read_template(draft.template_name, bytes(draft.template_data))
        except TemplateError:
            # A template stored before today's limits existed that no longer passes them: the report still answers.
            pass
    return default_template()


def _report(actor, org, year):
    """The draft, its template (the rectification claim settled, section 二 replaced when the user wrote one),
    its filled placeholders and the claim."""
    draft = _draft(org, year)
    claim = previous_year_claim(actor, org, year, typed=draft.claim_text())
    template = with_claim(_template(draft), claim)
    if draft.problems_text.strip() and not template.is_docx:
        template = Template(template.name, replace_problems_section(template.text, draft.problems_text))
    filled = fill_template(actor, org, year, template, manual=draft.manual())
    return draft, template, filled, claim


def _paragraphs(text: str, filled, claim=None, typed_claim: str = "") -> list[list[tuple[str, object]]]:
    """The template as paragraphs of segments: ("text", str), ("figure", FilledPlaceholder) or ("claim", what
    the user typed for the rectification claim no 问题清单 item backs)."""
    marker = claim.replacement if claim is not None and claim.replacement and not claim.rate.total else None
    paragraphs: list[list] = [[]]
    position = 0

    def add_text(chunk: str):
        lines = chunk.split("\n")
        for number, line in enumerate(lines):
            if number:
                paragraphs.append([])
            # The rectification claim no record backs is a 【待填】 the template did not mask: it gets an input.
            for part_number, part in enumerate(line.split(marker) if marker else [line]):
                if part_number:
                    paragraphs[-1].append(("text", "整改情况"))
                    paragraphs[-1].append(("claim", typed_claim))
                if part:
                    paragraphs[-1].append(("text", part))

    for item in filled:
        add_text(text[position:item.placeholder.start])
        paragraphs[-1].append(("figure", item))
        position = item.placeholder.end
    add_text(text[position:])
    return [paragraph for paragraph in paragraphs if paragraph]


def _titled(paragraphs, org):
    """The default title as the reporting organisation is called (a committee's report is not a branch's)."""
    if paragraphs and paragraphs[0] and paragraphs[0][0] == ("text", DEFAULT_TITLE):
        paragraphs[0][0] = ("text", report_title(org.kind))
    return paragraphs


def builder(request: HttpRequest) -> HttpResponse:
    org, year = _org_and_year(request)
    draft, template, filled, claim = _report(request.user, org, year)
    waiting = [item for item in filled if item.status != "filled"]
    context = {
        "org": org,
        "year": year,
        "years": range(date.today().year, date.today().year - 6, -1),
        "org_choices": access.managed_orgs(request.user).exclude(kind=OrgKind.GROUP).order_by("path"),
        "draft": draft,
        "template_name": template.name,
        "is_default": template.name == DEFAULT_TEMPLATE_NAME,
        "paragraphs": _titled(_paragraphs(template.text, filled, claim, draft.claim_text()), org),
        "signature": signature_lines(request.user, org),
        "claim": claim,
        "filled_count": len(filled) - len(waiting),
        "waiting": waiting,
        "problems": draft_problems(request.user, org, year),
    }
    context["problems_draft"] = problems_paragraph(context["problems"])
    if request.htmx:
        return render(request, "reports/_paper.html", context)
    return render(request, "reports/builder.html", context)


@require_POST
def save_values(request: HttpRequest) -> HttpResponse:
    """Keep what the user typed for the 【待填】 places (per organisation and year)."""
    org, year = _org_and_year(request)
    draft = _draft(org, year)
    values = dict(draft.manual_values)
    for key, value in request.POST.items():
        if key.startswith("value_") and key[6:].isdigit():
            values[key[6:]] = value.strip()
    if "claim_text" in request.POST:
        values["claim"] = request.POST["claim_text"].strip()
    draft.manual_values = {index: value for index, value in values.items() if value}
    if "problems_text" in request.POST:
        draft.problems_text = request.POST["problems_text"].strip()
    draft.updated_by = request.user
    draft.save()
    messages.success(request, "已保存草稿")
    return redirect(f"{_builder_url(org, year)}")


@require_POST
def upload_template(request: HttpRequest) -> HttpResponse:
    org, year = _org_and_year(request)
    draft = _draft(org, year)
    if request.POST.get("reset"):
        draft.template_name, draft.template_data, draft.manual_values = "", None, {}
        draft.save()
        messages.success(request, "已改用默认模板")
        return redirect(_builder_url(org, year))
    upload = request.FILES.get("template")
    if upload is None:
        messages.error(request, "请选择模板文件（.docx 或 .txt）")
        return redirect(_builder_url(org, year))
    data = upload.read()
    try:
        read_template(upload.name, data)
    except TemplateError as error:
        messages.error(request, str(error))
        return redirect(_builder_url(org, year))
    # Typed values belong to the placeholders of the old template; a new template starts clean.
    draft.template_name, draft.template_data, draft.manual_values = upload.name, data, {}
    draft.updated_by = request.user
    draft.save()
    messages.success(request, f"已使用模板“{upload.name}”")
    return redirect(_builder_url(org, year))


def report_file(actor, org, year: int) -> tuple[str, bytes]:
    """The organisation's report of the year as the builder would download it: (file name, .docx)."""
    _, template, filled, claim = _report(actor, org, year)
    return f"{org.name}{year}年度述职报告.docx", report_docx(actor, template, filled, claim, org)


def download(request: HttpRequest) -> HttpResponse:
    org, year = _org_and_year(request)
    filename, content = report_file(request.user, org, year)
    return file_download(content, DOCX_MIME, filename)


def default_template_docx(request: HttpRequest) -> HttpResponse:
    """The default template as a Word file the user can edit and upload again."""
    if not access.is_manager(request.user):
        access.not_found()
    document = text_to_official_document(default_template().text)
    return file_download(document_to_bytes(document), DOCX_MIME, "述职报告默认模板.docx")


def compare(request: HttpRequest) -> HttpResponse:
    """Check a report written by hand: each figure agrees with the records or not."""
    org, year = _org_and_year(request)
    context = {"org": org, "year": year, "org_choices": access.managed_orgs(request.user).exclude(kind=OrgKind.GROUP).order_by("path"),
               "years": range(date.today().year, date.today().year - 6, -1)}
    if request.method == "POST":
        upload = request.FILES.get("report")
        if upload is None:
            context["error"] = "请选择已写好的报告（.docx 或 .txt）"
        else:
            try:
                written = read_template(upload.name, upload.read())
            except TemplateError as error:
                context["error"] = str(error)
            else:
                context["comparisons"] = compare_written_report(request.user, org, year, written.text, docx=written.docx)
                context["filename"] = upload.name
    return render(request, "reports/compare.html", context)


def evidence(request: HttpRequest) -> HttpResponse:
    """The records behind one figure."""
    if request.GET.get("metric"):  # a figure over many records: counted again (templatetags/evidence.py)
        ids = _metric_evidence(request)
    else:
        ids = ids_param(request.GET.get("ids"))
    records = access.scope_to_orgs(request.user, Activity.objects.filter(pk__in=ids), manage=True)
    return render(request, "reports/evidence.html", {
        "records": records.select_related("org", "type").order_by("date"), "label": request.GET.get("label", ""),
    })


def _metric_evidence(request: HttpRequest) -> list[int]:
    """The record ids behind one metric of a report of an organisation the login manages (404 outside it)."""
    org = access.chosen_org(request, access.managed_orgs(request.user))
    year = year_param(request.GET.get("year"))
    try:
        metric = parse_metric(request.GET["metric"])
    except KeyError:
        access.not_found()
    if org is None or year is None:
        access.not_found()
    try:
        return list(FigureEvaluator(request.user, org, year, earliest=metric.since).evaluate(metric).evidence)
    except Unanswerable:
        return []


def _builder_url(org, year) -> str:
    from django.urls import reverse

    return f"{reverse('report_builder')}?org={org.pk}&year={year}"
