"""Evaluating figures (zhibu.reports.metric_catalogue) over what the records hold.

The evaluator is made for an actor: it fetches the organisation again through zhibu.orgs.access, so a figure
is only ever counted within what that login (or `access.SYSTEM` for a command) manages, whatever it was handed.

Only what has happened counts: records are those held by `today` (Activity.objects.held), the roster is the
one on the day asked (never later than today), dues are what was paid. The records of the period are loaded
once for all figures of a report (a fixed number of queries); the roster, dues and attendance figures are
loaded only when the report asks for them.

A figure the records cannot answer raises Unanswerable with the reason in Chinese; the caller shows 【待填】.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from zhibu.orgs import access, membership
from zhibu.orgs.models import Category, DuesCategory, Gender, Organisation, OrgKind, Person, PersonPost, Post
from zhibu.records.models import Activity, ActivityType, Attendance, Status
from zhibu.reports.metric_catalogue import Metric

TEN_THOUSAND = Decimal(10000)


class Unanswerable(Exception):
    """The records cannot give this figure; the message says why."""


@dataclass(frozen=True)
class MetricValue:
    metric: Metric
    value: Decimal | int | None
    evidence: tuple[int, ...]  # record ids the figure was counted from

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


def percent(part, whole) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# The roster on a day


# The stages a person passes, in order, with the date each began.
_STAGES = (
    (Category.APPLICANT, "applied_on"),
    (Category.ACTIVIST, "activist_on"),
    (Category.CANDIDATE, "candidate_on"),
    (Category.PROBATIONARY, "admitted_on"),
    (Category.FULL, "full_on"),
)


def category_on(person: Person, day: date) -> str | None:
    """The person's stage on `day`, from today's category and the dates the stages began (None: none yet).

    A stage whose date is missing is taken to have begun with the last earlier stage that has one; an earlier
    stage without any date is not counted (nothing says when it was); today's stage without any date counts.
    """
    reached = next((i for i, (category, _) in enumerate(_STAGES) if category == person.category), None)
    if reached is None:
        return None
    found, last_known = None, None
    for i, (category, attribute) in enumerate(_STAGES[: reached + 1]):
        began = getattr(person, attribute) or last_known
        if began is not None:
            last_known = began
            if began > day:
                break
            found = category
        elif i == reached:
            found = category
    return found


# ---------------------------------------------------------------------------
# Records


class _Record:
    """A record as the figures read it. A committee's two years are a hundred thousand of them: a plain class
    with slots, and no set of its own until it has a tag or a roll read."""

    __slots__ = ("id", "type", "day", "org_id", "lecturer_id", "quantity", "amount", "tags", "present")
    NONE: frozenset = frozenset()

    def __init__(self, id: int, type: str, day: date, org_id: int, lecturer_id: int | None, quantity: int,
                 amount: Decimal | None):
        # `type` is the type's key.
        self.id, self.type, self.day, self.org_id, self.lecturer_id = id, type, day, org_id, lecturer_id
        self.quantity, self.amount = quantity, amount
        self.tags: set[str] | frozenset = _Record.NONE
        self.present: set[int] | frozenset = _Record.NONE


class FigureEvaluator:
    """Figures for one organisation the actor manages and one report year, as of `today` (404 outside the scope)."""

    def __init__(self, actor, org: Organisation, year: int, *, today: date | None = None, earliest: int | None = None):
        self.org, self.year = access.org_for(actor, org.pk), year
        self.today = today or date.today()
        self.start_year = min(year - 1, earliest or year)
        self._orgs = list(Organisation.objects.filter(path__startswith=self.org.path).values_list("pk", "path", "kind", "unit", "depth"))
        self._branch_of_org = self._branch_ids()
        self._own_org_ids = {self.org.pk} | {
            pk for pk, path, kind, _, depth in self._orgs if kind == OrgKind.GROUP and depth == self.org.depth + 1
        }
        self._records = self._load(date(self.start_year, 1, 1), date(year, 12, 31))
        self._secretary_of_branch = defaultdict(set)
        for person_id, branch_id in PersonPost.objects.filter(
            post=Post.SECRETARY, person__branch__path__startswith=self.org.path
        ).values_list("person_id", "person__branch_id"):
            self._secretary_of_branch[branch_id].add(person_id)
        self._roster_cache: dict[date, dict[str, list[Person]]] = {}

    def _branch_ids(self) -> dict[int, int | None]:
        branch_by_path = {path: pk for pk, path, kind, _, _ in self._orgs if kind == OrgKind.BRANCH}
        steplen = Organisation.steplen
        result = {}
        for pk, path, kind, _, _ in self._orgs:
            result[pk] = pk if kind == OrgKind.BRANCH else branch_by_path.get(path[:-steplen])
        if self.org.kind == OrgKind.GROUP:
            parent = Organisation.objects.get_parent(self.org)
            result[self.org.pk] = parent.pk if parent else None
        return result

    def _load(self, start: date, end: date) -> list[_Record]:
        activities = Activity.objects.held(self.today).filter(org__path__startswith=self.org.path, date__range=(start, end))
        records = {}
        for pk, key, day, org_id, lecturer_id, quantity, amount in activities.values_list(
            "id", "type__key", "date", "org_id", "lecturer_id", "quantity", "amount"
        ):
            records[pk] = _Record(pk, key, day, org_id, lecturer_id, quantity, amount)
        for activity_id, tag in Activity.tags.through.objects.filter(activity__in=activities).values_list("activity_id", "tag__name"):
            record = records[activity_id]
            if record.tags is _Record.NONE:
                record.tags = set()
            record.tags.add(tag)
        # Who was present is read per type, when a figure asks for people (a committee's two years hold millions
        # of attendance rows, and most figures only count records).
        self._activities, self._by_id, self._present_loaded = activities, records, set()
        self._by_type: dict[str, list[_Record]] = defaultdict(list)  # each figure reads one type's records
        for record in records.values():
            self._by_type[record.type].append(record)
        return list(records.values())

    def _with_present(self, records: list[_Record]) -> list[_Record]:
        """`records` with their `present` filled: one query per activity type, the first time it is asked for."""
        for key in {r.type for r in records} - self._present_loaded:
            rows = Attendance.objects.filter(activity__in=self._activities.filter(type__key=key), status=Status.PRESENT)
            for activity_id, person_id in rows.values_list("activity_id", "person_id"):
                record = self._by_id[activity_id]
                if record.present is _Record.NONE:
                    record.present = set()
                record.present.add(person_id)
            self._present_loaded.add(key)
        return records

    # -- periods and scope

    def _years(self, metric: Metric) -> tuple[int, int]:
        if metric.year:
            report_year = self.year + metric.year
            if not any(r.day.year == report_year for r in self._records):
                raise Unanswerable(f"没有{report_year}年的活动记录，上年度的数字请填写")
            return report_year, report_year
        return (metric.since or self.year), self.year

    def _own_only(self, metric: Metric) -> bool:
        # A branch's subtree is the branch and its groups; a committee's default is its whole subtree.
        return metric.scope == "own"

    def matching(self, metric: Metric) -> list[_Record]:
        first, last = self._years(metric)
        own_only = self._own_only(metric)
        result = []
        for r in self._by_type.get(metric.subject, ()):
            if not first <= r.day.year <= last:
                continue
            if own_only and r.org_id not in self._own_org_ids:
                continue
            if metric.tag and metric.tag not in r.tags:
                continue
            if metric.lecturer and r.lecturer_id not in self._secretary_of_branch.get(self._branch_of_org.get(r.org_id), ()):
                continue
            result.append(r)
        return result

    # -- evaluation

    def evaluate(self, metric: Metric) -> MetricValue:
        if metric.over_type:
            return self._over_type(metric)
        by_what = {"roster": self._roster, "orgs": self._orgs_figure, "developed": self._developed,
                   "stats": self._stats, "dues": self._dues, "rectification": self._rectification}
        if metric.what not in by_what:
            raise Unanswerable(f"无法计算“{metric.key}”")
        return by_what[metric.what](metric)

    def _over_type(self, metric: Metric) -> MetricValue:
        records = self.matching(metric)
        evidence = tuple(sorted(r.id for r in records))
        what = metric.what
        if what == "count":
            return MetricValue(metric, len(records), evidence)
        if what == "quantity":
            return MetricValue(metric, sum(r.quantity for r in records), evidence)
        if what == "amount":
            return MetricValue(metric, sum((r.amount or Decimal(0) for r in records), Decimal(0)), evidence)
        if what == "people":
            return MetricValue(metric, len(set().union(*(r.present for r in self._with_present(records)))), evidence)
        if what == "attendances":
            return MetricValue(metric, sum(len(r.present) for r in self._with_present(records)), evidence)
        if what == "attendance_rate":
            return self._attendance_rate(metric, records)
        # ordinal, month, day: only when exactly one record is meant
        if len(records) != 1:
            raise Unanswerable(f"期间共有{len(records)}条该类记录，无法确定所指的是哪一次，请填写")
        record = records[0]
        value = {"ordinal": 1, "month": record.day.month, "day": record.day.day}[what]
        return MetricValue(metric, value, evidence)

    def _attendance_rate(self, metric: Metric, records: list[_Record]) -> MetricValue:
        from zhibu.records.attendance import Rosters, figures, with_attendance

        if not records:
            raise Unanswerable("期间没有该类记录，出席率无从计算，请填写")
        activities = with_attendance(Activity.objects.filter(pk__in=[r.id for r in records], type__takes_attendance=True))
        rosters = Rosters()
        present = expected = 0
        for activity in activities:
            result = figures(activity, rosters)
            present += len(result.present)
            expected += len(result.expected)
        if not expected:
            raise Unanswerable("这些记录没有登记应到人员，出席率无从计算，请填写")
        return MetricValue(metric, percent(present, expected), tuple(sorted(r.id for r in records)))

    def roster_day(self, metric: Metric) -> date:
        if metric.on:
            day = metric.on
        else:
            day = date(self.year + (metric.year or 0), 12, 31)
        return min(day, self.today)

    def roster_on(self, day: date) -> dict[str, list[Person]]:
        """Who was in the organisation's subtree on `day`, by category (正式党员, 预备党员, 入党积极分子 …).

        The one place that answers it for the reports. Who was placed there on that day comes from the membership
        history (`orgs.membership.people_on`: someone who moved, left or died since still counts where they were
        that day; someone who came later does not); their category on the day from the dates they carry
        (入党日期, 转正日期 …).
        """
        if day not in self._roster_cache:
            by_category: dict[str, list[Person]] = defaultdict(list)
            people = membership.people_on(self.org, day).only(
                "id", "category", "gender", "dues_category", *(attribute for _, attribute in _STAGES)
            )
            for person in people:
                category = category_on(person, day)
                if category:
                    by_category[category].append(person)
            self._roster_cache[day] = by_category
        return self._roster_cache[day]

    def _stats(self, metric: Metric) -> MetricValue:
        from zhibu.stats.tables import Statistics, unknown_cell

        year = self.year + (metric.year or 0)
        if not hasattr(self, "_statistics"):
            self._statistics = {}
        if year not in self._statistics:
            self._statistics[year] = Statistics(self.org, year, today=self.today)
        stats = self._statistics[year]
        values = {cell.key: cell.value for table in stats.tables for cell in table.cells()}
        missing = unknown_cell(metric.subject)
        if missing and values.get(missing):
            raise Unanswerable(f"有{values[missing]}人的人员资料未填此项（见党内统计表“未填”一行），补全后才能统计，请填写")
        return MetricValue(metric, values[metric.subject], ())

    def _roster(self, metric: Metric) -> MetricValue:
        if metric.subject in ("members", "full", "probationary", "female"):
            # The same counts as the 党内统计 table 党员的基本情况: the membership periods on that day.
            from zhibu.stats.tables import roster_counts

            return MetricValue(metric, roster_counts(self.org, self.roster_day(metric))[metric.subject], ())
        roster = self.roster_on(self.roster_day(metric))
        members = roster[Category.FULL] + roster[Category.PROBATIONARY]
        people = {
            "members": members, "full": roster[Category.FULL], "probationary": roster[Category.PROBATIONARY],
            "female": [p for p in members if p.gender == Gender.FEMALE],
            "in_service": [p for p in members if p.dues_category != DuesCategory.RETIRED],
            "retired": [p for p in members if p.dues_category == DuesCategory.RETIRED],
            "activists": roster[Category.ACTIVIST], "candidates": roster[Category.CANDIDATE],
            "applicants": roster[Category.APPLICANT],
        }[metric.subject]
        return MetricValue(metric, len(people), ())

    def _orgs_figure(self, metric: Metric) -> MetricValue:
        below = [row for row in self._orgs if row[0] != self.org.pk or metric.subject == "units"]
        if metric.subject == "branches":
            return MetricValue(metric, sum(1 for row in below if row[2] == OrgKind.BRANCH), ())
        if metric.subject == "groups":
            return MetricValue(metric, sum(1 for row in below if row[2] == OrgKind.GROUP), ())
        units = {row[3] for row in self._orgs if row[2] == OrgKind.BRANCH and row[3]}
        if not units:
            raise Unanswerable("各党支部的组织资料中未填写单位，请填写")
        return MetricValue(metric, len(units), ())

    def _developed(self, metric: Metric) -> MetricValue:
        attribute = {"admitted": "admitted_on", "confirmed": "full_on", "activists": "activist_on", "candidates": "candidate_on"}[metric.subject]
        year = self.year + (metric.year or 0)
        first = date(metric.since or year, 1, 1)
        last = min(date(year, 12, 31), self.today)
        count = Person.objects.filter(branch__path__startswith=self.org.path, **{f"{attribute}__range": (first, last)}).count()
        return MetricValue(metric, count, ())

    def _dues(self, metric: Metric) -> MetricValue:
        from zhibu.dues.accounts import branch_ledger
        from zhibu.dues.models import DuesPayment

        year = self.year + (metric.year or 0)
        if metric.subject == "paid":
            payments = DuesPayment.objects.filter(person__branch__path__startswith=self.org.path, month__startswith=f"{year}-")
            total = sum((amount for amount in payments.values_list("amount", flat=True)), Decimal(0))
            return MetricValue(metric, total, ())
        paid = due = Decimal(0)
        for branch in Organisation.objects.filter(path__startswith=self.org.path, kind=OrgKind.BRANCH):
            ledger = branch_ledger(branch, year, self.today)
            paid, due = paid + ledger.paid_total, due + ledger.due_total
        if not due:
            raise Unanswerable("全年没有应缴党费的记录，收缴率无从计算，请填写")
        return MetricValue(metric, min(percent(paid, due), Decimal(100)), ())

    def _rectification(self, metric: Metric) -> MetricValue:
        from zhibu.lists.metrics import previous_year_rectification_rate

        result = previous_year_rectification_rate(self.org, self.year, today=self.today)
        if result.rate is None:
            raise Unanswerable("问题清单中没有上年度的问题，整改完成率请填写")
        return MetricValue(metric, result.rate, result.item_ids)


def type_names() -> dict[str, str]:
    """Type key → its current display name."""
    return dict(ActivityType.objects.values_list("key", "name"))
