"""`zhibu check`: the JSON shape named in the issue, and exit codes."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.clock import TODAY
from tests.records.conftest import make_record

REQUIRED_KEYS = {"org", "rule", "type", "period", "required", "actual", "severity", "message", "evidence"}


def _check_json(capsys, **options):
    call_command("compliance", json=True, **options)
    return json.loads(capsys.readouterr().out)


def test_it_prints_a_json_array_of_findings(tree, capsys):
    congress = make_record(tree.orgs.a, "支部党员大会", date(2025, 2, 10))
    findings = _check_json(capsys, org="测试机关党委", year="2025")
    assert isinstance(findings, list) and findings
    assert all(REQUIRED_KEYS <= set(f) for f in findings)
    congress_findings = [f for f in findings if f["org"] == "甲支部" and f["rule"] == "congress_quarterly"]
    assert [f["period"] for f in congress_findings] == ["2025-Q2", "2025-Q3", "2025-Q4"]
    assert all(f["type"] == "支部党员大会" and f["severity"] == "违规" and f["required"] == 1 for f in congress_findings)
    assert congress.pk not in {e for f in congress_findings for e in f["evidence"]}
    assert {f["org"] for f in findings} <= {"甲支部", "乙支部"}  # only the named subtree


def test_evidence_lists_the_records_looked_at(tree, capsys):
    lesson = make_record(tree.orgs.a, "党课", date(2025, 3, 1), lecturer=tree.people.a_member)
    findings = _check_json(capsys, org="甲支部", year="2025")
    [secretary_lesson] = [f for f in findings if f["rule"] == "secretary_lesson_yearly"]
    assert secretary_lesson["actual"] == 0 and secretary_lesson["evidence"] == []
    [q2_lesson] = [f for f in findings if f["rule"] == "lesson_quarterly" and f["period"] == "2025-Q2"]
    assert q2_lesson["evidence"] == []
    assert lesson.pk not in [e for f in findings for e in f["evidence"]]


def test_structure_rules_use_a_null_type(tree, capsys):
    findings = _check_json(capsys, org="乙支部", year="2025")
    [no_secretary] = [f for f in findings if f["rule"] == "secretary_missing"]
    assert no_secretary["type"] is None and no_secretary["period"] == "2025"


@pytest.mark.parametrize("options, message", [
    ({"org": "不存在", "year": "2025"}, "没有名为“不存在”的组织"),
    ({"org": "甲支部", "year": "二〇二五"}, "不是有效的年份"),
    ({"org": "甲支部", "year": "25"}, "不是有效的年份"),
])
def test_bad_arguments_fail_with_a_message(tree, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("compliance", **options)


def test_a_future_year_has_no_findings(tree, capsys):
    assert _check_json(capsys, org="甲支部", year=str(TODAY.year + 1)) == []
