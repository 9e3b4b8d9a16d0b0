"""Evaluating metrics over the records: every figure with the records it was counted from.

All figures of one report come from one pass over the organisation's records of the
period (three queries), so a report costs the same however many figures it quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


from zhibu.orgs.models import Organisation, OrgKind, PersonPost, Post
from zhibu.records.models import Activity, Attendance, Status
from zhibu.reports.metric_catalogue import Aggregation, MetricSpec, Scope

TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True)
class MetricValue:
    metric: MetricSpec
    value: Decimal | int | None
    evidence: tuple[int, ...]  # record ids the figure was counted from
    since: int | None = None

    def display(self) -> str:
        return format_number(self.value) if self.value is not None else ""


def format_number(value) -> str:
    """Whole numbers without decimals; others with up to 2 decimals and no trailing zeros (3.50 → 3.5)."""
    if isinstance(value, int):
        return str(value)
    value = Decimal(value).quantize(Decimal("0.01"))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def json_number(value):
    if value is None:
        return None
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    return float(format_number(value))


@dataclass
class _Record:
    id: int
    type: str
    day: date
    org_id: int
    lecturer_id: int | None
    quantity: int
    amount: Decimal | None
    tags: set[str] = field(default_factory=set)
    present: set[int] = field(default_factory=set)


class MetricEvaluator:
    """Figures for one organisation: its own records and its 党小组's (scope branch), or its whole subtree."""

    def __init__(self, org: Organisation, year: int, *, earliest_since: int | None = None):
        self.org, self.year = org, year
        start = date(min(year, earliest_since or year), 1, 1)
        self._records = self._load(start, date(year, 12, 31))
        self._secretaries = set(
            PersonPost.objects.filter(post=Post.SECRETARY, person__branch__path__startswith=org.path)
            .values_list("person_id", flat=True)
        )

    def _load(self, start: date, end: date) -> list[_Record]:
        activities = (
            Activity.objects.filter(org__path__startswith=self.org.path, date__range=(start, end))
            .values_list("id", "type__name", "date", "org_id", "lecturer_id", "quantity", "amount", "org__kind", "org__depth")
        )
        records = {}
        self._own_org_ids = {self.org.pk}
        for pk, type_name, day, org_id, lecturer_id, quantity, amount, kind, depth in activities:
            records[pk] = _Record(pk, type_name, day, org_id, lecturer_id, quantity, amount)
            if kind == OrgKind.GROUP and depth == self.org.depth + 1:
                self._own_org_ids.add(org_id)  # a branch's groups are part of the branch
        for activity_id, tag in Activity.tags.through.objects.filter(activity_id__in=records).values_list("activity_id", "tag__name"):
            records[activity_id].tags.add(tag)
        present = Attendance.objects.filter(activity_id__in=records, status=Status.PRESENT).values_list("activity_id", "person_id")
        for activity_id, person_id in present:
            records[activity_id].present.add(person_id)
        return list(records.values())

    def evaluate(self, metric: MetricSpec, *, since: int | None = None) -> MetricValue:
        if metric.aggregation == Aggregation.RECTIFICATION_RATE:
            raise ValueError("整改完成率由问题清单计算，不在活动记录中")
        first_day = date(since or self.year, 1, 1)
        matching = [
            r for r in self._records
            if r.type in metric.types and first_day <= r.day and r.day.year <= self.year
            and (metric.scope == Scope.SUBTREE or r.org_id in self._own_org_ids)
            and set(metric.tags) <= r.tags
            and (not metric.lecturer_is_secretary or r.lecturer_id in self._secretaries)
        ]
        evidence = tuple(sorted(r.id for r in matching))
        if metric.aggregation == Aggregation.COUNT:
            value = len(matching)
        elif metric.aggregation == Aggregation.SUM_QUANTITY:
            value = sum(r.quantity for r in matching)
        elif metric.aggregation == Aggregation.SUM_AMOUNT:
            total = sum((r.amount or Decimal(0) for r in matching), Decimal(0))
            value = (total / TEN_THOUSAND).quantize(Decimal("0.01")) if metric.unit == "万元" else total
        elif metric.aggregation == Aggregation.DISTINCT_PEOPLE:
            value = len(set().union(*(r.present for r in matching))) if matching else 0
        else:
            raise ValueError(f"未知的统计方式：{metric.aggregation}")
        return MetricValue(metric, value, evidence, since)
