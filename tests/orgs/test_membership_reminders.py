"""Reminders at the edges: 失联 6 months → 停止党籍, 停止党籍 2 years → 除名, 第三十一条 joined with the dues
warnings; letters past validity without 回执 on the 工作台 of the branch and its committee."""

from datetime import date

from tests.clock import TODAY
from zhibu.orgs import membership
from zhibu.orgs.membership import Change
from zhibu.web.workbench import join_article_31, workbench


def move(person, kind, on, today=date(2026, 12, 1), **extra):
    return membership.record_event(person, Change(kind, on, **extra), today=today)


def test_lost_contact_for_six_months_makes_suspension_due_on_the_day(tree):
    move(tree.people.a_other, "失联", date(2026, 6, 1))
    assert membership.reminders([tree.orgs.a], date(2026, 11, 30)) == []
    [reminder] = membership.reminders([tree.orgs.a], date(2026, 12, 1))
    assert reminder.tag == "停止党籍" and "失去联系已满6个月" in reminder.message and reminder.branch == tree.orgs.a
    move(tree.people.a_other, "恢复联系", date(2026, 12, 1))
    assert membership.reminders([tree.orgs.a], date(2026, 12, 1)) == []


def test_two_years_after_suspension_removal_is_due(tree):
    move(tree.people.a_other, "失联", date(2023, 1, 10), today=date(2024, 11, 1))
    move(tree.people.a_other, "停止党籍", date(2023, 8, 1), today=date(2024, 11, 1))
    assert [r.tag for r in membership.reminders([tree.orgs.a], date(2025, 7, 31))] == []
    [reminder] = membership.reminders([tree.orgs.a], date(2025, 8, 1))
    assert reminder.tag == "除名" and "停止党籍已满2年" in reminder.message
    assert membership.reminders([tree.orgs.b], date(2025, 8, 1)) == []


class Row:
    def __init__(self, person, run):
        self.person, self.unpaid_run = person, run


def test_article_31_replaces_the_dues_warning_of_someone_also_absent_six_months(tree):
    from tests.records.conftest import make_record

    today = date(2026, 12, 1)
    away, present = tree.people.a_other, tree.people.a_member
    make_record(tree.orgs.a, "主题党日", date(2026, 10, 5), roll={present: "出席", away: "缺席"})
    make_record(tree.orgs.a, "主题党日", date(2026, 5, 5), roll={away: "出席"})  # more than 6 months ago
    warnings = [(tree.orgs.a, Row(away, 6)), (tree.orgs.a, Row(present, 6)), (tree.orgs.a, Row(tree.people.a_secretary, 5))]
    dues, lapsed = join_article_31(warnings, today)
    assert [(row.person, last) for _b, row, last in lapsed] == [(away, date(2026, 5, 5))]
    assert [row.person for _b, row in dues] == [present, tree.people.a_secretary]  # one reminder per person


def test_a_letter_past_validity_without_receipt_shows_on_the_workbench_of_branch_and_committee(tree):
    event = move(tree.people.a_other, "转出", date(2026, 8, 1), other_party="某县委组织部")
    for user in (tree.users.secretary_a, tree.users.organiser):
        assert workbench(user, date(2026, 11, 2)).letters_overdue == [event]
        assert workbench(user, date(2026, 11, 1)).letters_overdue == []
    assert workbench(tree.users.clerk_b, date(2026, 11, 2)).letters_overdue == []
    membership.record_receipt(event, date(2026, 11, 5), today=date(2026, 12, 1))
    assert workbench(tree.users.organiser, date(2026, 12, 1)).letters_overdue == []


def test_the_workbench_page_lists_the_overdue_letter(client, tree):
    move(tree.people.a_other, "转出", date(2026, 1, 5), other_party="某县委组织部", today=TODAY)
    client.force_login(tree.users.secretary_a)
    content = client.get("/").content.decode()
    assert "已过有效期" in content and "某县委组织部" in content
