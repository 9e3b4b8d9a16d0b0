"""Sheet 活动: records of work, with who attended.

Matching a row to a record already in the database (so that re-importing changes nothing):
- a row with 编号 matches the record of the same organisation with that 编号 (each organisation numbers its
  own records; the same 编号 in two branches are two records);
- a row without 编号 matches a record without 编号 of the same organisation, type, day and 主题. When the
  workbook and the database both hold several such twins (two 志愿服务 on one day without a subject), the
  first row matches the oldest record, the second the next, and so on; only rows beyond those become new
  records. An exported workbook therefore re-imports as "unchanged" even without 编号.

Names in 主持人, 主讲人, 出席, 请假 and 缺席 are looked up among the people of the record's organisation: a
党支部's people for a branch or one of its 党小组, everyone below a committee for a committee. A person from
elsewhere, or a name two branches below a committee share, is written "支部名称/姓名"; the export does the
same, so its names always read back. 请假 entries carry their reason in brackets: 李明（公差）.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import prefetch_related_objects
from simple_history.utils import bulk_create_with_history

from zhibu.exchange.sheets.organisations import DECLARED_ORGS, DECLARED_PARENTS
from zhibu.exchange.sheets.people import DECLARED_PEOPLE
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_datetime, parse_decimal, parse_int, split_list, split_list_outside_brackets, split_trailing_note
from zhibu.lib.strokes import stroke_key
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind, Person
from zhibu.records import bulk
from zhibu.records.catalogue import unknown_type_message
from zhibu.records.models import Activity, ActivityType, Attendance, Status, Tag, normalise_name

QUALIFIER = "/"
STATUS_COLUMNS = {"出席": Status.PRESENT, "请假": Status.LEAVE, "缺席": Status.ABSENT}
PersonKey = tuple[str, str]  # (branch name, person name)


@dataclass
class ActivityRow:
    row: int
    ref: str | None
    org_name: str
    type_name: str
    date: date
    start_time: time | None
    subject: str
    chair: PersonKey | None
    lecturer: PersonKey | None
    lecturer_text: str
    place: str
    quantity: int
    amount: Decimal | None
    tags: list[str]
    minutes: str
    roll: dict[PersonKey, tuple[str, str]] = field(default_factory=dict)  # person → (status, reason)

    @property
    def natural_key(self) -> tuple:
        return (self.org_name, self.type_name, self.date, self.subject)


class PeopleIndex:
    """Who may be named on a record of each organisation: the database's people the actor manages plus the
    workbook's 党员 sheet, and the organisation tree of both."""

    def __init__(self, context: ImportContext):
        managed = access.managed_orgs(context.actor)
        self.parents = {**managed.parent_names(), **context.declared.get(DECLARED_PARENTS, {})}
        self.kinds = {**dict(managed.values_list("name", "kind")), **context.declared.get(DECLARED_ORGS, {})}
        self.people: set[PersonKey] = set(
            access.managed_people(context.actor).values_list("branch__name", "name")
        ) | context.declared.get(DECLARED_PEOPLE, set())
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for branch, name in self.people:
            self.by_name[name].add(branch)
        self._scopes: dict[str, set[str]] = {}
        # find's answers by (organisation, text): a branch's names come back on every one of its records.
        self._found: dict[tuple[str, str], tuple[PersonKey | None, str]] = {}

    def org_kind(self, name: str) -> str | None:
        """known_org_kind (sheets/organisations.py) answered from the tree read once: the workbook's declared
        organisations first, then the database's that the actor manages."""
        return self.kinds.get(name)

    def branches_of(self, org_name: str) -> set[str]:
        """The branches whose people belong on a record of `org_name`."""
        if org_name not in self._scopes:
            kind = self.kinds.get(org_name)
            if kind == OrgKind.BRANCH:
                scope = {org_name}
            elif kind == OrgKind.GROUP:
                scope = {self.parents.get(org_name, "")}
            else:
                scope = {name for name, k in self.kinds.items() if k == OrgKind.BRANCH and self._below(name, org_name)}
            self._scopes[org_name] = scope
        return self._scopes[org_name]

    def _below(self, name: str, ancestor: str) -> bool:
        seen = set()
        while name and name not in seen:
            if name == ancestor:
                return True
            seen.add(name)
            name = self.parents.get(name, "")
        return False

    def find(self, org_name: str, text: str) -> tuple[PersonKey | None, str]:
        """(person, "") when `text` names one person for a record of `org_name`, else (None, problem)."""
        key = (org_name, text)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(org_name, text)
        return found

    def _find(self, org_name: str, text: str) -> tuple[PersonKey | None, str]:
        if QUALIFIER in text:
            branch, _, name = (part.strip() for part in text.partition(QUALIFIER))
            if (branch, name) in self.people:
                return (branch, name), ""
            return None, f"{branch}没有名为“{name}”的人员，或您无权查看"
        branches = self.by_name.get(text, set()) & self.branches_of(org_name)
        if len(branches) == 1:
            return (branches.pop(), text), ""
        if branches:
            listed = "、".join(sorted(branches))
            return None, f"“{text}”在{listed}都有，请写成“支部名称{QUALIFIER}姓名”，例如“{min(branches)}{QUALIFIER}{text}”"
        return None, f"“{text}”不在{org_name}的名册中"


class ActivitySheet(Sheet):
    name = "活动"
    columns = (
        Column("编号"),
        Column("组织", required=True),
        Column("类型", required=True),
        Column("日期", required=True),
        Column("主题", field="records.Activity.subject"),
        Column("主持人"),
        Column("主讲人"),
        Column("地点", field="records.Activity.place"),
        Column("数量"),
        Column("金额"),
        Column("标签"),
        Column("出席"),
        Column("请假"),
        Column("缺席"),
        Column("记录", field="records.Activity.minutes"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[ActivityRow]:
        types = ActivityType.objects.all().by_any_name()
        people = PeopleIndex(context)
        plan: list[ActivityRow] = []
        refs: dict[tuple[str, str], int] = {}
        for row in rows:
            read = RowReader(self, row, context)
            entry = self._read_row(read, types, people, context)
            if entry and entry.ref:
                key = (entry.org_name, entry.ref)
                if key in refs:
                    read.problem("编号", f"编号“{entry.ref}”与第{refs[key]}行重复", "同一组织的编号必须唯一")
                refs.setdefault(key, row.number)
            if entry and read.ok:
                plan.append(entry)
        return plan

    def _read_row(self, read: RowReader, types, people: PeopleIndex, context: ImportContext) -> ActivityRow | None:
        org_name = read.text("组织")
        kinds = context.declared.setdefault("activity_org_kinds", {})
        if org_name and org_name not in kinds:
            kinds[org_name] = people.org_kind(org_name)
        if org_name and kinds[org_name] is None:
            read.problem("组织", f"找不到组织“{org_name}”，或您无权修改", "请在“党组织”表中加上它，或核对名称")
            org_name = ""
        type_text = read.text("类型")
        activity_type = types.get(normalise_name(type_text)) if type_text else None
        if type_text and activity_type is None:
            read.problem("类型", unknown_type_message(type_text), "活动类型的名称和别名见“活动类型”页面")
        when = read.parsed("日期", parse_datetime, "例如 2025-03-18 或 2025-03-18 14:30")
        quantity = read.parsed("数量", parse_int, "填写不小于1的整数，例如 3")
        if quantity is not None and quantity < 1:
            read.problem("数量", f"数量 {quantity} 无效", "数量应为不小于1的整数（份数、批次）；不需要时留空")
        amount = read.parsed("金额", parse_decimal, "填写以元为单位的金额，例如 5000 或 1250.50")
        if amount is not None and amount < 0:
            read.problem("金额", f"金额 {amount} 为负数", "金额不能为负数；退款等请在“记录”中说明")
        if activity_type and activity_type.counts_amount and amount is None and not read.row.text("金额"):
            read.problem("金额", f"“{activity_type.name}”按金额统计，金额不能为空", "请填写金额（元）")
        if not (org_name and activity_type and when):
            return None
        day, start_time = when

        def person(column: str) -> PersonKey | None:
            text = read.row.text(column)
            if not text:
                return None
            found, problem = people.find(org_name, text)
            if problem:
                read.problem(column, problem, "请核对姓名，或先在“党员”表中加上此人")
            return found

        chair = person("主持人")
        lecturer_text = read.row.text("主讲人")
        lecturer = None
        if lecturer_text:
            lecturer, _problem = people.find(org_name, lecturer_text)  # someone from outside is kept as text
        roll = self._read_roll(read, org_name, activity_type, day, people)
        return ActivityRow(
            row=read.row.number,
            ref=read.row.text("编号") or None,
            org_name=org_name,
            type_name=activity_type.name,
            date=day,
            start_time=start_time,
            subject=read.text("主题"),
            chair=chair,
            lecturer=lecturer,
            lecturer_text="" if lecturer else lecturer_text,
            place=read.text("地点"),
            quantity=quantity or 1,
            amount=amount,
            tags=split_list(read.row.raw("标签")),
            minutes=read.text("记录"),
            roll=roll,
        )

    def _read_roll(self, read: RowReader, org_name, activity_type, day, people) -> dict[PersonKey, tuple[str, str]]:
        roll: dict[PersonKey, tuple[str, str]] = {}
        listed_in: dict[PersonKey, str] = {}
        for column, status in STATUS_COLUMNS.items():
            for item in split_list_outside_brackets(read.row.raw(column)):
                text, reason = item, ""
                found, problem = people.find(org_name, text)
                if found is None and status == Status.LEAVE:
                    text, reason = split_trailing_note(item)
                    found, problem = people.find(org_name, text)
                if found is None:
                    read.problem(column, problem, "请核对姓名；出席名单只能填写本组织名册中的人员")
                    continue
                if found in listed_in:
                    read.problem(column, f"“{text}”同时出现在“{listed_in[found]}”和“{column}”中", "每人只能有一种出席情况")
                    continue
                listed_in[found] = column
                roll[found] = (status, reason)
        if roll and not activity_type.takes_attendance:
            read.problem("出席", f"“{activity_type.name}”不登记出席情况", "请清空出席、请假、缺席列，或核对活动类型")
        if roll and day > date.today():
            read.problem("出席", f"{day:%Y-%m-%d} 的活动尚未举行，不能登记出席情况", "计划中的活动请清空出席、请假、缺席列")
        return roll

    def apply(self, plan: list[ActivityRow], context: ImportContext) -> SheetSummary:
        summary = SheetSummary()
        orgs = {org.name: org for org in Organisation.objects.filter(name__in={e.org_name for e in plan})}
        types = {t.name: t for t in ActivityType.objects.all()}
        named = {key for e in plan for key in [e.chair, e.lecturer, *e.roll] if key}
        wanted = sorted({name for _, name in named})
        person_ids: dict[PersonKey, int] = {}  # ids, not objects: a record refers to its people by id
        for start in range(0, len(wanted), 5000):  # below SQLite's limit on parameters
            for pk, branch_name, name in Person.objects.filter(name__in=wanted[start:start + 5000]).values_list(
                "pk", "branch__name", "name"
            ):
                if (branch_name, name) in named:
                    person_ids[(branch_name, name)] = pk
        existing = self._existing(orgs.values())
        new_roll: list[Attendance] = []
        fresh: list[tuple[Activity, ActivityRow]] = []
        tag_sets: dict[tuple[str, ...], list[Tag]] = {}
        for entry in plan:
            org = orgs[entry.org_name]
            activity = existing.match(org, entry)
            values = {
                "org_id": org.pk, "type_id": types[entry.type_name].pk, "date": entry.date, "start_time": entry.start_time,
                "subject": entry.subject, "chair_id": person_ids.get(entry.chair), "lecturer_id": person_ids.get(entry.lecturer),
                "lecturer_text": entry.lecturer_text, "place": entry.place, "quantity": entry.quantity,
                "amount": entry.amount, "minutes": entry.minutes, "ref": entry.ref,
            }
            if activity is None:
                fresh.append((Activity(**values), entry))
                summary.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(activity, name) != value]
            for name in changed:
                setattr(activity, name, values[name])
            if changed:
                activity.save()
            tags_changed = {t.name for t in activity.tags.all()} != set(entry.tags)
            if tags_changed:
                activity.tags.set(Tag.for_names(entry.tags))
            roll_changed = self._update_roll(activity, entry, person_ids, new_roll)
            if changed or tags_changed or roll_changed:
                summary.updated += 1
            else:
                summary.unchanged += 1
        bulk_create_with_history(new_roll, Attendance, batch_size=500)
        # New records in bulk: a few statements for the records, their tags and their rolls, whatever their number.
        created = bulk.create_activities([activity for activity, _entry in fresh])
        tagged = []
        for activity, (_same, entry) in zip(created, fresh):
            names = tuple(dict.fromkeys(entry.tags))
            if names and names not in tag_sets:
                tag_sets[names] = Tag.for_names(list(names))
            tagged += [Activity.tags.through(activity_id=activity.pk, tag_id=tag.pk) for tag in tag_sets.get(names, ())]
        Activity.tags.through.objects.bulk_create(tagged, batch_size=1000)
        activity_ids = [activity.pk for activity in created]
        bulk.create_attendance(  # a generator: the rows are made while the database takes them (PostgreSQL)
            ((activity_id, person_ids[key], status, reason)
             for activity_id, (_same, entry) in zip(activity_ids, fresh) for key, (status, reason) in entry.roll.items()),
            activity_ids,
        )
        return summary

    @staticmethod
    def _existing(orgs) -> "_ExistingRecords":
        records = list(Activity.objects.filter(org__in=list(orgs)).select_related("type", "chair", "lecturer").order_by("pk"))
        for start in range(0, len(records), 5000):  # prefetched in chunks: below SQLite's limit on parameters
            prefetch_related_objects(records[start:start + 5000], "tags", "attendance")
        return _ExistingRecords(records)

    @staticmethod
    def _update_roll(activity: Activity, entry: ActivityRow, person_ids, new_roll: list[Attendance]) -> bool:
        wanted = {person_ids[key]: value for key, value in entry.roll.items()}
        changed = False
        for row in activity.attendance.all():
            if row.person_id not in wanted:
                row.delete()
                changed = True
            elif (row.status, row.reason) != wanted[row.person_id]:
                row.status, row.reason = wanted[row.person_id]
                row.save()
                changed = True
        present = {row.person_id for row in activity.attendance.all()}
        for person_id, (status, reason) in wanted.items():
            if person_id not in present:
                new_roll.append(Attendance(activity=activity, person_id=person_id, status=status, reason=reason))
                changed = True
        return changed

    def export_rows(self, actor, orgs, *, chunk: int = 2000):
        """The records of `orgs`, in chunks of `chunk` records: each chunk's rolls and tags are read with one
        query each (no object per attendance row, no list of ids longer than a chunk), so the queries grow with
        the number of records divided by the chunk, never with the number of organisations."""
        activities = (
            access.scope_to_orgs(actor, Activity.objects.filter(org__in=orgs))
            .order_by("org__path", "date", "start_time", "pk")
            .values_list("pk", "org_id", "org__name", "type__name", "date", "start_time", "subject", "chair_id",
                         "lecturer_id", "lecturer_text", "place", "quantity", "amount", "minutes", "ref")
        )
        naming = _ExportNames()
        batch = []
        for values in activities.iterator(chunk_size=chunk):
            batch.append(values)
            if len(batch) == chunk:
                yield from self._export_batch(batch, naming)
                batch = []
        if batch:
            yield from self._export_batch(batch, naming)

    @staticmethod
    def _export_batch(batch, naming: "_ExportNames"):
        ids = [values[0] for values in batch]
        rolls: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for activity_id, person_id, status, reason in Attendance.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "person_id", "status", "reason"
        ):
            rolls[activity_id].append((person_id, status, reason))
        tags: dict[int, list[str]] = defaultdict(list)
        for activity_id, name in Activity.tags.through.objects.filter(activity_id__in=ids).values_list("activity_id", "tag__name"):
            tags[activity_id].append(name)
        naming.load({person_id for rows in rolls.values() for person_id, _s, _r in rows}
                    | {values[i] for values in batch for i in (7, 8) if values[i]})
        for (pk, org_id, org_name, type_name, day, start_time, subject, chair_id, lecturer_id, lecturer_text, place,
             quantity, amount, minutes, ref) in batch:
            lists = {column: [] for column in STATUS_COLUMNS}
            for person_id, status, reason in sorted(rolls[pk], key=lambda row: naming.sort_key(row[0])):
                name = naming.name(org_id, person_id)
                lists[status].append(f"{name}（{reason}）" if status == Status.LEAVE and reason else name)
            yield {
                "编号": ref or "",
                "组织": org_name,
                "类型": type_name,
                "日期": datetime.combine(day, start_time) if start_time else day,
                "主题": subject,
                "主持人": naming.name(org_id, chair_id) if chair_id else "",
                "主讲人": naming.name(org_id, lecturer_id) if lecturer_id else lecturer_text,
                "地点": place,
                "数量": quantity,
                "金额": amount,
                "标签": sorted(tags[pk]),
                "出席": lists["出席"],
                "请假": lists["请假"],
                "缺席": lists["缺席"],
                "记录": minutes,
            }


class _ExistingRecords:
    """The database's records of the imported organisations, matched to rows as the module docstring says."""

    def __init__(self, records: list[Activity]):
        self.by_ref = {(r.org_id, r.ref): r for r in records if r.ref}
        self.unnumbered: dict[tuple, list[Activity]] = defaultdict(list)
        for record in records:
            if not record.ref:
                self.unnumbered[(record.org_id, record.type.name, record.date, record.subject)].append(record)

    def match(self, org: Organisation, entry: ActivityRow) -> Activity | None:
        if entry.ref:
            return self.by_ref.get((org.pk, entry.ref))
        twins = self.unnumbered.get((org.pk, entry.type_name, entry.date, entry.subject))
        return twins.pop(0) if twins else None


class _ExportNames:
    """A person's name as the import will read it back: plain inside the record's scope, else qualified.

    The scope of a record's organisation is the branch (for a branch or a 党小组) or every branch below (for a
    committee); the organisation tree and the people's names are read once, not per organisation."""

    def __init__(self):
        steplen = Organisation.steplen
        self._orgs = {pk: (path, kind) for pk, path, kind in Organisation.objects.values_list("pk", "path", "kind")}
        by_path = {path: pk for pk, (path, _kind) in self._orgs.items()}
        self._parent_of = {pk: by_path.get(path[:-steplen]) for pk, (path, _kind) in self._orgs.items()}
        self._names_by_branch: dict[int, Counter] = defaultdict(Counter)
        for branch_id, name in Person.objects.values_list("branch_id", "name"):
            self._names_by_branch[branch_id][name] += 1
        self._people: dict[int, tuple[str, int, str]] = {}  # id → (name, branch id, branch name)
        self._scopes: dict[int, tuple[set[int], Counter]] = {}
        self._keys: dict[str, tuple] = {}

    def load(self, person_ids) -> None:
        missing = [pk for pk in person_ids if pk not in self._people]
        for start in range(0, len(missing), 2000):
            for pk, name, branch_id, branch_name in Person.objects.filter(pk__in=missing[start:start + 2000]).values_list(
                "pk", "name", "branch_id", "branch__name"
            ):
                self._people[pk] = (name, branch_id, branch_name)

    def sort_key(self, person_id: int) -> tuple:
        name = self._people[person_id][0]
        if name not in self._keys:
            self._keys[name] = stroke_key(name)
        return self._keys[name]

    def _scope(self, org_id: int) -> tuple[set[int], Counter]:
        if org_id not in self._scopes:
            path, kind = self._orgs[org_id]
            if kind == OrgKind.BRANCH:
                branches = {org_id}
            elif kind == OrgKind.GROUP:
                branches = {self._parent_of[org_id]}
            else:
                branches = {pk for pk, (p, k) in self._orgs.items() if k == OrgKind.BRANCH and p.startswith(path)}
            names = Counter()
            for branch_id in branches:
                names.update(self._names_by_branch.get(branch_id, Counter()))
            self._scopes[org_id] = (branches, names)
        return self._scopes[org_id]

    def name(self, org_id: int, person_id: int) -> str:
        self.load([person_id])
        name, branch_id, branch_name = self._people[person_id]
        branches, names = self._scope(org_id)
        if branch_id in branches and names[name] == 1:
            return name
        return f"{branch_name}{QUALIFIER}{name}"
