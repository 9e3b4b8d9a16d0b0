"""Sheet 组织关系: one dated membership change per row (转入, 转出, 内部转接, 出党, 停止党籍, 恢复党籍, 死亡,
外出流动, 流动返回, 失联, 恢复联系).

Each change is checked by the one set of rules in zhibu.orgs.membership: the rows of people already in the
database are tried in date order inside a transaction that is rolled back, so every row that breaks the
person's history (dated before they joined, overlapping, after 死亡 or 出党 …) is listed and nothing is
written. A row with 编号 updates the change with that 编号; a row without matches the change of the same
person, type and day — re-importing an export therefore changes nothing. A person's 所在组织 on sheet 党员
must be where the changes leave them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from zhibu.exchange.sheets.organisations import DECLARED_ORGS, DECLARED_PARENTS
from zhibu.exchange.sheets.people import DECLARED_ADMISSIONS, DECLARED_PEOPLE
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_date
from zhibu.orgs import access, membership
from zhibu.orgs.membership import Change, MembershipError
from zhibu.orgs.models import (
    LEAVING_KINDS,
    EventKind,
    EventState,
    ExitForm,
    MembershipEvent,
    MembershipPeriod,
    Organisation,
    OrgKind,
    Person,
)

SHEET_NAME = "组织关系"
NEEDS_OTHER = {EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT, EventKind.INTERNAL, EventKind.AWAY}
JOINING = {EventKind.TRANSFER_IN, EventKind.RESTORED}
MONTH_FORMAT = "2025-06"


def _month(value) -> str | None:
    from zhibu.lib.cells import CellError, cell_text

    text = cell_text(value)
    if not text:
        return None
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    import re

    match = re.fullmatch(r"(\d{4})[-/年.](\d{1,2})月?", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CellError(f"“{text}”不是年月")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _sheet_rows(context: ImportContext) -> list[Row]:
    return context.declared.get("rows_by_sheet", {}).get(SHEET_NAME, [])


def _branch_name_of(name: str, context: ImportContext) -> str:
    """The branch of a 党支部 or 党小组 named in the workbook or the database (the name itself for a branch)."""
    declared = context.declared.get(DECLARED_ORGS, {})
    if declared.get(name) == OrgKind.GROUP:
        return context.declared.get(DECLARED_PARENTS, {}).get(name, "")
    org = Organisation.objects.filter(name=name).first()
    if org and org.kind == OrgKind.GROUP:
        return org.parent_name
    return name


def declared_moves(context: ImportContext) -> set[tuple[str, str]]:
    """(姓名, organisation) pairs this workbook's 组织关系 rows move someone into (the group and its branch)."""
    moves = set()
    for row in _sheet_rows(context):
        kind, name = row.text("变动类型"), row.text("姓名")
        into = row.text("对方组织") if kind == EventKind.INTERNAL else row.text("组织") if kind in JOINING else ""
        if name and into:
            moves.add((name, into))
            moves.add((name, _branch_name_of(into, context)))
    return moves


def moved_person(name: str, branch_name: str, context: ImportContext) -> Person | None:
    """The person sheet 党员 places in `branch_name` whom this workbook's 内部转接 rows bring from another branch."""
    for row in _sheet_rows(context):
        if row.text("姓名") == name and row.text("变动类型") == EventKind.INTERNAL and (
            _branch_name_of(row.text("对方组织"), context) == branch_name
        ):
            source = _branch_name_of(row.text("组织"), context)
            person = Person.objects.filter(name=name, branch__name=source).first()
            if person:
                return person
    return None


@dataclass
class ChangeRow:
    row: int
    name: str
    id_number: str
    org_name: str
    kind: str
    on: date
    other: str
    exit_form: str
    letter_number: str
    letter_valid_until: date | None
    dues_paid_to: str
    receipt_on: date | None
    reason: str
    ref: str | None
    person_id: int | None = None  # None: a person sheet 党员 of this workbook adds …
    declared_branch: str = ""  # … in this branch


class MembershipSheet(Sheet):
    name = SHEET_NAME
    columns = (
        Column("编号"),
        Column("姓名", required=True),
        Column("身份证号"),
        Column("组织", required=True),
        Column("变动类型", required=True),
        Column("日期", required=True),
        Column("对方组织"),
        Column("出党方式"),
        Column("介绍信编号"),
        Column("介绍信有效期至"),
        Column("党费交至"),
        Column("回执日期"),
        Column("原因"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[ChangeRow]:
        plan: list[ChangeRow] = []
        refs: dict[str, int] = {}
        for row in rows:
            read = RowReader(self, row, context)
            entry = self._read_row(read, context)
            if entry and entry.ref:
                if entry.ref in refs:
                    read.problem("编号", f"编号与第{refs[entry.ref]}行重复", "每项变动的编号必须唯一")
                refs.setdefault(entry.ref, row.number)
            if entry and read.ok:
                plan.append(entry)
        if not context.issues:
            self._try_in_order(plan, context)
            self._check_roster_agrees(plan, context)
        return plan

    def _read_row(self, read: RowReader, context: ImportContext) -> ChangeRow | None:
        name, org_name = read.text("姓名"), read.text("组织")
        kind = read.choice("变动类型", EventKind.values)
        on = read.past_date("日期", parse_date)
        other = read.text("对方组织")
        exit_form = read.choice("出党方式", ExitForm.values, default="")
        valid = read.parsed("介绍信有效期至", parse_date)
        receipt = read.past_date("回执日期", parse_date)
        dues = read.parsed("党费交至", _month, f"请写成 {MONTH_FORMAT} 这样的年月")
        id_number = read.text("身份证号").upper()
        if kind in NEEDS_OTHER and not other:
            read.problem("对方组织", f"{kind}须填写对方组织",
                         "内部转接填本单位转入的党支部或党小组；转入、转出填介绍信上的组织；外出流动填流入地党组织")
        if kind == EventKind.EXPELLED and not exit_form:
            read.problem("出党方式", "出党须填写出党方式", "可填：" + "、".join(ExitForm.values))
        if receipt and on and receipt < on:
            read.problem("回执日期", f"回执日期 {receipt:%Y-%m-%d} 早于介绍信开具日期 {on:%Y-%m-%d}", "请核对日期")
        if org_name:
            self._check_org(read, "组织", org_name, context)
        if kind == EventKind.INTERNAL and other and org_name:
            self._check_internal_target(read, org_name, other, context)
        person_id = self._find_person(read, name, id_number, org_name, kind, context) if name and org_name else None
        if not read.ok:
            return None
        declared = sorted(b for b, n in context.declared.get(DECLARED_PEOPLE, set()) if n == name)
        return ChangeRow(read.row.number, name, id_number, org_name, kind, on, other, exit_form, read.text("介绍信编号"),
                         valid, dues or "", receipt, read.text("原因"), read.text("编号") or None, person_id,
                         declared[0] if person_id is None and declared else "")

    def _kind_of(self, name: str, context: ImportContext) -> tuple[str | None, str]:
        """(kind, unit root path or '') of an organisation in the workbook or among those the importer manages."""
        declared = context.declared.get(DECLARED_ORGS, {})
        org = access.managed_orgs(context.actor).filter(name=name).first()
        if org:
            return org.kind, membership.unit_of(org)
        if name in declared:
            return declared[name], ""
        return None, ""

    def _check_org(self, read: RowReader, column: str, name: str, context: ImportContext) -> None:
        kind, _unit = self._kind_of(name, context)
        if kind is None:
            read.problem(column, f"找不到组织“{name}”，或您无权管理", "请在“党组织”表中加上它，或核对名称")
        elif kind not in (OrgKind.BRANCH, OrgKind.GROUP):
            read.problem(column, f"“{name}”是{kind}，不是党支部或党小组", "组织关系只能落在党支部或党小组")

    def _check_internal_target(self, read: RowReader, org_name: str, target: str, context: ImportContext) -> None:
        kind, unit = self._kind_of(target, context)
        _from_kind, from_unit = self._kind_of(org_name, context)
        if kind is None:
            exists = Organisation.objects.filter(name=target).exists()
            read.problem("对方组织", f"“{target}”不是本单位的党组织" if exists else f"找不到组织“{target}”",
                         "内部转接只能转到本单位的党支部或党小组；转到本单位以外请登记转出")
        elif kind not in (OrgKind.BRANCH, OrgKind.GROUP):
            read.problem("对方组织", f"“{target}”是{kind}，不是党支部或党小组", "内部转接请填转入的党支部或党小组")
        elif unit and from_unit and unit != from_unit:
            read.problem("对方组织", f"“{target}”不在本单位", "转到本单位以外请登记转出")

    def _find_person(self, read, name, id_number, org_name, kind, context) -> int | None:
        managed = access.managed_people(context.actor)
        if id_number:
            person = managed.filter(id_number=id_number).first()
            if person:
                if person.name != name:
                    read.problem("身份证号", f"身份证号属于{person.name}，与姓名“{name}”不一致", "请核对姓名和身份证号")
                return person.pk
        branch_name = _branch_name_of(org_name, context)
        declared_in = {b for b, n in context.declared.get(DECLARED_PEOPLE, set()) if n == name}
        declared = len(declared_in) == 1
        if len(declared_in) > 1 and not id_number:
            read.problem("身份证号", f"“党员”表中有{len(declared_in)}位名叫“{name}”的人员（{'、'.join(sorted(declared_in))}），无法分辨是哪一位",
                         "请填写身份证号区分同名人员")
            return None
        ever_there = MembershipPeriod.objects.filter(person__in=managed.filter(name=name), branch__name=branch_name)
        ids = sorted(set(ever_there.values_list("person_id", flat=True)))
        if not ids and kind in JOINING:
            ids = sorted(set(managed.filter(name=name).values_list("pk", flat=True)))
        if len(ids) > 1:
            read.problem("身份证号", f"本单位有{len(ids)}位名叫“{name}”的人员，无法分辨是哪一位",
                         "请填写身份证号区分同名人员")
            return None
        if ids:
            return ids[0]
        if declared:
            return None  # added by sheet 党员 of this workbook
        read.problem("姓名", f"在“{org_name}”找不到人员“{name}”，或您无权管理",
                     "请核对姓名和组织（组织填该变动涉及的党支部或党小组），或在“党员”表中加上此人")
        return None

    # ---- the person's history, tried in date order -------------------------------------------------------

    def _existing(self, entry: ChangeRow) -> MembershipEvent | None:
        if entry.ref:
            found = MembershipEvent.objects.filter(ref=entry.ref).first()
            if found:
                return found
        if entry.person_id is None:
            return None
        return MembershipEvent.objects.filter(person_id=entry.person_id, kind=entry.kind, on=entry.on,
                                              state=EventState.DONE).first()

    def _try_in_order(self, plan: list[ChangeRow], context: ImportContext) -> None:
        admissions = context.declared.get(DECLARED_ADMISSIONS, {})
        for entry in plan:
            if entry.person_id is None:
                admitted = admissions.get((entry.declared_branch, entry.name))
                if admitted and entry.on < admitted:
                    context.add(self.name, entry.row, "日期", f"日期早于{entry.name}的入党日期（{admitted:%Y-%m-%d}）", "请核对日期")
        try:
            with transaction.atomic():
                self._apply_rows(plan, context, collect=True)
                raise _TrialOver
        except _TrialOver:
            pass

    def _apply_rows(self, plan: list[ChangeRow], context: ImportContext, *, collect: bool) -> SheetSummary:
        summary = SheetSummary()
        by_person: dict[int | tuple, list[ChangeRow]] = defaultdict(list)
        for entry in plan:
            key = entry.person_id if entry.person_id else (entry.declared_branch, entry.name)
            by_person[key].append(entry)
        for key, entries in by_person.items():
            person = self._person(key, entries[0], context)
            if person is None:  # only in trial: a person sheet 党员 adds later
                continue
            entries.sort(key=lambda e: (e.on, e.row))
            self._place_registration(person, entries[0], context)
            for entry in entries:
                existing = self._existing(entry)
                try:
                    if existing:
                        changed = self._update(existing, entry)
                        summary.updated += changed
                        summary.unchanged += not changed
                        continue
                    membership.record_event(person, self._change(entry, context))
                    summary.created += 1
                except MembershipError as error:
                    if not collect:
                        raise
                    context.add(self.name, entry.row, "变动类型", str(error))
                    break  # later rows of this person depend on this one
        return summary

    def _person(self, key, entry: ChangeRow, context: ImportContext) -> Person | None:
        if isinstance(key, int):
            return Person.objects.get(pk=key)
        return Person.objects.filter(name=entry.name, branch__name=key[0]).first()

    def _place_registration(self, person: Person, first: ChangeRow, context: ImportContext) -> None:
        """A person with no change yet is registered where their first change says they were (the sheet 党员 of
        a fresh import places them where the changes leave them)."""
        if first.kind in JOINING or person.membership_events.exists():
            return
        periods = list(person.periods.all())
        if len(periods) != 1 or periods[0].opened_by_id:
            return
        org = Organisation.objects.filter(name=first.org_name).first()
        if org is None:
            return
        branch, group = (Organisation.objects.get_parent(org), org) if org.kind == OrgKind.GROUP else (org, None)
        if (periods[0].branch_id, periods[0].group_id) != (branch.pk, group.pk if group else None):
            MembershipPeriod.objects.filter(pk=periods[0].pk).update(branch=branch, group=group)
            membership._place(person)

    def _change(self, entry: ChangeRow, context: ImportContext) -> Change:
        target = None
        if entry.kind == EventKind.INTERNAL:
            target = Organisation.objects.filter(name=entry.other).first()
        elif entry.kind in JOINING:
            target = Organisation.objects.filter(name=entry.org_name).first()
        return Change(
            entry.kind, entry.on, target=target, other_party="" if entry.kind == EventKind.INTERNAL else entry.other,
            exit_form=entry.exit_form, letter_number=entry.letter_number, letter_valid_until=entry.letter_valid_until,
            dues_paid_to=entry.dues_paid_to, receipt_on=entry.receipt_on, reason=entry.reason, ref=entry.ref,
        )

    @staticmethod
    def _update(event: MembershipEvent, entry: ChangeRow) -> bool:
        """Fill what a later row adds to a change already recorded (the 回执 coming back, a letter number)."""
        values = {"letter_number": entry.letter_number, "letter_valid_until": entry.letter_valid_until,
                  "dues_paid_to": entry.dues_paid_to, "receipt_on": entry.receipt_on, "reason": entry.reason,
                  "ref": entry.ref}
        changed = [f for f, v in values.items() if v not in (None, "") and getattr(event, f) != v]
        for field in changed:
            setattr(event, field, values[field])
        if changed:
            event.save(update_fields=changed)
        return bool(changed)

    def _check_roster_agrees(self, plan: list[ChangeRow], context: ImportContext) -> None:
        """Where the changes leave each person must be the 所在组织 sheet 党员 gives them."""
        declared = context.declared.get(DECLARED_PEOPLE, set())
        last: dict[str, ChangeRow] = {}
        for entry in sorted(plan, key=lambda e: (e.on, e.row)):
            if entry.kind in JOINING or entry.kind == EventKind.INTERNAL or entry.kind in LEAVING_KINDS:
                last[entry.name] = entry
        for name, entry in last.items():
            if entry.kind == EventKind.INTERNAL:
                ends = _branch_name_of(entry.other, context)
            else:
                ends = _branch_name_of(entry.org_name, context)
            in_sheet = {branch for branch, person_name in declared if person_name == name}
            if in_sheet and ends not in in_sheet:
                context.add(self.name, entry.row, "组织", (
                    f"{name}在“党员”表的所在组织是{'、'.join(sorted(in_sheet))}，但组织关系变动使其在{ends}"),
                    "请补上缺少的变动（调动须有日期），或核对“党员”表的所在组织")

    def apply(self, plan: list[ChangeRow], context: ImportContext) -> SheetSummary:
        for entry in plan:
            if entry.person_id is None:
                person = self._person((entry.declared_branch, entry.name), entry, context)
                entry.person_id = person.pk if person else None
        return self._apply_rows(plan, context, collect=False)

    def export_rows(self, actor, orgs):
        events = (
            MembershipEvent.objects.filter(state=EventState.DONE, person__in=access.visible_people(actor))
            .filter(person__periods__branch__in=orgs).distinct()
            .select_related("person", "org", "target").order_by("on", "pk")
        )
        for event in events:
            yield {
                "编号": event.ref or "",
                "姓名": event.person.name,
                "身份证号": event.person.id_number or "",
                "组织": event.org.name,
                "变动类型": event.kind,
                "日期": event.on,
                "对方组织": event.target.name if event.target else event.other_party,
                "出党方式": event.exit_form,
                "介绍信编号": event.letter_number,
                "介绍信有效期至": event.letter_valid_until,
                "党费交至": event.dues_paid_to,
                "回执日期": event.receipt_on,
                "原因": event.reason,
            }


class _TrialOver(Exception):
    pass
