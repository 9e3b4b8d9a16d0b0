"""Activity types come from the catalogue; records keep their numbers sane; tags are one indexed join."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zhibu.records.catalogue import ACTIVITY_TYPES, Measure
from zhibu.records.models import Activity, ActivityType


def test_the_migration_loads_every_catalogue_type_with_its_aliases(db):
    loaded = {t.name: t for t in ActivityType.objects.all()}
    assert list(loaded) == [spec.name for spec in ACTIVITY_TYPES]  # catalogue order
    for spec in ACTIVITY_TYPES:
        row = loaded[spec.name]
        assert (tuple(row.alias_list), row.group, row.takes_attendance, row.measure, row.unit) == (
            spec.aliases, spec.group, spec.takes_attendance, str(spec.measure), spec.unit)


def test_the_roll_circle_of_the_three_meetings_follows_the_rules(db):
    expected = dict(ActivityType.objects.values_list("name", "expected"))
    assert (expected["支部党员大会"], expected["支部委员会会议"], expected["党小组会"], expected["志愿服务"]) == (
        "全体党员", "支部委员", "全体党员", "按名单")


def test_a_type_resolves_by_alias_ignoring_spaces_and_suggests_the_nearest_otherwise(db):
    assert ActivityType.objects.resolve("支 委 会").name == "支部委员会会议"
    with pytest.raises(LookupError, match="是否指“主题党日”"):
        ActivityType.objects.resolve("主题党日会")


def test_an_alias_taken_by_another_type_is_refused(db):
    from django.core.exceptions import ValidationError

    new = ActivityType(name="支部学习", aliases="集中学习", group="学习教育", measure=Measure.COUNT, unit="次")
    with pytest.raises(ValidationError, match="已是活动类型“理论学习”的名称或别名"):
        new.clean()


@pytest.mark.parametrize("values", [{"quantity": 0}, {"amount": Decimal("-1")}])
def test_the_database_refuses_zero_quantities_and_negative_amounts(tree, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(org=tree.orgs.a, type=ActivityType.objects.get(name="捐款"), date=date(2025, 1, 1), **values)


def test_the_same_number_may_not_repeat_within_one_organisation(tree, record):
    record(tree.orgs.a, "党课", ref="2025-1")
    record(tree.orgs.b, "党课", ref="2025-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        record(tree.orgs.a, "主题党日", ref="2025-1")


def test_records_tagged_integrity_are_found_in_one_query(tree, record):
    record(tree.orgs.a, "党课", tags=["廉政", "专题"])
    record(tree.orgs.a, "党课", tags=["专题"])
    with CaptureQueriesContext(connection) as queries:
        count = Activity.objects.tagged("廉政").of_type("党课").count()
    assert count == 1 and len(queries) == 1


def test_an_amount_type_needs_an_amount(tree):
    from django.core.exceptions import ValidationError

    record = Activity(org=tree.orgs.a, type=ActivityType.objects.get(name="工作经费划拨"), date=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="按金额统计"):
        record.clean()


def test_a_record_after_today_is_planned(tree, record):
    assert record(tree.orgs.a, "党课", date(2099, 1, 1)).is_planned
    assert not record(tree.orgs.a, "党课", date(2020, 1, 1)).is_planned
