"""The default metrics: stable keys, real activity types, every figure of the seed."""

import pytest

from zhibu.reports.metric_catalogue import METRICS, MetricSpec, metric_by_key


def test_keys_are_unique_snake_case_identifiers():
    keys = [metric.key for metric in METRICS]
    assert len(keys) == len(set(keys))
    assert all(key.isascii() and key == key.lower() and " " not in key for key in keys)


def test_it_finds_a_metric_by_key_and_names_a_missing_one():
    assert metric_by_key("committee_meeting_count").types == ("支部委员会会议",)
    with pytest.raises(KeyError, match="no_such_metric"):
        metric_by_key("no_such_metric")


def test_derived_lessons_narrow_the_lessons():
    assert metric_by_key("integrity_lesson_count").tags == ("廉政",)
    assert metric_by_key("themed_lesson_count").tags == ("专题",)
    assert metric_by_key("secretary_lesson_count").lecturer_is_secretary
    assert not metric_by_key("party_lesson_count").narrows_records


@pytest.mark.parametrize(
    "key, aggregation, unit",
    [
        ("responsibility_letter_count", "sum_quantity", "份"),
        ("family_pledge_count", "sum_quantity", "份"),
        ("village_batch_count", "sum_quantity", "批"),
        ("work_fund_amount", "sum_amount", "万元"),
        ("donation_amount", "sum_amount", "元"),
        ("fundraising_amount", "sum_amount", "元"),
        ("rectification_rate", "rectification_rate", "%"),
    ],
)
def test_quantities_and_amounts(key, aggregation, unit):
    metric = metric_by_key(key)
    assert (metric.aggregation, metric.unit) == (aggregation, unit)


def test_a_metric_must_name_a_canonical_activity_type():
    with pytest.raises(ValueError, match="规范名称"):
        MetricSpec("committee_count", "支委会次数", "count", ("支委会",))
