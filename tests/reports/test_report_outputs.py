"""`zhibu report` and the Word output: JSON shape, Word templates filled in place, LibreOffice opens the result."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from tests.reports.conftest import SEED, YEAR
from tests.libreoffice import convert_to_pdf

JSON_KEYS = {"index", "context", "kind", "metric", "value", "status", "evidence"}


def test_json_has_one_object_per_placeholder_in_order(branch_records, capsys):
    call_command("report", org="甲支部", year=str(YEAR), template=str(SEED), format="json", out="-")
    items = json.loads(capsys.readouterr().out)
    assert [item["index"] for item in items] == list(range(len(items)))
    assert all(JSON_KEYS <= set(item) for item in items)
    assert {item["kind"] for item in items} == {"count", "amount", "year", "name"}
    congress = next(item for item in items if item["metric"] == "count:支部党员大会")
    assert congress["value"] == 4 and congress["status"] == "filled" and len(congress["evidence"]) == 4
    assert all(item["value"] is None for item in items if item["status"] == "needs_input")


def test_the_default_template_fills_every_figure(branch_records, tmp_path):
    out = tmp_path / "report.txt"
    call_command("report", org="甲支部", year=str(YEAR), format="txt", out=str(out))
    text = out.read_text(encoding="utf-8")
    assert f"本人{YEAR}年度" in text and "全年召开支部党员大会4次、支部委员会会议11次" in text


def test_a_word_template_is_filled_in_place_even_across_runs(branch_records, tmp_path):
    document = Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("全年共召开党员大会")
    bold = paragraph.add_run("*")
    bold.bold = True
    paragraph.add_run("*次、支委会**次。")
    template = tmp_path / "模板.docx"
    document.save(template)
    out = tmp_path / "报告.docx"
    call_command("report", org="甲支部", year=str(YEAR), template=str(template), format="docx", out=str(out))
    filled = Document(out).paragraphs[0]
    assert filled.text == "全年共召开党员大会4次、支委会11次。"
    assert any(run.bold and run.text == "4" for run in filled.runs)


def test_the_report_opens_in_libreoffice(branch_records, tmp_path):
    out = tmp_path / "报告.docx"
    call_command("report", org="甲支部", year=str(YEAR), template=str(SEED), format="docx", out=str(out))
    pdf = convert_to_pdf(out, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    texts = [p.text for p in Document(out).paragraphs]
    assert texts[0] == "支部书记抓基层党建述职报告"
    assert any("【待填】" in text for text in texts)


@pytest.mark.parametrize("options, message", [
    ({"org": "无此组织", "year": "2025"}, "没有名为"),
    ({"org": "甲支部", "year": "明年"}, "不是有效的年份"),
    ({"org": "甲支部", "year": "2025", "template": "/nonexistent.docx"}, "找不到模板文件"),
])
def test_bad_arguments_fail_with_a_message(tree, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", format="json", out="-", **options)


def test_a_template_in_an_unsupported_format_is_explained(tree, tmp_path):
    old = tmp_path / "报告.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match="另存为 .docx"):
        call_command("report", org="甲支部", year="2025", template=str(old), format="json", out="-")
    broken = tmp_path / "报告.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="不是有效的 ?Word"):
        call_command("report", org="甲支部", year="2025", template=str(broken), format="json", out="-")
