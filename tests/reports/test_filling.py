"""Filling masked reports from records: the seed placeholder by placeholder, another template's phrasings,
what needs input, money units, and the Word output."""

from datetime import date

from tests.reports.conftest import OTHER_TEMPLATE, SEED, YEAR, add_records
from zhibu.orgs import access
from zhibu.reports.fill import fill_placeholders, filled_text
from zhibu.reports.template_reader import find_placeholders
from zhibu.reports.vocabulary import Vocabulary

# The seed's counted figures in order: (metric, value from the fixture).
SEED_EXPECTED = [
    ("count:党建工作专题研究", 2), ("count:意识形态分析研判会", 3), ("count:民主生活会", 1),
    ("count:支部党员大会", 4), ("count:支部委员会会议", 11), ("count:主题党日", 12),
    ("count:领导干部上讲堂", 5), ("count:党课", 8), ("count:政治生日", 6),
    ("count:志愿服务", 7), ("count:党风廉政建设专题研究", 9), ("quantity:签订党风廉政建设责任书", 25),
    ("count:廉政承诺", 13), ("count:党课|tag=廉政", 3), ("count:党课|tag=专题", 2),
    ("count:廉政谈话", 14), ("count:党风廉政建设责任制检查", 16), ("count:局务会", None),
    ("quantity:签订家风承诺书", 37), ("count:廉政家访", 17),
]


def _counts(filled):
    return [item for item in filled if item.placeholder.kind == "count" and item.placeholder.unit in ("次", "份")]


def test_the_seed_is_filled_placeholder_by_placeholder(branch_records):
    filled = fill_placeholders(access.SYSTEM, branch_records, YEAR, SEED.read_text(encoding="utf-8"))
    counts = _counts(filled)
    assert [(item.metric, item.value) for item in counts] == SEED_EXPECTED
    bureau = next(item for item in counts if item.metric == "count:局务会")
    assert bureau.status == "needs_input" and bureau.text == "【待填】"  # "****年以来": the start year is masked
    assert all(item.status == "filled" and item.evidence for item in counts if item.value)


def test_the_seeds_money_and_batches(branch_records):
    filled = fill_placeholders(access.SYSTEM, branch_records, YEAR, SEED.read_text(encoding="utf-8"))
    by_metric = {item.metric: item for item in filled if item.metric}
    assert by_metric["quantity:驻村帮扶"].value == 3
    assert by_metric["amount:工作经费划拨"].value == 5.5 and by_metric["amount:工作经费划拨"].text == "5.5"
    assert by_metric["amount:捐款"].value == 2000.5 and by_metric["amount:捐款"].text == "2000.5"
    assert by_metric["amount:筹款"].value == 5000 and by_metric["amount:筹款"].text == "5000"
    assert len(by_metric["amount:工作经费划拨"].evidence) == 2


def test_the_seeds_years_and_the_since_year_typed_by_the_user(branch_records):
    text = SEED.read_text(encoding="utf-8")
    filled = fill_placeholders(access.SYSTEM, branch_records, YEAR, text)
    assert filled[0].value == YEAR and filled[0].status == "filled"
    since = next(p for p in find_placeholders(text, Vocabulary.from_database()) if p.target == "count:局务会").since_year_placeholder
    typed = fill_placeholders(access.SYSTEM, branch_records, YEAR, text, manual={since: "2023"})
    bureau = next(item for item in typed if item.metric == "count:局务会|since=2023")
    assert (bureau.value, bureau.status) == (6, "filled")


def test_unmappable_placeholders_need_input_and_are_never_guessed(branch_records):
    filled = fill_placeholders(access.SYSTEM, branch_records, YEAR, SEED.read_text(encoding="utf-8"))
    unknown = [item for item in filled if item.placeholder.target is None]
    assert unknown and all(item.status == "needs_input" and item.value is None and item.text == "【待填】" for item in unknown)




def test_another_template_with_other_phrasings(branch_records):
    filled = fill_placeholders(access.SYSTEM, branch_records, YEAR, OTHER_TEMPLATE)
    assert [(item.metric, item.value) for item in filled] == [
        ("count:支部委员会会议", 11), ("count:党课", 8), ("count:意识形态分析研判会", 3),
        ("count:主题党日", 12), ("count:局务会|since=2023", 6), ("amount:工作经费划拨", 5.5),
        ("amount:捐款", 2000.5), ("quantity:签订党风廉政建设责任书", 25), (None, None),
    ]
    assert filled[-1].status == "needs_input"
    text = filled_text(OTHER_TEMPLATE, filled)
    assert "支部委员会会议11次，上党课8次" in text and "其他活动【待填】次" in text


def test_a_typed_value_fills_a_placeholder_the_records_cannot(branch_records):
    filled = fill_placeholders(access.SYSTEM, branch_records, YEAR, OTHER_TEMPLATE, manual={8: "3"})
    assert (filled[8].value, filled[8].status, filled[8].source) == (3, "filled", "user")


def test_a_committee_report_counts_its_whole_subtree(tree, branch_records):
    filled = fill_placeholders(access.SYSTEM, tree.orgs.committee, YEAR, "召开党员大会*次。")
    assert filled[0].value == 5  # 甲支部's four and 乙支部's one; 丙支部 is under another committee


def test_a_branch_only_metric_counts_the_branch_and_its_groups(tree, branch_records):
    from zhibu.reports.compute import FigureEvaluator
    from zhibu.reports.metric_catalogue import parse_metric

    add_records(tree.orgs.group_a, "党小组会", date(YEAR, 3, 3), 2)
    own = parse_metric("count:党小组会|scope=own")
    assert FigureEvaluator(access.SYSTEM, tree.orgs.a, YEAR).evaluate(own).value == 2
    assert FigureEvaluator(access.SYSTEM, tree.orgs.committee, YEAR).evaluate(own).value == 0
