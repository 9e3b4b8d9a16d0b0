"""The JSON API: login required, the same scoping as the pages, 404 for anything outside it."""

from datetime import date

import pytest

from tests.records.conftest import make_record


def test_it_requires_a_login(client, tree):
    assert client.get("/api/orgs").status_code == 401


def test_orgs_and_people_are_scoped(client, tree):
    client.force_login(tree.users.secretary_a)
    assert {o["name"] for o in client.get("/api/orgs").json()} == {"甲支部", "甲一小组"}
    names = {p["name"] for p in client.get("/api/people").json()}
    assert "李党员" in names and "孙党员" not in names and "周党员" not in names


def test_a_member_sees_only_themselves(client, tree):
    client.force_login(tree.users.member_a)
    assert [p["name"] for p in client.get("/api/people").json()] == ["李党员"]
    assert client.get(f"/api/records?org={tree.orgs.a.pk}&year=2025").status_code == 404


@pytest.mark.parametrize("endpoint", ["records", "check", "report"])
def test_an_edited_org_id_answers_404(client, tree, endpoint):
    make_record(tree.orgs.b, "主题党日", date(2025, 3, 1), subject="乙支部的记录")
    client.force_login(tree.users.secretary_a)
    response = client.get(f"/api/{endpoint}?org={tree.orgs.b.pk}&year=2025")
    assert response.status_code == 404 and "乙支部" not in response.content.decode()


def test_check_gives_the_same_findings_as_the_command(client, tree):
    client.force_login(tree.users.organiser)
    findings = client.get(f"/api/check?org={tree.orgs.a.pk}&year=2025").json()
    assert {"org", "rule", "type", "period", "required", "actual", "severity", "message", "evidence"} <= set(findings[0])


def test_records_of_the_subtree(client, tree):
    make_record(tree.orgs.group_a, "党小组会", date(2025, 3, 1), subject="小组学习")
    client.force_login(tree.users.secretary_a)
    assert [r["subject"] for r in client.get(f"/api/records?org={tree.orgs.a.pk}&year=2025").json()] == ["小组学习"]
