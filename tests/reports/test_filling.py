"""Filling masked reports from records: the seed placeholder by placeholder, another template's phrasings,
what needs input, money units, and the Word output."""

from datetime import date

from tests.reports.conftest import OTHER_TEMPLATE, SEED, YEAR, add_records
from zhibu.reports.fill import fill_placeholders, filled_text
from zhibu.reports.template_reader import find_placeholders

# The seed's counted figures in order: (metric, value from the fixture).
SEED_EXPECTED = [
    ("party_building_study_count", 2), ("ideology_review_count", 3), ("democratic_life_meeting_count", 1),
    ("party_congress_count", 4), ("committee_meeting_count", 11), ("theme_party_day_count", 12),
    ("leader_lecture_count", 5), ("party_lesson_count", 8), ("political_birthday_count", 6),
    ("volunteer_service_count", 7), ("integrity_study_count", 9), ("responsibility_letter_count", 25),
    ("integrity_pledge_count", 13), ("integrity_lesson_count", 3), ("themed_lesson_count", 2),
    ("integrity_talk_count", 14), ("responsibility_inspection_count", 16), ("bureau_meeting_count", None),
    ("family_pledge_count", 37), ("family_visit_count", 17),
]


def _counts(filled):
    return [item for item in filled if item.placeholder.kind == "count" and item.placeholder.unit in ("次", "份")]


def test_the_seed_is_filled_placeholder_by_placeholder(branch_records):
    filled = fill_placeholders(branch_records, YEAR, SEED.read_text(encoding="utf-8"))
    counts = _counts(filled)
    assert [(item.metric, item.value) for item in counts] == SEED_EXPECTED
    bureau = next(item for item in counts if item.metric == "bureau_meeting_count")
    assert bureau.status == "needs_input" and bureau.text == "【待填】"  # "****年以来": the start year is masked
    assert all(item.status == "filled" and item.evidence for item in counts if item.value)


def test_the_seeds_money_and_batches(branch_records):
    filled = fill_placeholders(branch_records, YEAR, SEED.read_text(encoding="utf-8"))
    by_metric = {item.metric: item for item in filled if item.metric}
    assert by_metric["village_batch_count"].value == 3
    assert by_metric["work_fund_amount"].value == 5.5 and by_metric["work_fund_amount"].text == "5.5"
    assert by_metric["donation_amount"].value == 2000.5 and by_metric["donation_amount"].text == "2000.5"
    assert by_metric["fundraising_amount"].value == 5000 and by_metric["fundraising_amount"].text == "5000"
    assert len(by_metric["work_fund_amount"].evidence) == 2


def test_the_seeds_years_and_the_since_year_typed_by_the_user(branch_records):
    text = SEED.read_text(encoding="utf-8")
    filled = fill_placeholders(branch_records, YEAR, text)
    assert filled[0].value == YEAR and filled[0].status == "filled"
    since = next(p for p in find_placeholders(text) if p.target == "bureau_meeting_count").since_year_placeholder
    typed = fill_placeholders(branch_records, YEAR, text, manual={since: "2023"})
    bureau = next(item for item in typed if item.metric == "bureau_meeting_count")
    assert (bureau.value, bureau.status) == (6, "filled")


def test_unmappable_placeholders_need_input_and_are_never_guessed(branch_records):
    filled = fill_placeholders(branch_records, YEAR, SEED.read_text(encoding="utf-8"))
    unknown = [item for item in filled if item.placeholder.target is None]
    assert unknown and all(item.status == "needs_input" and item.value is None and item.text == "【待填】" for item in unknown)




def test_another_template_with_other_phrasings(branch_records):
    filled = fill_placeholders(branch_records, YEAR, OTHER_TEMPLATE)
    assert [(item.metric, item.value) for item in filled] == [
        ("committee_meeting_count", 11), ("party_lesson_count", 8), ("ideology_review_count", 3),
        ("theme_party_day_count", 12), ("bureau_meeting_count", 6), ("work_fund_amount", 5.5),
        ("donation_amount", 2000.5), ("responsibility_letter_count", 25), (None, None),
    ]
    assert filled[-1].status == "needs_input"
    text = filled_text(OTHER_TEMPLATE, filled)
    assert "支部委员会会议11次，上党课8次" in text and "其他活动【待填】次" in text


def test_a_typed_value_fills_a_placeholder_the_records_cannot(branch_records):
    filled = fill_placeholders(branch_records, YEAR, OTHER_TEMPLATE, manual={8: "3"})
    assert (filled[8].value, filled[8].status, filled[8].source) == (3, "filled", "user")


def test_a_committee_report_counts_its_whole_subtree(tree, branch_records):
    filled = fill_placeholders(tree.orgs.committee, YEAR, "召开党员大会*次。")
    assert filled[0].value == 5  # 甲支部's four and 乙支部's one; 丙支部 is under another committee


def test_a_branch_only_metric_counts_the_branch_and_its_groups(tree, branch_records):
    from zhibu.reports.compute import MetricEvaluator
    from zhibu.reports.metric_catalogue import Scope, metric_by_key

    metric = metric_by_key("party_group_meeting_count")
    add_records(tree.orgs.group_a, "党小组会", date(YEAR, 3, 3), 2)
    own = type(metric)(**{**metric.__dict__, "scope": Scope.BRANCH})
    assert MetricEvaluator(tree.orgs.a, YEAR).evaluate(own).value == 2
    assert MetricEvaluator(tree.orgs.committee, YEAR).evaluate(own).value == 0
