"""The official-document writer: layout read back from the saved file, and a
real LibreOffice conversion (CI installs LibreOffice; a missing one must fail)."""

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.libreoffice import LibreOfficeNotFound, convert_to_pdf
from zhibu.lib.officialdoc import (
    Paragraph,
    Run,
    body,
    body_with_heading,
    build_official_document,
    document_to_bytes,
    heading1,
    heading2,
    mark_placeholders,
)

TITLE = "支部书记抓基层党建述职报告"


def sample_blocks():
    return [
        body("按照会议安排，现将本人年度抓基层党建工作情况报告如下，请予评议。"),
        heading1("一、个人履职情况"),
        heading2("（一）强化责任担当，抓好责任落实"),
        body("全年专题研究党建工作", Run("【待填】", highlight=True), "次。"),
        body_with_heading("（二）从严教育管理，筑牢思想根基。", "一是加强思想政治理论学习。"),
    ]


@pytest.fixture
def saved_docx(tmp_path: Path) -> Path:
    path = tmp_path / "report.docx"
    path.write_bytes(document_to_bytes(build_official_document(TITLE, sample_blocks())))
    return path


@pytest.fixture
def reopened(saved_docx: Path):
    return docx.Document(str(saved_docx))


def east_asian_font(style) -> str | None:
    r_fonts = style.element.rPr.rFonts
    return r_fonts.get(qn("w:eastAsia"))


def test_it_lays_out_an_a4_page_with_gbt_9704_margins(reopened):
    section = reopened.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert round(section.top_margin.mm, 1) == 37
    assert round(section.bottom_margin.mm, 1) == 35
    assert round(section.left_margin.mm, 1) == 28
    assert round(section.right_margin.mm, 1) == 26


@pytest.mark.parametrize(
    ("style_name", "font", "size_pt"),
    [
        ("公文标题", "方正小标宋简体", 22),
        ("公文正文", "仿宋_GB2312", 16),
        ("一级标题", "黑体", None),  # size inherited from 公文正文
        ("二级标题", "楷体_GB2312", None),
        ("公文页码", "宋体", 14),
    ],
)
def test_it_names_the_chinese_font_of_each_style(reopened, style_name, font, size_pt):
    style = reopened.styles[style_name]
    assert east_asian_font(style) == font
    # Latin text must not fall back to a theme font, which would win over the names.
    assert style.element.rPr.rFonts.get(qn("w:asciiTheme")) is None
    if size_pt is not None:
        assert style.font.size == Pt(size_pt)


def test_headings_build_on_the_body_style(reopened):
    body_style = reopened.styles["公文正文"]
    assert reopened.styles["一级标题"].base_style == body_style
    assert reopened.styles["二级标题"].base_style == body_style


def test_body_text_is_indented_two_characters_on_a_fixed_line_pitch(reopened):
    paragraph_format = reopened.styles["公文正文"].paragraph_format
    assert paragraph_format.first_line_indent == Pt(32)
    assert paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert round(paragraph_format.line_spacing.pt, 2) == 28.95


def test_the_title_is_centred(reopened):
    assert reopened.styles["公文标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_blocks_become_paragraphs_in_the_named_styles(reopened):
    paragraphs = reopened.paragraphs
    assert [(p.style.name, p.text) for p in paragraphs[:4]] == [
        ("公文标题", TITLE),
        ("公文正文", "按照会议安排，现将本人年度抓基层党建工作情况报告如下，请予评议。"),
        ("一级标题", "一、个人履职情况"),
        ("二级标题", "（一）强化责任担当，抓好责任落实"),
    ]


def test_it_highlights_a_placeholder_run_yellow(reopened):
    runs = reopened.paragraphs[4].runs
    assert [(run.text, run.font.highlight_color) for run in runs] == [
        ("全年专题研究党建工作", None),
        ("【待填】", WD_COLOR_INDEX.YELLOW),
        ("次。", None),
    ]


def test_a_run_in_heading_uses_the_heading_character_style(reopened):
    paragraph = reopened.paragraphs[5]
    assert paragraph.style.name == "公文正文"
    heading_run, text_run = paragraph.runs
    assert heading_run.style.name == "二级标题 字符"
    assert east_asian_font(heading_run.style) == "楷体_GB2312"
    assert text_run.style.name == "Default Paragraph Font"


@pytest.mark.parametrize(
    ("footer_name", "alignment"),
    [("footer", WD_ALIGN_PARAGRAPH.RIGHT), ("even_page_footer", WD_ALIGN_PARAGRAPH.LEFT)],
)
def test_footers_carry_a_page_field_between_dashes(reopened, footer_name, alignment):
    assert reopened.settings.odd_and_even_pages_header_footer
    (paragraph,) = getattr(reopened.sections[0], footer_name).paragraphs
    instructions = [element.text.strip() for element in paragraph._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert paragraph.text == "— 1 —"  # "1" is the field's cached result
    assert paragraph.style.name == "公文页码"
    assert paragraph.alignment == alignment


def test_mark_placeholders_highlights_every_placeholder():
    assert mark_placeholders("召开支委会【待填】次、党员大会【待填】次") == [
        Run("召开支委会"),
        Run("【待填】", highlight=True),
        Run("次、党员大会"),
        Run("【待填】", highlight=True),
        Run("次"),
    ]


def test_an_unknown_paragraph_style_is_refused():
    with pytest.raises(ValueError, match="unknown paragraph style"):
        Paragraph([Run("x")], "h3")


def test_it_converts_a_docx_file_to_pdf(saved_docx, tmp_path):
    pdf = convert_to_pdf(saved_docx, tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_it_converts_xlsx_bytes_to_pdf(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "党费"])
    workbook.active.append(["张三", 12.5])
    buffer = io.BytesIO()
    workbook.save(buffer)

    pdf = convert_to_pdf(buffer.getvalue(), tmp_path)
    assert pdf.name == "document.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_it_says_so_when_libreoffice_is_missing(saved_docx, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(LibreOfficeNotFound, match="LibreOffice is not installed"):
        convert_to_pdf(saved_docx, tmp_path)
