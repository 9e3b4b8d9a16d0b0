"""Signing in to a meeting with a code: the window's edges, who may sign in, leave, guessing, and the pages."""

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.clock import START, TODAY
from zhibu.records import signin
from zhibu.records.models import Attendance, SignInFailure, SignInWindow

from .test_roles import FOREIGN


def aware(day, hour, minute=0, second=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)))


@pytest.fixture
def meeting(tree, record):
    """Today's 主题党日 of 甲支部 at 14:00 with a window 13:30–16:00 (code drawn at random)."""
    activity = record(tree.orgs.a, "主题党日", TODAY, start_time=time(14, 0), subject="重温入党誓词")
    window = signin.open_window(activity, opens_at=aware(activity.date, 13, 30), closes_at=aware(activity.date, 16),
                                user=tree.users.secretary_a, now=aware(activity.date, 9))
    return activity, window


def member_sign_in(tree, code, at, **options):
    return signin.sign_in(tree.users.member_a, tree.people.a_member, code, now=at, **options)


def login_for(person, username):
    user = get_user_model().objects.create_user(username=username, password="pw-Secret-123")
    person.user = user
    person.save()
    return user


# --- the window ---------------------------------------------------------------------------------------

def test_the_default_window_runs_from_half_an_hour_before_to_two_hours_after_the_start(tree, record):
    activity = record(tree.orgs.a, "主题党日", date(2025, 6, 3), start_time=time(14, 0))
    assert signin.default_window(activity) == (aware(date(2025, 6, 3), 13, 30), aware(date(2025, 6, 3), 16))


def test_without_a_start_time_the_window_is_the_whole_day(tree, record):
    activity = record(tree.orgs.a, "主题党日", date(2025, 6, 3))
    assert signin.default_window(activity) == (aware(date(2025, 6, 3), 0), aware(date(2025, 6, 3), 23, 59))


def test_the_default_window_stays_within_the_meeting_day(tree, record):
    activity = record(tree.orgs.a, "主题党日", date(2025, 6, 3), start_time=time(0, 10))
    assert signin.default_window(activity)[0] == aware(date(2025, 6, 3), 0)


def test_signing_in_exactly_when_the_window_opens_is_taken(tree, meeting):
    activity, window = meeting
    outcome = member_sign_in(tree, window.code, window.opens_at)
    row = Attendance.objects.get(activity=activity, person=tree.people.a_member)
    assert outcome.attendance == row and row.status == "出席" and row.signed_in_at == window.opens_at


def test_signing_in_exactly_when_the_window_closes_is_taken(tree, meeting):
    activity, window = meeting
    member_sign_in(tree, window.code, window.closes_at)
    assert Attendance.objects.get(activity=activity, person=tree.people.a_member).signed_in_at == window.closes_at


def test_a_second_before_the_window_opens_the_member_is_told_when_it_will(tree, meeting):
    activity, window = meeting
    with pytest.raises(signin.SignInRefused, match="签到尚未开始.*13:30 起可以签到"):
        member_sign_in(tree, window.code, window.opens_at - timedelta(seconds=1))
    assert not Attendance.objects.filter(activity=activity).exists()


def test_a_second_after_the_window_closes_the_member_is_told_it_has_ended(tree, meeting):
    activity, window = meeting
    with pytest.raises(signin.SignInRefused, match="签到已结束"):
        member_sign_in(tree, window.code, window.closes_at + timedelta(seconds=1))
    assert not Attendance.objects.filter(activity=activity).exists()


def test_a_window_ended_by_the_manager_takes_no_more_sign_ins(tree, meeting):
    activity, window = meeting
    signin.end_window(window, now=aware(activity.date, 14, 30))
    with pytest.raises(signin.SignInRefused, match="签到已结束"):
        member_sign_in(tree, window.code, aware(activity.date, 14, 31))


def test_a_code_is_unique_among_running_windows_and_freed_when_a_window_is_over(tree, record, meeting):
    activity, window = meeting
    other = record(tree.orgs.b, "主题党日", activity.date)
    draws = iter([int(window.code), int(window.code), 123456])
    with mock.patch("zhibu.records.signin.secrets.randbelow", side_effect=lambda _n: next(draws)):
        second = signin.open_window(other, opens_at=window.opens_at, closes_at=window.closes_at, user=None,
                                    now=aware(activity.date, 10))
    assert second.code == "123456"
    later = record(tree.orgs.b, "党课", activity.date)
    with mock.patch("zhibu.records.signin.secrets.randbelow", return_value=int(window.code)):
        third = signin.open_window(later, opens_at=aware(activity.date, 20), closes_at=aware(activity.date, 21),
                                   user=None, now=aware(activity.date, 16, 1))
    window.refresh_from_db()
    assert third.code == window.code and window.ended_at == window.closes_at


def test_opening_again_ends_the_records_running_window(tree, meeting):
    activity, window = meeting
    again = signin.open_window(activity, opens_at=window.opens_at, closes_at=window.closes_at, user=None)
    window.refresh_from_db()
    assert window.ended_at is not None and signin.current_window(activity) == again


# --- who may sign in, and what happens -------------------------------------------------------------------

def test_a_wrong_code_says_so_and_counts_against_the_login(tree, meeting):
    activity, window = meeting
    wrong = "000000" if window.code != "000000" else "111111"
    with pytest.raises(signin.SignInRefused, match=f"签到码 {wrong} 不正确"):
        member_sign_in(tree, wrong, aware(activity.date, 14))
    assert SignInFailure.objects.filter(user=tree.users.member_a).count() == 1


def test_a_code_that_is_not_six_digits_is_explained_and_not_counted(tree, meeting):
    activity, _window = meeting
    with pytest.raises(signin.SignInRefused, match="请输入6位数字的签到码"):
        member_sign_in(tree, "12ab", aware(activity.date, 14))
    assert not SignInFailure.objects.exists()


def test_full_width_digits_and_spaces_are_accepted(tree, meeting):
    activity, window = meeting
    typed = " ".join(chr(ord(d) + 0xFEE0) for d in window.code)  # "１ ２ ３ …" from a Chinese keyboard
    member_sign_in(tree, typed, aware(activity.date, 14))
    assert Attendance.objects.get(activity=activity, person=tree.people.a_member).status == "出席"


def test_a_member_of_another_branch_is_refused(tree, meeting):
    activity, window = meeting
    outsider = login_for(tree.people.b_member, "member_b")
    with pytest.raises(signin.SignInRefused, match="不在这次会议的应到人员中"):
        signin.sign_in(outsider, tree.people.b_member, window.code, now=aware(activity.date, 14))
    assert not Attendance.objects.filter(activity=activity).exists()


def test_a_branch_member_outside_the_group_is_refused_at_a_group_meeting(tree, record):
    activity = record(tree.orgs.group_a, "党小组会", TODAY)
    window = signin.open_window(activity, opens_at=aware(activity.date, 0), closes_at=aware(activity.date, 23, 59), user=None)
    user = login_for(tree.people.a_other, "zhao")
    with pytest.raises(signin.SignInRefused, match="不在这次会议的应到人员中"):
        signin.sign_in(user, tree.people.a_other, window.code, now=aware(activity.date, 12))
    member_sign_in(tree, window.code, aware(activity.date, 12))  # 李党员 is in the group
    assert list(activity.attendance.values_list("person__name", flat=True)) == ["李党员"]


def test_someone_listed_on_the_record_may_sign_in_even_from_elsewhere(tree, record):
    activity = record(tree.orgs.a, "主题党日", TODAY, roll={tree.people.b_member: "缺席"})
    window = signin.open_window(activity, opens_at=aware(activity.date, 0), closes_at=aware(activity.date, 23, 59), user=None)
    user = login_for(tree.people.b_member, "member_b")
    signin.sign_in(user, tree.people.b_member, window.code, now=aware(activity.date, 12))
    assert Attendance.objects.get(activity=activity, person=tree.people.b_member).status == "出席"


def test_signing_in_twice_says_when_the_first_time_was(tree, meeting):
    activity, window = meeting
    member_sign_in(tree, window.code, aware(activity.date, 13, 45))
    with pytest.raises(signin.SignInRefused, match="您已于 13:45 签到"):
        member_sign_in(tree, window.code, aware(activity.date, 13, 50))
    assert Attendance.objects.get(activity=activity, person=tree.people.a_member).signed_in_at == aware(activity.date, 13, 45)


def test_a_recorded_leave_is_replaced_only_after_the_member_confirms(tree, meeting):
    activity, window = meeting
    Attendance.objects.create(activity=activity, person=tree.people.a_member, status="请假", reason="出差")
    outcome = member_sign_in(tree, window.code, aware(activity.date, 14))
    row = Attendance.objects.get(activity=activity, person=tree.people.a_member)
    assert outcome.needs_confirmation and outcome.leave_reason == "出差" and (row.status, row.signed_in_at) == ("请假", None)
    member_sign_in(tree, window.code, aware(activity.date, 14, 1), replace_leave=True)
    row.refresh_from_db()
    assert (row.status, row.reason, row.signed_in_at) == ("出席", "", aware(activity.date, 14, 1))


def test_a_hand_typed_present_gets_its_sign_in_time(tree, meeting):
    activity, window = meeting
    Attendance.objects.create(activity=activity, person=tree.people.a_member, status="出席")
    member_sign_in(tree, window.code, aware(activity.date, 14))
    assert Attendance.objects.get(activity=activity, person=tree.people.a_member).signed_in_at == aware(activity.date, 14)


# --- guessing ---------------------------------------------------------------------------------------------

def test_ten_wrong_codes_in_ten_minutes_make_the_login_wait_even_with_the_right_code(tree, meeting):
    activity, window = meeting
    start = aware(activity.date, 14)
    wrong = [f"{n:06d}" for n in range(20) if f"{n:06d}" != window.code][:10]
    for minute, code in enumerate(wrong):
        with pytest.raises(signin.SignInRefused, match="不正确"):
            member_sign_in(tree, code, start + timedelta(seconds=30 * minute))
    with pytest.raises(signin.SignInRefused, match="输错次数过多，请于 14:10 后再试"):
        member_sign_in(tree, window.code, start + timedelta(minutes=6))
    assert not Attendance.objects.filter(activity=activity).exists()
    member_sign_in(tree, window.code, start + timedelta(minutes=10, seconds=1))  # the first miss is 10 minutes old
    assert Attendance.objects.get(activity=activity, person=tree.people.a_member).status == "出席"


def test_another_logins_wrong_codes_do_not_count_against_this_one(tree, meeting):
    activity, window = meeting
    at = aware(activity.date, 14)
    SignInFailure.objects.bulk_create([SignInFailure(user=tree.users.secretary_a, at=at) for _ in range(10)])
    member_sign_in(tree, window.code, at)
    assert Attendance.objects.filter(activity=activity, person=tree.people.a_member).exists()


# --- pages ---------------------------------------------------------------------------------------------------

@pytest.fixture
def open_now(tree, record):
    """Today's record with a window running now (each test starts at START)."""
    activity = record(tree.orgs.a, "主题党日", TODAY, subject="现场签到")
    window = signin.open_window(activity, opens_at=START - timedelta(minutes=5), closes_at=START + timedelta(hours=1), user=None)
    return activity, window


def test_the_qr_link_fills_in_the_code_and_the_member_signs_in(client, tree, open_now):
    activity, window = open_now
    client.force_login(tree.users.member_a)
    assert f'value="{window.code}"' in client.get(reverse("sign_in"), {"code": window.code}).content.decode()
    page = client.post(reverse("sign_in"), {"code": window.code}).content.decode()
    assert "签到成功" in page and "现场签到" in page
    assert Attendance.objects.get(activity=activity).person == tree.people.a_member


def test_a_member_can_only_sign_themselves_in(client, tree, open_now):
    activity, window = open_now
    client.force_login(tree.users.member_a)
    client.post(reverse("sign_in"), {"code": window.code, "person": tree.people.a_other.pk})
    assert list(Attendance.objects.filter(activity=activity).values_list("person__name", flat=True)) == ["李党员"]


def test_the_page_shows_the_refusal_in_words(client, tree, open_now):
    _activity, window = open_now
    client.force_login(tree.users.member_a)
    wrong = "999999" if window.code != "999999" else "888888"
    assert f"签到码 {wrong} 不正确" in client.post(reverse("sign_in"), {"code": wrong}).content.decode()


def test_the_page_asks_before_replacing_a_leave(client, tree, open_now):
    activity, window = open_now
    Attendance.objects.create(activity=activity, person=tree.people.a_member, status="请假", reason="出差")
    client.force_login(tree.users.member_a)
    page = client.post(reverse("sign_in"), {"code": window.code}).content.decode()
    assert "确认到会，改为出席" in page and "出差" in page
    assert Attendance.objects.get(activity=activity).status == "请假"
    client.post(reverse("sign_in"), {"code": window.code, "replace_leave": "1"})
    assert Attendance.objects.get(activity=activity).status == "出席"


def test_a_login_without_a_person_has_no_sign_in_page(client, tree):
    client.force_login(tree.users.nobody)
    assert client.get(reverse("sign_in")).status_code == 404


def test_the_manager_opens_sign_in_with_the_default_window(client, tree, record):
    activity = record(tree.orgs.a, "支部党员大会", TODAY + timedelta(days=2), start_time=time(9, 0))
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("activity_detail", args=[activity.pk])).content.decode()
    day = activity.date.isoformat()
    assert "开启签到" in page and f'value="{day}T08:30"' in page and f'value="{day}T11:00"' in page
    response = client.post(reverse("signin_open", args=[activity.pk]), {"opens_at": f"{day}T08:30", "closes_at": f"{day}T11:00"})
    window = SignInWindow.objects.get(activity=activity)
    assert response.url == reverse("signin_screen", args=[activity.pk])
    assert (timezone.localtime(window.opens_at).time(), len(window.code)) == (time(8, 30), 6)
    screen = client.get(response.url).content.decode()
    assert "<svg" in screen and f"?code={window.code}" in screen and "http" not in screen.split("<svg")[1].split("</svg>")[0]


@pytest.mark.parametrize("opens, closes, message", [
    ("T10:00", "T09:00", "签到结束时间须晚于开始时间"),
    ("T08:00", "+1T01:00", "签到时间须在会议当天"),
])
def test_a_bad_window_is_refused_with_a_reason(client, tree, record, opens, closes, message):
    activity = record(tree.orgs.a, "主题党日", TODAY + timedelta(days=1))
    day, next_day = activity.date.isoformat(), (activity.date + timedelta(days=1)).isoformat()
    client.force_login(tree.users.secretary_a)
    closes = closes.replace("+1", next_day) if closes.startswith("+1") else day + closes
    response = client.post(reverse("signin_open", args=[activity.pk]), {"opens_at": day + opens, "closes_at": closes}, follow=True)
    assert message in response.content.decode() and not SignInWindow.objects.exists()


def test_sign_in_cannot_be_opened_for_a_past_meeting(client, tree, record):
    activity = record(tree.orgs.a, "主题党日", TODAY - timedelta(days=1))
    client.force_login(tree.users.secretary_a)
    day = activity.date.isoformat()
    response = client.post(reverse("signin_open", args=[activity.pk]), {"opens_at": f"{day}T08:00", "closes_at": f"{day}T09:00"}, follow=True)
    assert "只能为今天或以后的会议开启签到" in response.content.decode() and not SignInWindow.objects.exists()


def test_the_live_part_lists_who_signed_in_and_polls_while_the_window_runs(client, tree, open_now):
    activity, window = open_now
    signin.sign_in(tree.users.member_a, tree.people.a_member, window.code)
    client.force_login(tree.users.secretary_a)
    live = client.get(reverse("signin_live", args=[activity.pk])).content.decode()
    assert "李党员" in live and "已签到 <strong>1</strong> / 应到 3 人" in live and 'hx-trigger="every 4s"' in live
    client.post(reverse("signin_end", args=[activity.pk]))
    assert 'hx-trigger' not in client.get(reverse("signin_live", args=[activity.pk])).content.decode()


def test_ending_marks_nobody_absent_and_the_manager_chooses_whom_to_mark(client, tree, open_now):
    activity, window = open_now
    signin.sign_in(tree.users.member_a, tree.people.a_member, window.code)
    Attendance.objects.create(activity=activity, person=tree.people.a_other, status="请假", reason="病假")
    client.force_login(tree.users.secretary_a)
    assert "请先结束签到" in client.get(reverse("signin_absent", args=[activity.pk]), follow=True).content.decode()
    client.post(reverse("signin_end", args=[activity.pk]))
    assert set(activity.attendance.values_list("status", flat=True)) == {"出席", "请假"}
    page = client.get(reverse("signin_absent", args=[activity.pk])).content.decode()
    assert "王书记" in page and "李党员" not in page and "赵同志" not in page  # signed in, on leave
    client.post(reverse("signin_absent", args=[activity.pk]), {"person": [tree.people.a_secretary.pk, tree.people.a_member.pk]})
    statuses = dict(activity.attendance.values_list("person__name", "status"))
    assert statuses == {"王书记": "缺席", "李党员": "出席", "赵同志": "请假"}


def test_marking_absent_offers_only_those_neither_signed_in_nor_entered_and_can_be_undone(client, tree, open_now):
    activity, window = open_now
    Attendance.objects.create(activity=activity, person=tree.people.a_other, status="出席")  # entered by hand
    client.force_login(tree.users.secretary_a)
    client.post(reverse("signin_end", args=[activity.pk]))
    page = client.get(reverse("signin_absent", args=[activity.pk])).content.decode()
    assert "王书记" in page and "李党员" in page and "赵同志" not in page and "checked" not in page
    client.post(reverse("signin_absent", args=[activity.pk]), {"person": [tree.people.a_member.pk, tree.people.a_other.pk]})
    assert dict(activity.attendance.values_list("person__name", "status")) == {"李党员": "缺席", "赵同志": "出席"}
    assert "刚才标为缺席：李党员" in client.get(reverse("activity_detail", args=[activity.pk])).content.decode()
    client.post(reverse("signin_absent_undo", args=[activity.pk]))
    assert dict(activity.attendance.values_list("person__name", "status")) == {"赵同志": "出席"}


def test_a_new_record_of_today_lists_nobody_present_until_they_sign_in(client, tree):
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("activity_new"), {"org": tree.orgs.a.pk}).content.decode()
    roll = client.get(reverse("roll_part"), {"org": tree.orgs.a.pk, "type": _type("主题党日").pk,
                                              "date": TODAY.isoformat()}).content.decode()
    assert 'value="出席" checked' not in roll and "全部出席" in roll and page


def _type(name):
    from zhibu.records.models import ActivityType
    return ActivityType.objects.get(name=name)


# --- roles: managers only for records they manage; an edited id answers 404 ---------------------------------

@pytest.mark.parametrize("role", list(FOREIGN))
def test_an_edited_record_id_answers_404_on_every_sign_in_page(client, tree, record, role):
    activity = record(getattr(tree.orgs, FOREIGN[role]), "主题党日", TODAY, subject="机密主题")
    window = signin.open_window(activity, opens_at=START, closes_at=START + timedelta(hours=1), user=None)
    client.force_login(getattr(tree.users, role))
    for name in ("signin_screen", "signin_live", "signin_absent"):
        response = client.get(reverse(name, args=[activity.pk]))
        assert response.status_code == 404 and "机密" not in response.content.decode() and window.code not in response.content.decode(), name
    day = activity.date.isoformat()
    for name in ("signin_open", "signin_end", "signin_absent"):
        assert client.post(reverse(name, args=[activity.pk]), {"opens_at": f"{day}T00:00", "closes_at": f"{day}T23:00",
                                                               "person": [tree.people.a_member.pk]}).status_code == 404, name
    window.refresh_from_db()
    assert window.ended_at is None and SignInWindow.objects.count() == 1 and not Attendance.objects.exists()


def test_a_member_cannot_open_sign_in_for_their_own_branch(client, tree, record):
    activity = record(tree.orgs.a, "主题党日", TODAY)
    client.force_login(tree.users.member_a)
    day = activity.date.isoformat()
    assert client.post(reverse("signin_open", args=[activity.pk]), {"opens_at": f"{day}T00:00", "closes_at": f"{day}T23:00"}).status_code == 404
    assert not SignInWindow.objects.exists()


def test_a_committee_admin_opens_sign_in_for_a_branch_below(client, tree, record):
    activity = record(tree.orgs.b, "主题党日", TODAY + timedelta(days=1))
    client.force_login(tree.users.organiser)
    day = activity.date.isoformat()
    client.post(reverse("signin_open", args=[activity.pk]), {"opens_at": f"{day}T08:00", "closes_at": f"{day}T09:00"})
    assert SignInWindow.objects.filter(activity=activity).exists()
