"""The membership pages: changes recorded, 内部转接 sent and accepted, 转出 letters and receipts, bad input."""

import io
from datetime import date, timedelta

import docx
import pytest

from tests.clock import TODAY
from zhibu.orgs import membership
from zhibu.orgs.letters import letter_lines
from zhibu.orgs.models import EventState, MembershipEvent, Person


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_a_transfer_out_issues_a_three_part_letter(tree, as_user, clock):
    clock.move_to(date(2026, 12, 1))  # after the transfer of 20 November and its receipt of the 25th
    client = as_user(tree.users.secretary_a)
    person = tree.people.a_other
    response = client.post(f"/people/{person.pk}/membership/", {
        "kind": "转出", "on": "2026-11-20", "other_party": "某县委组织部", "dues_paid_to": "2026-11"})
    assert response.status_code == 302
    event = MembershipEvent.objects.get(person=person)
    assert event.letter_valid_until == date(2027, 2, 20) and event.receipt_on is None
    download = client.get(f"/membership/{event.pk}/letter/")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs)
    for part in ("（存根）", "（介绍信）", "（回执）", "某县委组织部", "党费已交到2026年11月", event.letter_number):
        assert part in text
    board = client.get("/membership/").content.decode()
    assert "待回执" in board and person.name in board
    client.post(f"/membership/{event.pk}/receipt/", {"receipt_on": "2026-11-19"})  # before the letter
    event.refresh_from_db()
    assert event.receipt_on is None
    client.post(f"/membership/{event.pk}/receipt/", {"receipt_on": "2026-11-25"})
    event.refresh_from_db()
    assert event.receipt_on == date(2026, 11, 25)


def test_a_branch_sends_an_internal_transfer_and_the_other_branch_accepts_it(tree, as_user):
    person = tree.people.a_other
    sender = as_user(tree.users.secretary_a)
    sender.post(f"/people/{person.pk}/membership/", {"kind": "内部转接", "on": TODAY.isoformat(), "target": tree.orgs.b.pk})
    event = MembershipEvent.objects.get(person=person)
    assert event.state == EventState.PENDING
    person.refresh_from_db()
    assert person.branch == tree.orgs.a
    receiver = as_user(tree.users.clerk_b)
    assert person.name in receiver.get("/membership/").content.decode()
    receiver.post(f"/membership/{event.pk}/accept/")
    person.refresh_from_db()
    assert person.branch == tree.orgs.b


def test_the_committee_admin_moves_at_once(tree, as_user):
    person = tree.people.a_other
    as_user(tree.users.organiser).post(f"/people/{person.pk}/membership/", {
        "kind": "内部转接", "on": "2026-01-05", "target": tree.orgs.group_a.pk})
    person.refresh_from_db()
    assert person.group == tree.orgs.group_a


@pytest.mark.parametrize("data, message", [
    ({"kind": "内部转接", "on": "2026-01-05"}, "请选择转入的党支部"),
    ({"kind": "转出", "on": "2009-01-05", "other_party": "外单位"}, "早于"),
    ({"kind": "转出", "on": "2026-01-05"}, "转出请填写对方组织"),
    ({"kind": "出党", "on": "2026-01-05"}, "出党方式"),
    ({"kind": "转出", "on": "2026-01-05", "other_party": "外单位", "dues_paid_to": "2026/1"}, "党费交至请写成"),
])
def test_bad_changes_on_the_page_get_a_chinese_message_and_write_nothing(tree, as_user, data, message):
    person = tree.people.a_other
    response = as_user(tree.users.secretary_a).post(f"/people/{person.pk}/membership/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not MembershipEvent.objects.exists()


def test_outsiders_get_404(tree, as_user):
    event = membership.record_event(tree.people.a_other, membership.Change("转出", date(2026, 1, 5), other_party="外单位"))
    client = as_user(tree.users.clerk_b)
    assert client.get(f"/membership/{event.pk}/letter/").status_code == 404
    assert client.get(f"/people/{tree.people.a_other.pk}/membership/").status_code == 404
    assert client.post(f"/membership/{event.pk}/receipt/", {"receipt_on": "2026-02-01"}).status_code == 404


def test_the_person_form_does_not_move_people(tree, as_user):
    person = tree.people.a_other
    client = as_user(tree.users.organiser)
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert "登记组织关系变动" in page
    client.post(f"/people/{person.pk}/edit/", {"name": person.name, "branch": tree.orgs.b.pk, "category": "正式党员",
                                                "admitted_on": "2010-07-01", "full_on": "2011-07-01", "dues_category": "在职"})
    person.refresh_from_db()
    assert person.branch == tree.orgs.a


def test_letter_lines_say_who_goes_where(tree):
    event = membership.record_event(tree.people.a_other, membership.Change("转出", date(2026, 1, 5), other_party="某县委组织部"))
    lines = letter_lines(event)
    assert list(lines) == ["存根", "介绍信", "回执"]
    assert "由甲支部转去你处" in lines["介绍信"][2] and "由甲支部转到某县委组织部" in lines["存根"][1]
    assert (event.letter_valid_until - event.on) > timedelta(days=85)


def test_the_branch_page_lists_who_came_and_left_in_a_year(tree, as_user):
    membership.record_event(tree.people.a_other, membership.Change("内部转接", date(2025, 7, 15), target=tree.orgs.b))
    membership.record_event(tree.people.b_member, membership.Change("转出", date(2025, 9, 1), other_party="某县委组织部"))
    client = as_user(tree.users.organiser)
    page_b = client.get(f"/orgs/{tree.orgs.b.pk}/?year=2025").content.decode()
    assert "转来（1）" in page_b and "来自甲支部" in page_b and "转走（1）" in page_b and "到某县委组织部" in page_b
    assert "孙党员" not in page_b.split('id="moves"')[0] and page_b.count("孙党员") == 1  # left: only in the moves
    page_a = client.get(f"/orgs/{tree.orgs.a.pk}/?year=2025").content.decode()
    assert "转走（1）" in page_a and "到乙支部" in page_a
    assert "转走（0）" in client.get(f"/orgs/{tree.orgs.a.pk}/?year=2024").content.decode()


def test_the_person_page_shows_a_member_away(tree, as_user):
    membership.record_event(tree.people.a_other, membership.Change("外出流动", date(2026, 3, 1), other_party="深圳某街道党工委"))
    page = as_user(tree.users.secretary_a).get(f"/people/{tree.people.a_other.pk}/").content.decode()
    assert "流动党员" in page and "深圳某街道党工委" in page
