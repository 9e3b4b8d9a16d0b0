"""Report templates in and filled reports out: plain text, JSON and Word.

A template is text (the default one, or an uploaded .txt) or a Word file. In a Word file
the placeholders are read from the paragraphs' joined text and replaced in the runs, so the
user's own formatting stays.
"""

from __future__ import annotations

import io
import zipfile
import json
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError

from zhibu.lib.uploads import UploadError, check_office_package
from zhibu.lib.officialdoc import (
    body,
    body_with_heading,
    build_official_document,
    document_to_bytes,
    heading1,
    mark_placeholders,
    signature,
)
from zhibu.reports.fill import TO_FILL, FilledPlaceholder, fill_placeholders, filled_text
from zhibu.reports.rectification import Claim, apply_to_docx, apply_to_text
from zhibu.reports.template_reader import (
    find_placeholders_in_docx,
    iter_docx_paragraph_texts,
    replace_placeholders_in_docx,
)
from zhibu.reports.vocabulary import Vocabulary

DEFAULT_TEMPLATE = Path(__file__).with_name("default_template.txt")
DEFAULT_TEMPLATE_NAME = "默认模板"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）[^。]*。")


class TemplateError(ValueError):
    """A template that cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    docx: bytes | None = None  # the original Word file, filled in place

    @property
    def is_docx(self) -> bool:
        return self.docx is not None


def default_template() -> Template:
    return Template(DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE.read_text(encoding="utf-8"))


def read_template(name: str, data: bytes) -> Template:
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError("模板文件超过 5 MB，请删去图片等内容后再上传")
    lower = name.lower()
    if lower.endswith(".docx"):
        try:
            # Unpacked size, parts and entity declarations first: a small file can expand to gigabytes.
            check_office_package(io.BytesIO(data), name, workbook=False)
        except UploadError as error:
            raise TemplateError(str(error)) from None
        try:
            document = Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise TemplateError(f"“{name}”不是有效的 Word（.docx）文件，请用 Word 或 WPS 另存为 .docx 后再上传") from None
        return Template(name, "\n".join(iter_docx_paragraph_texts(document)), data)
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return Template(name, data.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise TemplateError(f"无法识别“{name}”的文字编码，请另存为 UTF-8 编码的文本文件")
    raise TemplateError(f"不支持的模板格式“{name}”，请上传 .docx 或 .txt 文件（旧版 .doc 请先另存为 .docx）")


def fill_template(actor, org, year: int, template: Template, manual: dict[int, str] | None = None, *,
                  today=None) -> list[FilledPlaceholder]:
    """The one reading of a template used by the builder, the check, `zhibu report` and the API, for an
    organisation the actor manages (404 otherwise): a Word file's table cells are read with their row and
    column headings."""
    placeholders = None
    if template.is_docx:
        placeholders = find_placeholders_in_docx(Document(io.BytesIO(template.docx)), Vocabulary.from_database())
    return fill_placeholders(actor, org, year, template.text, manual, today=today, placeholders=placeholders)


def with_claim(template: Template, claim: Claim) -> Template:
    """A text template with the "已整改完成" claim settled before its placeholders are filled.

    Word templates keep their runs; report_docx settles the claim in them after filling.
    """
    return template if template.is_docx else Template(template.name, apply_to_text(template.text, claim))


DEFAULT_TITLE = "支部书记抓基层党建工作述职报告"
SIGNED_BY = "述职人："


def report_title(kind: str) -> str:
    """The title as the kind of organisation reporting is called: a committee's report is its 书记's, not a
    branch's."""
    from zhibu.orgs.models import OrgKind

    if kind in (OrgKind.BRANCH, OrgKind.GROUP):
        return DEFAULT_TITLE
    return f"{kind}书记抓基层党建工作述职报告"


def signature_lines(actor, org, today=None) -> list[str]:
    """落款: who reports (the branch's 书记 on record, else 【待填】), their post, the date; for an organisation the
    actor manages (404 otherwise)."""
    from datetime import date

    from zhibu.orgs import access
    from zhibu.orgs.models import OrgKind, Person, Post

    today = today or date.today()
    if org is None:
        return []
    org = access.org_for(actor, org.pk)
    name = ""
    if org.kind == OrgKind.BRANCH:
        secretary = Person.objects.filter(branch=org, posts__post=Post.SECRETARY).on_roll().order_by("pk").first()
        name = secretary.name if secretary else ""
    post = f"{org.name}书记"
    return [f"{SIGNED_BY}{name or TO_FILL}", f"职务：{post}", f"{today.year}年{today.month}月{today.day}日"]


def _for_org(text: str, org) -> str:
    """The default template's title made the organisation's own."""
    if org is not None and text.startswith(DEFAULT_TITLE):
        return report_title(org.kind) + text[len(DEFAULT_TITLE):]
    return text


def report_text(actor, template: Template, filled: list[FilledPlaceholder], org=None, today=None) -> str:
    """The filled text; with `org` (one the actor manages) titled and signed as that organisation's."""
    text = _for_org(filled_text(template.text, filled), org)
    if org is not None and SIGNED_BY not in text[-200:]:  # every report ends with its signature block
        text = text.rstrip("\n") + "\n\n" + "\n".join(signature_lines(actor, org, today)) + "\n"
    return text


def report_json(filled: list[FilledPlaceholder]) -> str:
    return json.dumps([item.as_json() for item in filled], ensure_ascii=False, indent=2)


def report_docx(actor, template: Template, filled: list[FilledPlaceholder], claim: Claim | None = None, org=None,
                today=None) -> bytes:
    """The filled report as .docx; with `org` (one the actor manages) signed as that organisation's."""
    if template.is_docx:
        document = Document(io.BytesIO(template.docx))
        replace_placeholders_in_docx(document, {item.index: item.text for item in filled})
        if claim:
            apply_to_docx(document, claim)
        if org is not None and not any(SIGNED_BY in p.text for p in document.paragraphs[-6:]):
            document.add_paragraph()
            for line in signature_lines(actor, org, today):
                paragraph = document.add_paragraph(line)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return document_to_bytes(document)
    return document_to_bytes(text_to_official_document(report_text(actor, template, filled, org, today)))


def text_to_official_document(text: str):
    """A GB/T 9704-style document: the first line is the title, 一、 lines are headings, （一）… run in."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, rest = (lines[0], lines[1:]) if lines else ("", [])
    blocks = []
    for line in rest:
        heading = _H2.match(line)
        if line.startswith(SIGNED_BY) or (blocks and blocks[-1].style == "sign"):
            blocks.append(signature(*mark_placeholders(line, TO_FILL)))
        elif _H1.match(line):
            blocks.append(heading1(*mark_placeholders(line, TO_FILL)))
        elif heading:
            blocks.append(body_with_heading(heading.group(), *mark_placeholders(line[heading.end():], TO_FILL)))
        else:
            blocks.append(body(*mark_placeholders(line, TO_FILL)))
    return build_official_document(title, blocks)
