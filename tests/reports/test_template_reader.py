"""Reading masked report templates: the seed 述职报告, a template with other
phrasings, and Word files whose placeholders are split across runs."""

import io
from pathlib import Path

import docx
import pytest

from zhibu.reports.template_reader import (
    LINE_OF_WORK,
    PREVIOUS_YEAR,
    REPORT_YEAR,
    fill_text,
    find_placeholders,
    find_placeholders_in_docx,
    iter_docx_paragraph_texts,
    replace_placeholders_in_docx,
)

from zhibu.reports.vocabulary import Vocabulary

VOCABULARY = Vocabulary.from_catalogue()
REPO_ROOT = Path(__file__).resolve().parents[2]
# A branch secretary's annual report with every figure masked, kept with the tests so they run anywhere.
SEED = REPO_ROOT / "tests" / "fixtures" / "masked_report_seed.txt"


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_placeholders(seed_text):
    return find_placeholders(seed_text, VOCABULARY)


def counted(placeholders):
    """The placeholders before 次 or 份, the counted figures."""
    return [p for p in placeholders if p.unit in ("次", "份")]


def words_before(text, placeholder, width=6):
    return text[max(placeholder.start - width, 0) : placeholder.start]


# (the words right before the mask, the metric key), in the seed's order.
SEED_COUNTS = [
    ("专题研究党建工作", "count:党建工作专题研究"),
    ("全年共召开", "count:意识形态分析研判会"),  # "共召开*次意识形态领域分析研判会"
    ("召开民主生活会", "count:民主生活会"),
    ("召开党员大会", "count:支部党员大会"),
    ("次、支委会", "count:支部委员会会议"),
    ("、主题党日", "count:主题党日"),
    ("干部上讲堂”", "count:领导干部上讲堂"),
    ("次，讲党课", "count:党课"),
    ("过政治生日", "count:政治生日"),
    ("志愿服务活动", "count:志愿服务"),
    ("风廉政建设工作", "count:党风廉政建设专题研究"),
    ("部签订责任书", "quantity:签订党风廉政建设责任书"),
    ("头作廉政承诺", "count:廉政承诺"),
    ("讲廉政党课", "count:党课|tag=廉政"),
    ("（专题党课", "count:党课|tag=专题"),
    ("展廉政谈话", "count:廉政谈话"),
    ("制落实情况", "count:党风廉政建设责任制检查"),
    ("共召开局务会", "count:局务会"),
    ("订家风承诺书", "quantity:签订家风承诺书"),
    ("展廉政家访", "count:廉政家访"),
]


def test_it_maps_every_count_of_the_seed_in_order(seed_text, seed_placeholders):
    found = [
        (words_before(seed_text, p, width=len(words)), p.target)
        for p, (words, _) in zip(counted(seed_placeholders), SEED_COUNTS, strict=True)
    ]
    assert found == SEED_COUNTS


def test_seed_counts_are_count_kind_and_quantities_are_in_copies(seed_placeholders):
    counts = counted(seed_placeholders)
    assert {p.kind for p in counts} == {"count"}
    assert [p.target for p in counts if p.unit == "份"] == ["quantity:签订党风廉政建设责任书", "quantity:签订家风承诺书"]


def test_it_maps_the_seeds_batches_and_money(seed_placeholders):
    figures = [(p.raw + p.unit, p.kind, p.target) for p in seed_placeholders if p.unit in ("批", "万元", "元")]
    assert figures == [
        ("**批", "count", "quantity:驻村帮扶"),
        ("**万元", "amount", "amount:工作经费划拨"),
        ("**元", "amount", "amount:捐款"),
        ("**元", "amount", "amount:筹款"),
    ]


def test_a_masked_since_year_needs_input_and_so_does_the_figure_it_governs(seed_placeholders):
    since_year = next(p for p in seed_placeholders if p.raw == "****" and p.kind == "year")
    bureau_meetings = next(p for p in seed_placeholders if p.target == "count:局务会")
    assert since_year.target is None and since_year.needs_input
    assert bureau_meetings.since_year_placeholder == since_year.index
    assert bureau_meetings.needs_input
    assert bureau_meetings.period is None
    # Figures after the next comma are not governed by it.
    family_pledges = next(p for p in seed_placeholders if p.target == "quantity:签订家风承诺书")
    assert family_pledges.since_year_placeholder is None and not family_pledges.needs_input


def test_it_reads_the_seeds_years(seed_text, seed_placeholders):
    years = [(seed_text[p.end : p.end + 4], p.target) for p in seed_placeholders if p.kind == "year"]
    assert years == [
        ("年度抓基", REPORT_YEAR),
        ("年召开民", REPORT_YEAR),
        ("年以来共", None),
        ("年在抓党", REPORT_YEAR),
        ("年存在的", PREVIOUS_YEAR),  # "**年存在的问题已整改完成": last year's problems
    ]


def test_only_the_line_of_work_phrasings_fill_a_name(seed_text, seed_placeholders):
    names = [p for p in seed_placeholders if p.kind == "name"]
    assert [seed_text[p.end : p.end + 4] for p in names if p.target is not None] == ["工作的指", "工作领域"]
    assert {p.target for p in names} == {LINE_OF_WORK, None}
    machine = next(p for p in names if seed_text.startswith("机关", p.end))
    assert machine.target is None and machine.needs_input


def test_latin_words_in_the_seed_are_not_placeholders(seed_text, seed_placeholders):
    assert "QQ" in seed_text
    assert all(set(p.raw) <= {"*"} for p in seed_placeholders)


def test_every_placeholder_explains_itself(seed_placeholders):
    assert all(p.reason for p in seed_placeholders)
    assert [p.index for p in seed_placeholders] == list(range(len(seed_placeholders)))
    for p in seed_placeholders:
        assert p.raw in p.context


OTHER_TEMPLATE = """XX年度党支部书记抓基层党建工作述职报告
一、履职情况
全年召开支部党员大会X次、支部委员会会议×次，召开党小组会议＊次，上党课□次，其中书记讲党课*次。
开展主题党日活动xx次，召开民主评议党员会议*次，召开组织生活会*场。
2023年以来共召开局务会*次、党组会**次，召开党员大会*次，党员大会平均出席*人，开展其他活动*次。
划拨工作经费××元，为困难党员捐款XX元。
台账用Excel和XML报送，QQ群、Windows XP、x86电脑、2×3展板不是待填项。
三、下步工作打算
XX年，继续抓好“**”创建。
"""

OTHER_FIGURES = [
    ("X", "次", "count:支部党员大会"),
    ("×", "次", "count:支部委员会会议"),
    ("＊", "次", "count:党小组会"),  # 召开…会议*次
    ("□", "次", "count:党课"),  # 上党课
    ("*", "次", "count:党课|lecturer=secretary"),
    ("xx", "次", "count:主题党日"),
    ("*", "次", "count:民主评议党员"),  # 召开…会议*次
    ("*", "场", "count:组织生活会"),
    ("*", "次", "count:局务会"),
    ("**", "次", "count:局务会"),  # 党组会, an alias, in the same "以来" phrase
    ("*", "次", "count:支部党员大会"),
    ("*", "人", None),  # a number of people is not the number of meetings
    ("*", "次", None),  # 其他活动: nothing says which figure
    ("××", "元", "amount:工作经费划拨"),  # metric in 万元, template in 元: the caller converts
    ("XX", "元", "amount:捐款"),
]


@pytest.fixture(scope="module")
def other_placeholders():
    return find_placeholders(OTHER_TEMPLATE, VOCABULARY)


def test_it_maps_other_phrasings_and_masks(other_placeholders):
    figures = [(p.raw, p.unit, p.target) for p in other_placeholders if p.kind in ("count", "amount")]
    assert figures == OTHER_FIGURES


def test_a_since_year_in_digits_sets_the_period_of_its_sentence_part(other_placeholders):
    since = {p.raw + p.unit: p.period for p in other_placeholders if p.target == "count:局务会"}
    assert since == {"*次": {"since": 2023}, "**次": {"since": 2023}}
    assert all(not p.needs_input for p in other_placeholders if p.target == "count:局务会")
    congress_after_the_comma = [p for p in other_placeholders if p.target == "count:支部党员大会"][1]
    assert congress_after_the_comma.period is None


def test_unmappable_figures_have_no_target_and_say_why(other_placeholders):
    attendance, other_activity = [p for p in other_placeholders if p.kind == "count" and p.target is None]
    assert attendance.needs_input and "平均" in attendance.reason
    assert other_activity.needs_input and "请填写" in other_activity.reason


def test_years_in_the_plans_section_are_not_the_report_year(other_placeholders):
    years = [p for p in other_placeholders if p.kind == "year"]
    assert [(p.raw, p.target) for p in years] == [("XX", REPORT_YEAR), ("XX", None)]


def test_x_inside_latin_words_and_arithmetic_is_not_a_placeholder(other_placeholders):
    latin_line_start = OTHER_TEMPLATE.index("台账用Excel")
    latin_line_end = OTHER_TEMPLATE.index("\n", latin_line_start)
    assert [p for p in other_placeholders if latin_line_start <= p.start < latin_line_end] == []


def test_fill_text_replaces_by_index_and_leaves_the_rest_masked():
    text = "召开党员大会*次、支委会X次，讲党课**次。"
    assert fill_text(text, {0: "4", 2: "2"}) == "召开党员大会4次、支委会X次，讲党课2次。"


def test_fill_text_rejects_an_index_the_text_does_not_have():
    with pytest.raises(ValueError, match="编号"):
        fill_text("召开党员大会*次", {3: "4"})


def split_run_document():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("共召开党员大会*").bold = True
    paragraph.add_run("*次、支委会")
    paragraph.add_run("*次。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1))  # a merged cell must be read once
    table.cell(0, 0).paragraphs[0].add_run("捐款**元")
    document.add_paragraph("使用Excel报送。")
    return document


def test_it_finds_a_placeholder_split_across_runs():
    placeholders = find_placeholders_in_docx(split_run_document(), VOCABULARY)
    assert [(p.raw, p.unit, p.target) for p in placeholders] == [
        ("**", "次", "count:支部党员大会"),
        ("*", "次", "count:支部委员会会议"),
        ("**", "元", "amount:捐款"),
    ]


def test_it_replaces_placeholders_keeping_the_first_runs_formatting():
    document = split_run_document()
    replace_placeholders_in_docx(document, {0: "4", 1: "12", 2: "300"})

    reloaded = docx.Document(io.BytesIO(save(document)))
    assert list(iter_docx_paragraph_texts(reloaded)) == ["共召开党员大会4次、支委会12次。", "捐款300元", "使用Excel报送。"]
    first_run, second_run, _ = reloaded.paragraphs[0].runs
    assert (first_run.text, first_run.bold) == ("共召开党员大会4", True)
    assert second_run.text == "次、支委会"


def save(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
