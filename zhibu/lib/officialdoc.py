"""Word files laid out like Chinese official documents (党政机关公文, GB/T 9704-2012).

The layout lives in named Word styles ("公文标题", "公文正文", "一级标题",
"二级标题", "公文页码") rather than in direct formatting, so a user who opens the
file in Word can restyle the whole document in one place; a report template
saved from such a file keeps working.

The fonts GB/T 9704 names (仿宋_GB2312, 方正小标宋简体, ...) are rarely installed
outside Chinese Windows. The file still names them, because that is what a
reader's Word should use; `PDF_FONT_SUBSTITUTES` says which installed font draws
each one when the tests turn a file into PDF (tests/libreoffice.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal


import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

# ---------------------------------------------------------------------------
# Layout constants (GB/T 9704-2012)

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)

# 22 lines fill the 225 mm high text block (297 - 37 - 35); 225 mm / 22 is
# 28.95 pt, the "固定值 28.95 磅" of the usual Word templates.
BODY_LINE_PITCH = Pt(28.95)
TITLE_LINE_HEIGHT = Pt(35)  # 固定值 35 磅, the usual spacing for a 二号 title
PAGE_NUMBER_LINE_HEIGHT = Pt(18)

# Chinese type sizes (字号) in points.
SIZE_ERHAO = Pt(22)  # 二号
SIZE_SANHAO = Pt(16)  # 三号
SIZE_SIHAO = Pt(14)  # 四号

# 28 characters per line: 28 三号 characters are 448 pt but the text block is
# only 442 pt wide (210 - 28 - 26 mm), so body text is condensed by a quarter
# point per character (Word templates get the same with a character grid).
BODY_CHARACTER_SPACING = Pt(-0.25)

FONT_XIAOBIAOSONG = "方正小标宋简体"
FONT_FANGSONG = "仿宋_GB2312"
FONT_HEITI = "黑体"
FONT_KAITI = "楷体_GB2312"
FONT_SONGTI = "宋体"
# Latin letters and digits inside Chinese text are conventionally set in
# Times New Roman; the page number is the exception (半角宋体).
FONT_LATIN = "Times New Roman"

# What LibreOffice draws instead when the GB/T fonts are missing: serif CJK for
# the Song/FangSong/Kai families, sans CJK for Hei, so headings still stand out.
# Names not installed are ignored by LibreOffice, so this is only a preference.
PDF_FONT_SUBSTITUTES = {
    FONT_XIAOBIAOSONG: "Noto Serif CJK SC",
    FONT_FANGSONG: "Noto Serif CJK SC",
    FONT_KAITI: "Noto Serif CJK SC",
    FONT_SONGTI: "Noto Serif CJK SC",
    FONT_HEITI: "Noto Sans CJK SC",
}

# Marks a figure the author still has to supply; `mark_placeholders` highlights it.
PLACEHOLDER = "【待填】"

BlockStyle = Literal["body", "h1", "h2", "sign"]
HeadingLevel = Literal["h1", "h2"]

# Word style names, by block style; "title" and "page_number" are not blocks.
STYLE_NAMES: dict[str, str] = {
    "title": "公文标题",
    "body": "公文正文",
    "h1": "一级标题",
    "h2": "二级标题",
    "page_number": "公文页码",
    "sign": "公文落款",
}
# Character styles for headings run into a body paragraph, linked to the
# paragraph styles above (Word's "标题 1 字符" convention).
RUN_IN_HEADING_STYLE_NAMES: dict[str, str] = {
    "h1": "一级标题 字符",
    "h2": "二级标题 字符",
}


# ---------------------------------------------------------------------------
# Blocks: what a caller hands to `build_official_document`


@dataclass(frozen=True)
class Run:
    """A piece of text with one look.

    `highlight` paints it yellow (a figure still to be filled in); `heading`
    sets it in a heading's typeface inside a body paragraph, for the common
    run-in form "（一）强化责任担当。坚持……" where the heading and its text
    share one paragraph.
    """

    text: str
    highlight: bool = False
    heading: HeadingLevel | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: body text ("body"), a 一、 heading ("h1") or a （一） heading ("h2")."""

    runs: Sequence[Run]
    style: BlockStyle = "body"

    def __post_init__(self) -> None:
        if self.style not in ("body", "h1", "h2", "sign"):
            raise ValueError(f"unknown paragraph style {self.style!r}; use 'body', 'h1', 'h2' or 'sign'")

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


Block = Paragraph


def _as_runs(pieces: Iterable[str | Run]) -> list[Run]:
    return [piece if isinstance(piece, Run) else Run(piece) for piece in pieces]


def body(*pieces: str | Run) -> Paragraph:
    """A body paragraph; plain strings become plain runs."""
    return Paragraph(_as_runs(pieces), "body")


def heading1(*pieces: str | Run) -> Paragraph:
    """A first-level heading paragraph, e.g. "一、存在的问题"."""
    return Paragraph(_as_runs(pieces), "h1")


def heading2(*pieces: str | Run) -> Paragraph:
    """A second-level heading paragraph, e.g. "（一）强化责任担当"."""
    return Paragraph(_as_runs(pieces), "h2")


def body_with_heading(heading: str, *pieces: str | Run, level: HeadingLevel = "h2") -> Paragraph:
    """A body paragraph led by a run-in heading: "（一）强化责任担当。" + text."""
    return Paragraph([Run(heading, heading=level), *_as_runs(pieces)], "body")


def signature(*pieces: str | Run) -> Paragraph:
    """A line of the signature block (落款: name, post, date), set right, below the text."""
    return Paragraph(_as_runs(pieces), "sign")


def mark_placeholders(text: str, placeholder: str = PLACEHOLDER) -> list[Run]:
    """Split `text` into runs, highlighting every occurrence of `placeholder`.

    >>> mark_placeholders("召开支委会【待填】次")  # doctest: +NORMALIZE_WHITESPACE
    [Run(text='召开支委会', highlight=False, heading=None),
     Run(text='【待填】', highlight=True, heading=None),
     Run(text='次', highlight=False, heading=None)]
    """
    runs: list[Run] = []
    for index, plain in enumerate(text.split(placeholder)):
        if index:
            runs.append(Run(placeholder, highlight=True))
        if plain:
            runs.append(Run(plain))
    return runs


# ---------------------------------------------------------------------------
# Building the document


def build_official_document(title: str, blocks: Iterable[Block]) -> DocxDocument:
    """A new Word document with `title` centred on top and `blocks` below it.

    A line feed in the title starts a new title line: long titles are broken
    by meaning, not wherever the line happens to end.
    """
    document = docx.Document()
    _set_up_page(document)
    styles = _add_official_styles(document)
    _add_page_number_footers(document, styles.page_number)

    document.add_paragraph(title, style=styles.title)
    for block in blocks:
        paragraph = document.add_paragraph(style=styles.paragraphs[block.style])
        for run in block.runs:
            docx_run = paragraph.add_run(run.text)
            if run.heading:
                docx_run.style = styles.run_in_headings[run.heading]
            if run.highlight:
                docx_run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    properties = document.core_properties
    properties.title = title
    properties.author = ""  # python-docx's template would say "python-docx"
    properties.last_modified_by = ""
    properties.language = "zh-CN"
    return document


def document_to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Tables (台账): smaller type than the body so a ledger's columns fit, on a landscape page.
TABLE_STYLE_NAME = "公文表格"
SIZE_WUHAO = Pt(10.5)  # 五号
TABLE_LINE_HEIGHT = Pt(15)


def use_landscape(document: DocxDocument) -> None:
    """Turn every page sideways (a wide ledger), keeping the GB/T 9704 margins on the same edges of the text."""
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH


def add_table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    widths: Sequence[Length] | None = None,
) -> Any:
    """A ruled table at the end of `document`: header in 黑体, cells in 仿宋 五号, header repeated on every page.

    Cell paragraphs use their own style ("公文表格"), off the 22-line grid, so a
    row is as high as its text rather than one body line per line of text.
    """
    style = _table_style(document)
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    header_row = table.rows[0]
    # CT_TrPr's children come in any order, so the header mark is simply appended.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "1")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header_row.cells, header):
        paragraph = cell.paragraphs[0]
        paragraph.style = style
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.bold = True
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_HEITI)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            lines = str(text).split("\n")
            cell.paragraphs[0].style = style
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line, style=style)
    if widths:
        # Word reads the cells' widths, LibreOffice the grid's: set both.
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
    return table


def _table_style(document: DocxDocument) -> ParagraphStyle:
    if TABLE_STYLE_NAME in [s.name for s in document.styles]:
        return document.styles[TABLE_STYLE_NAME]
    style = _new_style(document, TABLE_STYLE_NAME, "OfficialTable", base=document.styles["Normal"])
    _set_fonts(style, east_asian=FONT_FANGSONG, latin=FONT_LATIN, size=SIZE_WUHAO)
    _set_exact_line_height(style, TABLE_LINE_HEIGHT)
    _set_child(style.element.get_or_add_pPr(), "w:snapToGrid", val="0")
    return style


def _set_up_page(document: DocxDocument) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = PAGE_WIDTH
        section.page_height = PAGE_HEIGHT
        section.top_margin = MARGIN_TOP
        section.bottom_margin = MARGIN_BOTTOM
        section.left_margin = MARGIN_LEFT
        section.right_margin = MARGIN_RIGHT
        section.gutter = Mm(0)
        # GB/T 9704 7.5: the dash line of the page number sits 7 mm below the
        # text block. Word measures the footer distance to the bottom of the
        # footer line, so take one page-number line off.
        section.footer_distance = Length(MARGIN_BOTTOM - Mm(7) - PAGE_NUMBER_LINE_HEIGHT)
        # Word's 文档网格 "只指定行网格", 22 lines per page. Not a character grid:
        # LibreOffice gives every CJK character that is wider than a grid cell
        # two cells, halving the line (see BODY_CHARACTER_SPACING instead).
        _set_child(section._sectPr, "w:docGrid", type="lines", linePitch=str(BODY_LINE_PITCH.twips))


def _set_child(parent: BaseOxmlElement, tag: str, **attributes: str) -> BaseOxmlElement:
    """Find or create the `tag` child of `parent`, then set its w: attributes.

    A new child goes where the schema wants it, since Word refuses a file
    with misordered elements.
    """
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = _SCHEMA_CHILD_ORDER[parent.tag]
        parent.insert_element_before(child, *order[order.index(tag) + 1 :])
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _child_order(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# Schema order of the children of the elements `_set_child` adds to (ECMA-376
# part 1: CT_RPr, CT_PPr, CT_Style, CT_SectPr). python-docx keeps its own copies
# private and deletes them after class creation, so they are spelled out here.
_SCHEMA_CHILD_ORDER = {
    qn("w:rPr"): _child_order(
        """
        w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike
        w:outline w:shadow w:emboss w:imprint w:noProof w:snapToGrid w:vanish w:webHidden
        w:color w:spacing w:w w:kern w:position w:sz w:szCs w:highlight w:u w:effect w:bdr
        w:shd w:fitText w:vertAlign w:rtl w:cs w:em w:lang w:eastAsianLayout w:specVanish
        w:oMath
        """
    ),
    qn("w:pPr"): _child_order(
        """
        w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr
        w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap
        w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd
        w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap
        w:jc w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl w:divId
        w:cnfStyle w:rPr w:sectPr w:pPrChange
        """
    ),
    qn("w:style"): _child_order(
        """
        w:name w:aliases w:basedOn w:next w:link w:autoRedefine w:hidden w:uiPriority
        w:semiHidden w:unhideWhenUsed w:qFormat w:locked w:personal w:personalCompose
        w:personalReply w:rsid w:pPr w:rPr w:tblPr w:trPr w:tcPr w:tblStylePr
        """
    ),
    qn("w:sectPr"): _child_order(
        """
        w:headerReference w:footerReference w:footnotePr w:endnotePr w:type w:pgSz w:pgMar
        w:paperSrc w:pgBorders w:lnNumType w:pgNumType w:cols w:formProt w:vAlign
        w:noEndnote w:titlePg w:textDirection w:bidi w:rtlGutter w:docGrid w:printerSettings
        w:sectPrChange
        """
    ),
}


# ---------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class _OfficialStyles:
    title: ParagraphStyle
    paragraphs: dict[BlockStyle, ParagraphStyle]
    run_in_headings: dict[HeadingLevel, CharacterStyle]
    page_number: ParagraphStyle


def _add_official_styles(document: DocxDocument) -> _OfficialStyles:
    # Normal carries the body font so anything a user adds (a table, a list)
    # already looks right.
    normal = document.styles["Normal"]
    _set_fonts(normal, east_asian=FONT_FANGSONG, latin=FONT_LATIN, size=SIZE_SANHAO)
    _set_child(normal.element.get_or_add_rPr(), "w:lang", val="en-US", eastAsia="zh-CN")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)

    title = _new_style(document, STYLE_NAMES["title"], "OfficialTitle", base=normal)
    _set_fonts(title, east_asian=FONT_XIAOBIAOSONG, latin=FONT_LATIN, size=SIZE_ERHAO)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_exact_line_height(title, TITLE_LINE_HEIGHT)
    title.paragraph_format.space_after = BODY_LINE_PITCH  # one empty line before the text
    title.paragraph_format.keep_with_next = True

    # The body style names its font itself rather than inheriting it, so a
    # user who changes Normal does not change the report text by accident.
    body_style = _new_style(document, STYLE_NAMES["body"], "OfficialBody", base=normal)
    _set_fonts(body_style, east_asian=FONT_FANGSONG, latin=FONT_LATIN, size=SIZE_SANHAO)
    body_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _set_exact_line_height(body_style, BODY_LINE_PITCH)
    _set_indent_in_chars(body_style, first_line=2, font_size=SIZE_SANHAO)
    body_run_properties = body_style.element.get_or_add_rPr()
    _set_child(body_run_properties, "w:spacing", val=str(BODY_CHARACTER_SPACING.twips))
    # Widow control would push lines over and break the 22 lines per page.
    body_style.paragraph_format.widow_control = False

    # Headings sit in the text flow like body paragraphs (same indent and
    # spacing), only the typeface changes. The outline level puts them in
    # Word's navigation pane; the linked character style lets a run-in
    # heading follow when a user changes the paragraph style's font.
    paragraphs: dict[BlockStyle, ParagraphStyle] = {"body": body_style}
    run_in_headings: dict[HeadingLevel, CharacterStyle] = {}
    heading_fonts: dict[HeadingLevel, str] = {"h1": FONT_HEITI, "h2": FONT_KAITI}
    for outline_level, (level, east_asian_font) in enumerate(heading_fonts.items()):
        style_id = f"OfficialHeading{outline_level + 1}"
        heading = _new_style(document, STYLE_NAMES[level], style_id, base=body_style)
        _set_fonts(heading, east_asian=east_asian_font, latin=FONT_LATIN)
        heading.paragraph_format.keep_with_next = True
        _set_child(heading.element.get_or_add_pPr(), "w:outlineLvl", val=str(outline_level))

        run_in = _new_style(
            document,
            RUN_IN_HEADING_STYLE_NAMES[level],
            style_id + "Char",
            type=WD_STYLE_TYPE.CHARACTER,
        )
        _set_fonts(run_in, east_asian=east_asian_font, latin=FONT_LATIN)
        _set_child(heading.element, "w:link", val=run_in.style_id)
        _set_child(run_in.element, "w:link", val=heading.style_id)
        paragraphs[level] = heading
        run_in_headings[level] = run_in

    # 落款: name, post and date set right under the text, kept together on one page.
    sign = _new_style(document, STYLE_NAMES["sign"], "OfficialSignature", base=body_style)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    indent = sign.element.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLine"), "0")  # the body's 2-character first-line indent is not inherited
    indent.set(qn("w:firstLineChars"), "0")
    _set_indent_in_chars(sign, right=2, font_size=SIZE_SANHAO)  # 2 characters in from the right edge
    sign.paragraph_format.keep_with_next = True
    paragraphs["sign"] = sign

    page_number = _new_style(
        document, STYLE_NAMES["page_number"], "OfficialPageNumber", base=normal
    )
    # 半角宋体 digits: Song for Latin characters too.
    _set_fonts(page_number, east_asian=FONT_SONGTI, latin=FONT_SONGTI, size=SIZE_SIHAO)
    _set_exact_line_height(page_number, PAGE_NUMBER_LINE_HEIGHT)

    return _OfficialStyles(title, paragraphs, run_in_headings, page_number)


def _new_style(
    document: DocxDocument,
    name: str,
    style_id: str,
    *,
    base: BaseStyle | None = None,
    type: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH,
) -> Any:
    style = document.styles.add_style(name, type)
    # An ASCII id keeps the XML readable and is what other tools look up;
    # users only ever see the Chinese name.
    style.style_id = style_id
    style.base_style = base
    style.quick_style = True  # listed in Word's style gallery
    return style


def _set_fonts(
    style: BaseStyle, *, east_asian: str, latin: str, size: Length | None = None
) -> None:
    """Name fonts for Chinese (w:eastAsia) and for Latin text (w:ascii, w:hAnsi).

    python-docx's `font.name` only sets the Latin names, and a theme font
    attribute (w:asciiTheme, ...) would override an explicit name, so the
    theme attributes inherited from the template are removed.
    """
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme_attribute), None)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:cs"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        style.font.size = size


def _set_exact_line_height(style: ParagraphStyle, height: Length) -> None:
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = height


def _set_indent_in_chars(
    target: ParagraphStyle | DocxParagraph,
    *,
    font_size: Length,
    first_line: int = 0,
    left: int = 0,
    right: int = 0,
) -> None:
    """Indent by whole characters.

    Word reads the *Chars attributes (hundredths of a character, so the indent
    follows a font change); the absolute twips are the fallback for readers
    that ignore them, such as older LibreOffice.
    """
    ind = target._element.get_or_add_pPr().get_or_add_ind()
    for side, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{side}"), str(Length(font_size * chars).twips))
            ind.set(qn(f"w:{side}Chars"), str(chars * 100))


# ---------------------------------------------------------------------------
# Page numbers


def _add_page_number_footers(document: DocxDocument, style: ParagraphStyle) -> None:
    """Put the page number, "— 1 —", at the foot of every page.

    GB/T 9704 (7.5) puts it on the right on odd pages and on the left on even
    pages, one character in from the edge of the text block.
    """
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        _write_page_number(section.footer, style, WD_ALIGN_PARAGRAPH.RIGHT)
        _write_page_number(section.even_page_footer, style, WD_ALIGN_PARAGRAPH.LEFT)


def _write_page_number(footer, style: ParagraphStyle, alignment: WD_ALIGN_PARAGRAPH) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = style
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        _set_indent_in_chars(paragraph, right=1, font_size=SIZE_SIHAO)
    else:
        _set_indent_in_chars(paragraph, left=1, font_size=SIZE_SIHAO)
    paragraph.add_run("— ")
    _append_page_field(paragraph)
    paragraph.add_run(" —")


def _append_page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field written as a complex field (begin / instruction / separate /
    cached result / end), the form Word itself saves; "1" is the cached value
    shown until the reader updates fields."""

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run("1")
    field_char("end")
