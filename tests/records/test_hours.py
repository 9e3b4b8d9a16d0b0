"""学时: a record's own hours or its type's default, earned by attending, against the 32 of 第二十条."""

from datetime import date
from decimal import Decimal

from tests.clock import TODAY
from tests.records.conftest import make_record
from zhibu.records.hours import REQUIRED_HOURS, member_hours
from zhibu.records.models import ActivityType


def test_hours_come_from_the_record_or_its_type_and_only_attending_counts(tree):
    assert ActivityType.objects.get(name="党课").study_hours == Decimal(4)
    member, other = tree.people.a_member, tree.people.a_other
    make_record(tree.orgs.a, "党课", date(2025, 3, 1), roll={member: "出席", other: "缺席"})
    make_record(tree.orgs.a, "理论学习", date(2025, 4, 1), roll={member: "出席"}, study_hours=Decimal(8))  # a full day
    make_record(tree.orgs.a, "支部委员会会议", date(2025, 5, 1), roll={member: "出席"})  # no study hours
    make_record(tree.orgs.a, "支部委员会会议", date(2025, 6, 1), roll={member: "出席"}, study_hours=Decimal("1.5"))  # its own
    make_record(tree.orgs.a, "党课", date(2025, 7, 1), roll={member: "出席"}, study_hours=Decimal(0))  # its own: none
    make_record(tree.orgs.a, "党课", date(2024, 3, 1), roll={member: "出席"})  # another year
    totals = member_hours([member.pk, other.pk], 2025, until=date(2025, 12, 31))
    assert totals[member.pk] == Decimal("13.5") and totals[other.pk] == 0
    assert member_hours([member.pk], 2025, until=date(2025, 3, 31))[member.pk] == Decimal(4)
    assert REQUIRED_HOURS == 32


def test_my_page_shows_my_hours_this_year(client, tree):
    make_record(tree.orgs.a, "党课", TODAY, roll={tree.people.a_member: "出席"})
    client.force_login(tree.users.member_a)
    content = client.get("/me/").content.decode()
    assert "我的学时" in content and "本年 4.0 学时" in content and "不少于32" in content
