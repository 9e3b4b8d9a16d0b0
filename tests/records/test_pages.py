"""The record pages as a secretary uses them: create with a roll, edit, filter, calendar, attendance, types."""

from datetime import date, timedelta

from django.urls import reverse

from tests.clock import TODAY
from zhibu.records.models import Activity, ActivityType, Attendance, Status


def _form(tree, **changes):
    data = {"org": tree.orgs.a.pk, "type": ActivityType.objects.get(name="支部党员大会").pk, "date": "2025-05-20",
            "start_time": "14:30", "subject": "讨论接收预备党员", "place": "三楼会议室", "chair": tree.people.a_secretary.pk,
            "quantity": 1, "tag_text": "专题", "minutes": "一、……"}
    for person in (tree.people.a_secretary, tree.people.a_member, tree.people.a_other):
        data[f"roll-{person.pk}"] = "出席"
    data.update(changes)
    return data


def test_a_secretary_creates_a_record_with_its_roll(client, tree):
    client.force_login(tree.users.secretary_a)
    data = _form(tree, **{f"roll-{tree.people.a_other.pk}": "请假", f"roll-{tree.people.a_other.pk}-reason": "公差"})
    response = client.post(reverse("activity_new"), data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activity_detail", args=[activity.pk])
    roll = {row.person.name: (row.status, row.reason) for row in activity.attendance.all()}
    assert roll == {"王书记": ("出席", ""), "李党员": ("出席", ""), "赵同志": ("请假", "公差")}
    page = client.get(response["Location"]).content.decode()
    assert "赵同志（请假：公差）" in page and "66.7%" in page and "<td>王书记</td><td>记录</td>" in page  # figures; history names the person


def test_the_new_form_lists_the_branch_with_present_preselected(client, tree):
    client.force_login(tree.users.secretary_a)
    type_id = ActivityType.objects.get(name="主题党日").pk
    page = client.get(reverse("roll_part"), {"org": tree.orgs.a.pk, "type": type_id, "date": "2025-05-20"}).content.decode()
    for person in (tree.people.a_secretary, tree.people.a_member, tree.people.a_other):
        assert f'name="roll-{person.pk}" value="出席" checked' in page
    assert "孙党员" not in page


def test_a_listed_type_offers_not_taking_part_by_default(client, tree):
    client.force_login(tree.users.secretary_a)
    type_id = ActivityType.objects.get(name="志愿服务").pk
    page = client.get(reverse("roll_part"), {"org": tree.orgs.a.pk, "type": type_id, "date": "2025-05-20"}).content.decode()
    assert f'name="roll-{tree.people.a_member.pk}" value="" checked' in page and "value=\"出席\" checked" not in page


def test_a_planned_meeting_keeps_no_roll_and_offers_its_sign_in_sheet(client, tree):
    client.force_login(tree.users.secretary_a)
    future = (TODAY + timedelta(days=7)).isoformat()
    client.post(reverse("activity_new"), _form(tree, date=future))
    activity = Activity.objects.get()
    assert activity.is_planned and not activity.attendance.exists()
    assert "下载签到表" in client.get(reverse("activity_detail", args=[activity.pk])).content.decode()


def test_editing_the_roll_changes_only_what_changed_and_keeps_the_history(client, tree, record):
    activity = record(tree.orgs.a, "支部党员大会", roll={tree.people.a_secretary: "出席", tree.people.a_member: "出席",
                                                      tree.people.a_other: "出席"})
    client.force_login(tree.users.secretary_a)
    data = _form(tree, **{f"roll-{tree.people.a_member.pk}": "缺席"})
    assert client.post(reverse("activity_edit", args=[activity.pk]), data).status_code == 302
    assert activity.attendance.get(person=tree.people.a_member).status == Status.ABSENT
    assert Attendance.history.filter(history_type="~").count() == 1
    page = client.get(reverse("activity_detail", args=[activity.pk])).content.decode()
    assert "李党员 出席 → 缺席" in page and "修改 " in page


def test_a_bad_form_keeps_what_was_typed_and_writes_nothing(client, tree):
    client.force_login(tree.users.secretary_a)
    data = _form(tree, start_time="25:99", **{f"roll-{tree.people.a_other.pk}": "请假", f"roll-{tree.people.a_other.pk}-reason": "病假"})
    page = client.post(reverse("activity_new"), data).content.decode()
    assert 'has-error" data-field="start_time"' in page and 'value="病假"' in page
    assert not Activity.objects.exists()


def test_a_leave_without_its_reason_is_refused(client, tree):
    client.force_login(tree.users.secretary_a)
    page = client.post(reverse("activity_new"), _form(tree, **{f"roll-{tree.people.a_other.pk}": "请假"})).content.decode()
    assert "赵同志请假，请填写请假原因" in page and not Activity.objects.exists()


def test_fields_the_type_does_not_use_are_not_kept(client, tree):
    client.force_login(tree.users.secretary_a)
    client.post(reverse("activity_new"), _form(tree, quantity=5, amount="300", lecturer_text="外请专家"))
    activity = Activity.objects.get()
    assert (activity.quantity, activity.amount, activity.lecturer_text) == (1, None, "")


def test_a_single_branch_secretary_finds_the_branch_chosen(client, tree):
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("activity_new")).content.decode()
    assert f'<option value="{tree.orgs.a.pk}" selected>' in page


def test_the_list_filters_by_subtree_type_year_and_tag(client, tree, record):
    record(tree.orgs.group_a, "党小组会", date(2025, 2, 1), subject="小组学习")
    record(tree.orgs.a, "党课", date(2025, 3, 1), subject="廉政党课", tags=["廉政"])
    record(tree.orgs.b, "党课", date(2025, 3, 1), subject="乙支部党课")
    record(tree.orgs.a, "党课", date(2024, 3, 1), subject="去年党课")
    client.force_login(tree.users.organiser)
    page = client.get(reverse("activity_list"), {"org": tree.orgs.a.pk, "year": 2025}).content.decode()
    assert "小组学习" in page and "廉政党课" in page and "乙支部党课" not in page and "去年党课" not in page
    page = client.get(reverse("activity_list"), {"tag": "廉政"}, HTTP_HX_REQUEST="true").content.decode()
    assert "廉政党课" in page and "小组学习" not in page and "<html" not in page  # htmx gets the rows only


def test_the_calendar_shows_the_month(client, tree, record):
    record(tree.orgs.a, "主题党日", date(2025, 7, 1))
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("activity_calendar"), {"year": 2025, "month": 7}).content.decode()
    assert "2025年7月" in page and "主题党日" in page


def test_the_attendance_page_counts_each_member(client, tree, record):
    record(tree.orgs.a, "支部党员大会", date(2025, 3, 1), roll={tree.people.a_member: ("请假", "病假"), tree.people.a_secretary: "出席"})
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("attendance_year"), {"org": tree.orgs.a.pk, "year": 2025}).content.decode()
    assert "李党员" in page and "100.0%" in page and "0.0%" in page


def test_a_member_sees_only_their_own_attendance(client, tree, record):
    record(tree.orgs.a, "支部党员大会", date(TODAY.year, 1, 2), roll={tree.people.a_member: ("请假", "病假"),
                                                                tree.people.a_other: "缺席"})
    client.force_login(tree.users.member_a)
    page = client.get(reverse("my_attendance")).content.decode()
    assert "请假" in page and "病假" in page and "赵同志" not in page
    assert client.get(reverse("activity_list")).status_code == 404


def test_only_a_committee_administrator_edits_activity_types(client, tree):
    党课 = ActivityType.objects.get(name="党课")
    client.force_login(tree.users.secretary_a)
    assert client.get(reverse("type_edit", args=[党课.pk])).status_code == 404
    assert "编辑" not in client.get(reverse("type_list")).content.decode().split("<tbody>")[1]
    client.force_login(tree.users.organiser)
    data = {"name": "党课", "aliases": "讲党课、上党课、微党课", "group": "三会一课", "takes_attendance": "on",
            "expected": "全体党员", "measure": "count", "unit": "次", "active": "on", "position": 40}
    assert client.post(reverse("type_edit", args=[党课.pk]), data).status_code == 302
    assert ActivityType.objects.resolve("微党课") == 党课


def test_an_activity_type_rejects_a_unit_that_does_not_fit_its_measure(client, tree):
    client.force_login(tree.users.organiser)
    data = {"name": "慰问", "group": "党建引领", "expected": "按名单", "measure": "amount", "unit": "次", "position": 1}
    page = client.post(reverse("type_new"), data).content.decode()
    assert "按金额统计时，计量单位可填：元" in page
