"""Composed metric keys: every key parses back to the same figure, and a malformed one is refused."""

from datetime import date

import pytest

from zhibu.reports.metric_catalogue import Metric, parse_metric


@pytest.mark.parametrize("key", [
    "count:谈心谈话", "count:党课|lecturer=secretary", "count:党课|tag=廉政", "count:局务会|since=2023",
    "count:支部党员大会|year=-1", "count:党建工作专题研究|scope=own", "quantity:签订党风廉政建设责任书",
    "amount:捐款", "people:政治生日", "attendances:主题党日", "attendance_rate:支部党员大会", "ordinal:支部党员大会",
    "month:组织生活会", "day:组织生活会", "roster:members", "roster:female|on=2025-06-30", "orgs:branches",
    "orgs:units", "developed:admitted", "developed:confirmed|year=-1", "dues:paid", "dues:rate", "rectification:rate",
])
def test_a_key_parses_back_to_itself(key):
    assert parse_metric(key).key == key


@pytest.mark.parametrize("key", [
    "", "count", "count:", "roster:nobody", "count:党课|tag", "count:党课|lecturer=anyone", "count:党课|year=1",
    "count:党课|tag=廉政|lecturer=secretary",  # options out of name order: two keys for one figure
    "party_congress_count",
])
def test_a_malformed_key_is_refused_in_chinese(key):
    with pytest.raises(KeyError, match="统计指标"):
        parse_metric(key)


def test_options_compose_in_name_order():
    metric = Metric("count", "党课", tag="廉政", lecturer="secretary", since=2023)
    assert metric.key == "count:党课|lecturer=secretary|since=2023|tag=廉政"
    assert Metric("roster", "members", on=date(2025, 12, 31)).key == "roster:members|on=2025-12-31"


def test_labels_use_the_types_current_name():
    assert parse_metric("count:支部党员大会").label({"支部党员大会": "党员大会（全体）"}) == "党员大会（全体）次数"
    assert parse_metric("dues:rate").is_rate and parse_metric("month:党课").is_date
