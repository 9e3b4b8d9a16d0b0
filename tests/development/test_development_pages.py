"""Development pages per role, recording through the web, the 发展党员台账, and political birthday lists."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.development.conftest import newcomer, record
from zhibu.development.birthdays import birthdays_in, this_and_next_month
from zhibu.development.models import DevelopmentRecord
from zhibu.orgs import membership
from zhibu.orgs.models import Category, Person


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def recent_applicant(tree, branch=None, name="新同志", days_ago=40):
    person = Person.objects.create(branch=branch or tree.orgs.a, name=name, category=Category.APPLICANT, birth_date=date(1995, 3, 1))
    record(person, 1, TODAY - timedelta(days=days_ago), today=TODAY)
    return person


@pytest.mark.parametrize(("role", "foreign"), [("secretary_a", "b"), ("clerk_b", "a"), ("organiser", "c"), ("member_a", "a"), ("nobody", "a")])
def test_an_edited_branch_id_answers_404(client, tree, role, foreign):
    branch = getattr(tree.orgs, foreign)
    recent_applicant(tree, branch, name="外支部申请人")
    for url in (reverse("development_board", args=[branch.pk]), reverse("development_ledger_xlsx", args=[branch.pk]),
                reverse("political_birthdays") + f"?org={branch.pk}"):
        response = get(client, getattr(tree.users, role), url)
        assert response.status_code == 404, url
        assert "外支部申请人" not in response.content.decode()


@pytest.mark.parametrize(("role", "foreign"), [("secretary_a", "b"), ("clerk_b", "a"), ("organiser", "c"), ("member_a", "a")])
def test_an_edited_person_or_record_id_answers_404_and_changes_nothing(client, tree, role, foreign):
    person = recent_applicant(tree, getattr(tree.orgs, foreign), name="外支部申请人")
    talk = record(person, 2, TODAY - timedelta(days=30), today=TODAY)
    user = getattr(tree.users, role)
    urls = [reverse("development_record_new", args=[person.pk]), reverse("development_record_edit", args=[talk.pk])]
    if role != "member_a":  # a member's own branch is visible to them, but not its other people
        urls.append(reverse("development_timeline", args=[person.pk]))
    for url in urls:
        assert get(client, user, url).status_code == 404, url
    client.post(reverse("development_record_edit", args=[talk.pk]), {"step": 2, "date": TODAY.isoformat()})
    assert client.post(reverse("development_record_delete", args=[talk.pk])).status_code == 404
    assert DevelopmentRecord.objects.get(pk=talk.pk).date == TODAY - timedelta(days=30)


def test_a_member_reads_their_own_timeline_but_cannot_record(client, tree):
    member = tree.people.a_member
    assert get(client, tree.users.member_a, reverse("development_home"))["Location"] == reverse("development_timeline", args=[member.pk])
    page = client.get(reverse("development_timeline", args=[member.pk])).content.decode()
    assert "发展纪实" in page and "登记第" not in page
    assert client.get(reverse("development_timeline", args=[tree.people.a_other.pk])).status_code == 404
    assert client.get(reverse("development_record_new", args=[member.pk])).status_code == 404


def test_a_secretary_records_the_next_step_and_the_person_moves_on(client, tree):
    person = recent_applicant(tree, days_ago=400)
    record(person, 2, TODAY - timedelta(days=390), today=TODAY)
    client.force_login(tree.users.secretary_a)
    form = client.get(reverse("development_record_new", args=[person.pk])).content.decode()
    assert '<option value="3" selected>第3步 推荐和确定入党积极分子</option>' in form
    response = client.post(reverse("development_record_new", args=[person.pk]),
                           {"step": 3, "date": (TODAY - timedelta(days=10)).isoformat(), "note": "支委会确定"}, follow=True)
    assert "已登记新同志：第3步" in response.content.decode()
    person.refresh_from_db()
    assert (person.category, person.activist_on) == (Category.ACTIVIST, TODAY - timedelta(days=10))


def test_a_stage_date_before_the_previous_stage_is_shown_and_nothing_is_written(client, tree):
    person = recent_applicant(tree, days_ago=100)
    client.force_login(tree.users.secretary_a)
    response = client.post(reverse("development_record_new", args=[person.pk]),
                           {"step": 3, "date": (TODAY - timedelta(days=200)).isoformat()})
    assert response.status_code == 200
    assert "早于递交入党申请书日期" in response.content.decode()
    person.refresh_from_db()
    assert (person.category, person.activist_on) == (Category.APPLICANT, None)
    assert not DevelopmentRecord.objects.filter(step=3).exists()


def test_recording_a_late_talk_warns_with_the_rule_and_its_source(client, tree):
    person = recent_applicant(tree, days_ago=60)
    client.force_login(tree.users.secretary_a)
    response = client.post(reverse("development_record_new", args=[person.pk]), {"step": 2, "date": TODAY.isoformat()}, follow=True)
    page = response.content.decode()
    assert "请注意：入党申请谈话" in page
    assert "《中国共产党发展党员工作细则》第七条" in page


def test_the_board_page_shows_the_overdue_talk(client, tree):
    recent_applicant(tree, days_ago=40)
    page = get(client, tree.users.secretary_a, reverse("development_board", args=[tree.orgs.a.pk])).content.decode()
    assert "有 1 项已逾期或未按规定办理" in page
    assert "下一步：" in page and "第2步 党组织派人谈话" in page


def test_a_committee_admin_sees_every_branch_of_their_subtree(client, tree):
    recent_applicant(tree, tree.orgs.b, name="乙申请人")
    recent_applicant(tree, tree.orgs.c, name="丙申请人")
    page = get(client, tree.users.organiser, reverse("development_home")).content.decode()
    assert "乙申请人" in page and "丙申请人" not in page


def test_the_development_ledger_lists_dates_contacts_and_reminders(client, tree):
    person = recent_applicant(tree, days_ago=40)
    record(tree.people.a_member, 1, date(2008, 3, 1), today=TODAY)  # a member with a record kept here is listed too
    response = get(client, tree.users.secretary_a, reverse("development_ledger_xlsx", args=[tree.orgs.a.pk]))
    book = load_workbook(io.BytesIO(response.content))
    overview = book["发展党员台账"]
    assert overview["A1"].value == "甲支部发展党员工作台账"
    header = [cell.value for cell in overview[3]]
    rows = {row[1]: row for row in overview.iter_rows(min_row=4, values_only=True) if row[1]}
    assert set(rows) == {person.name, "李党员"}
    assert rows[person.name][header.index("下一步")] == "第2步 党组织派人谈话"
    assert "【违规】已超过收到入党申请书后一个月的谈话期限" in rows[person.name][header.index("提醒")]
    timeline = {row[:3] for row in book["发展纪实"].iter_rows(min_row=4, values_only=True)}
    assert timeline == {("李党员", 1, "递交入党申请书"), (person.name, 1, "递交入党申请书")}


# --- political birthdays ------------------------------------------------------------------------


def member(tree, name, admitted, category=Category.FULL):
    return Person.objects.create(branch=tree.orgs.a, name=name, category=category, admitted_on=admitted)


def test_this_and_next_months_lists_come_from_the_admission_date_not_conversion(tree):
    member(tree, "六月", date(2001, 6, 30))
    member(tree, "七月", date(2015, 7, 1))
    member(tree, "转正六月", date(2001, 1, 5)).__class__.objects.filter(name="转正六月").update(full_on=date(2002, 6, 5))
    created = Person.objects.filter(name__in=["六月", "七月", "转正六月"])
    this_month, next_month = this_and_next_month(created, date(2026, 6, 15))
    assert [(b.person.name, b.day, b.years) for b in this_month.birthdays] == [("六月", date(2026, 6, 30), 25)]
    assert [(b.person.name, b.years) for b in next_month.birthdays] == [("七月", 11)]
    assert next_month.title == "2026年7月"


def test_december_is_followed_by_january_of_the_next_year(tree):
    member(tree, "元月", date(2000, 1, 3))
    _, january = this_and_next_month(Person.objects.all(), date(2026, 12, 20))
    assert (january.title, [b.person.name for b in january.birthdays]) == ("2027年1月", ["元月"])


def test_a_29_february_admission_is_celebrated_on_the_28th_in_common_years(tree):
    member(tree, "闰日", date(2000, 2, 29))
    [birthday] = birthdays_in(Person.objects.all(), 2027, 2).birthdays
    assert birthday.day == date(2027, 2, 28)


def test_the_admission_year_itself_and_people_not_yet_admitted_are_left_out(tree):
    member(tree, "今年入党", date(2026, 6, 1), category=Category.PROBATIONARY)
    newcomer(tree, admitted_on=None)
    assert birthdays_in(Person.objects.all(), 2026, 6).birthdays == []


def test_the_branch_page_shows_the_lists_to_its_managers_only(client, tree):
    this_month = TODAY.replace(day=1)
    member(tree, "本月生日", this_month.replace(year=this_month.year - 10))
    page = get(client, tree.users.secretary_a, reverse("org_detail", args=[tree.orgs.a.pk])).content.decode()
    assert "政治生日" in page and "本月生日" in page and "10 周年" in page
    member_view = get(client, tree.users.member_a, reverse("org_detail", args=[tree.orgs.a.pk])).content.decode()
    assert "本月生日" not in member_view
    listing = get(client, tree.users.organiser, reverse("political_birthdays")).content.decode()
    assert "本月生日" in listing and "乙支部" in listing and "丙支部" not in listing
    assert get(client, tree.users.member_a, reverse("political_birthdays")).status_code == 404


def test_someone_who_left_the_branch_is_on_no_birthday_list(client, tree):
    # 转出 keeps Person.branch (the last branch) but closes the membership: the branch no longer honours them.
    member(tree, "本月生日", TODAY.replace(year=TODAY.year - 10, day=1))
    left = member(tree, "已转出", TODAY.replace(year=TODAY.year - 12, day=2))
    membership.record_event(left, membership.Change("转出", TODAY.replace(day=3), other_party="某县委组织部"))
    branch_page = get(client, tree.users.secretary_a, reverse("org_detail", args=[tree.orgs.a.pk])).content.decode()
    card = branch_page.split('class="card branch-extras"')[1].split("</section>")[0]  # the page lists the move itself
    listing = get(client, tree.users.secretary_a, reverse("political_birthdays")).content.decode()
    workbench = get(client, tree.users.secretary_a, reverse("home")).content.decode()
    assert all("本月生日" in part and "已转出" not in part for part in (card, listing, workbench))
