"""A report is titled as its organisation's and ends with its signature block (name, post, date)."""

import io
from datetime import date

from docx import Document

from zhibu.orgs import access
from zhibu.reports.documents import default_template, fill_template, report_docx, report_text


def _paragraphs(org):
    template = default_template()
    content = report_docx(access.SYSTEM, template, fill_template(access.SYSTEM, org, 2025, template), org=org, today=date(2026, 1, 15))
    return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def test_a_committees_report_is_titled_as_the_committees_and_signed(tree):
    paragraphs = _paragraphs(tree.orgs.committee)
    assert paragraphs[0] == "机关党委书记抓基层党建工作述职报告"
    assert paragraphs[-3:] == ["述职人：【待填】", "职务：测试机关党委书记", "2026年1月15日"]


def test_a_branchs_report_is_signed_by_its_secretary(tree):
    paragraphs = _paragraphs(tree.orgs.a)
    assert paragraphs[0] == "支部书记抓基层党建工作述职报告"
    assert paragraphs[-3:] == ["述职人：王书记", "职务：甲支部书记", "2026年1月15日"]
    template = default_template()
    assert report_text(access.SYSTEM, template, fill_template(access.SYSTEM, tree.orgs.a, 2025, template), tree.orgs.a).rstrip().endswith("日")
