"""Sheet 党组织: the organisation tree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_date, parse_int
from zhibu.orgs import access
from zhibu.orgs.models import DEFAULT_TERM_YEARS, Organisation, OrgKind, parent_kind_problem

# ImportContext.declared keys: name → kind, and name → parent name, of every organisation in the workbook.
DECLARED_ORGS = "organisations"
DECLARED_PARENTS = "organisation_parents"


@dataclass
class OrgRow:
    row: int
    name: str
    parent: str
    kind: str
    unit: str
    line_of_work: str
    city: str
    founded_on: date | None
    elected_on: date | None
    term_years: int


ORG_FIELDS = ("kind", "unit", "line_of_work", "city", "founded_on", "elected_on", "term_years")


def known_org_kind(name: str, context: ImportContext) -> str | None:
    """The kind of an organisation named in this workbook or already in the database (and manageable)."""
    declared = context.declared.get(DECLARED_ORGS, {})
    if name in declared:
        return declared[name]
    org = access.managed_orgs(context.actor).filter(name=name).first()
    return org.kind if org else None


class OrganisationSheet(Sheet):
    name = "党组织"
    columns = (
        Column("名称", required=True, field="orgs.Organisation.name"),
        Column("上级"),
        Column("类别", required=True),
        Column("单位", field="orgs.Organisation.unit"),
        Column("业务领域", field="orgs.Organisation.line_of_work"),
        Column("所在地", field="orgs.Organisation.city"),
        Column("成立日期"),
        Column("换届日期"),
        Column("任期年限"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[OrgRow]:
        plan: list[OrgRow] = []
        seen: dict[str, int] = {}
        for row in rows:
            read = RowReader(self, row, context)
            name = read.text("名称")
            if name in seen:
                read.problem("名称", f"组织名称“{name}”与第{seen[name]}行重复", "组织名称必须唯一，请合并或改名")
            elif name:
                seen[name] = row.number
            kind = read.choice("类别", OrgKind.values)
            term = read.parsed("任期年限", parse_int)
            if term is not None and term not in (3, 5):
                read.problem("任期年限", f"任期年限 {term} 无效", "一般为3年，村和社区党支部为5年")
            entry = OrgRow(
                row=row.number,
                name=name,
                parent=read.text("上级"),
                kind=kind or "",
                unit=read.text("单位"),
                line_of_work=read.text("业务领域"),
                city=read.text("所在地"),
                founded_on=read.past_date("成立日期", parse_date),
                elected_on=read.past_date("换届日期", parse_date),
                term_years=term or DEFAULT_TERM_YEARS,
            )
            if name and kind:
                plan.append(entry)
        context.declared[DECLARED_ORGS] = {entry.name: entry.kind for entry in plan}
        context.declared[DECLARED_PARENTS] = {entry.name: entry.parent for entry in plan}
        self._check_existing_access(plan, context)
        self._check_parents(plan, context)
        return plan

    def _check_existing_access(self, plan: list[OrgRow], context: ImportContext) -> None:
        names = [entry.name for entry in plan]
        existing = set(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
        managed = set(access.managed_orgs(context.actor).filter(name__in=names).values_list("name", flat=True))
        for entry in plan:
            if entry.name in existing and entry.name not in managed:
                # Same wording whether it exists elsewhere or not: an import must not reveal other branches.
                context.add(self.name, entry.row, "名称", f"组织名称“{entry.name}”已被占用或您无权修改", "请换一个名称")

    def _check_parents(self, plan: list[OrgRow], context: ImportContext) -> None:
        in_workbook = {entry.name: entry for entry in plan}
        parent_of: dict[str, str] = {}
        # An organisation the login manages, written back with the parent it has now, stays where it is: its own
        # export names a parent (or none) the login could not create, and that must not stop the import.
        managed = access.managed_orgs(context.actor).filter(name__in=in_workbook)
        current_parents = {name: parent or "" for name, parent in managed.parent_names().items()}
        for entry in plan:
            if entry.name in current_parents and current_parents[entry.name] == entry.parent:
                parent_kind = Organisation.objects.filter(name=entry.parent).values_list("kind", flat=True).first()
                problem = parent_kind_problem(entry.kind, parent_kind)
                if problem:
                    context.add(self.name, entry.row, "类别", problem, "请核对类别或上级")
                elif entry.parent:
                    parent_of[entry.name] = entry.parent
                continue
            if not entry.parent:
                if not access.sees_everything(context.actor):
                    context.add(self.name, entry.row, "上级", "只有系统管理员可以新建顶层组织", "请填写上级组织名称")
                    continue
                problem = parent_kind_problem(entry.kind, None)
                if problem:
                    context.add(self.name, entry.row, "上级", problem, "请填写上级组织名称")
                continue
            if entry.parent == entry.name:
                context.add(self.name, entry.row, "上级", "上级不能是组织本身", "请填写真正的上级组织")
                continue
            parent_kind = known_org_kind(entry.parent, context)
            if parent_kind is None:
                context.add(
                    self.name, entry.row, "上级", f"找不到上级组织“{entry.parent}”",
                    "请在本表中加上该组织，或核对名称（须与已有组织完全一致）",
                )
                continue
            problem = parent_kind_problem(entry.kind, parent_kind)
            if problem:
                context.add(self.name, entry.row, "类别", problem, "请核对类别或上级")
                continue
            parent_of[entry.name] = entry.parent
        # Existing organisations not in the workbook keep their parents; include them to find cycles through them.
        for name, parent in Organisation.objects.exclude(name__in=in_workbook).parent_names().items():
            if parent:
                parent_of.setdefault(name, parent)
        reported: set[str] = set()
        for entry in plan:
            chain, current = [entry.name], parent_of.get(entry.name)
            while current and current not in chain:
                chain.append(current)
                current = parent_of.get(current)
            if current == entry.name and entry.name not in reported:
                reported.update(chain)
                context.add(
                    self.name, entry.row, "上级", "上下级关系形成循环：" + " → ".join([*chain, entry.name]),
                    "请修改其中一个组织的上级，使组织树没有环",
                )

    def apply(self, plan: list[OrgRow], context: ImportContext) -> SheetSummary:
        summary = SheetSummary()
        # Parents before children, level by level, and siblings in name order: the tree keeps siblings sorted by
        # name, so each new one is appended after the others instead of renumbering those after it.
        in_plan = {entry.name: entry for entry in plan}

        def level(entry: OrgRow) -> int:
            depth, seen = 0, {entry.name}
            while entry.parent in in_plan and entry.parent not in seen:
                seen.add(entry.parent)
                entry, depth = in_plan[entry.parent], depth + 1
            return depth

        levels: dict[int, list[OrgRow]] = {}
        for entry in plan:
            levels.setdefault(level(entry), []).append(entry)
        for depth in sorted(levels):
            entries = sorted(levels[depth], key=lambda entry: entry.name)
            wanted = {e.name for e in entries} | {e.parent for e in entries if e.parent}
            known = {org.name: org for org in Organisation.objects.filter(name__in=wanted)}  # read afresh each level
            entries = self._append_new_children(entries, known, summary)
            for entry in entries:
                parent = known.get(entry.parent) if entry.parent else None
                if entry.parent and parent is None:  # cannot happen after _check_parents; fail loudly
                    raise RuntimeError("组织树无法排序：" + entry.name)
                if self._upsert(entry, parent, summary, known.get(entry.name)):  # moved: paths changed, read again
                    known = {org.name: org for org in Organisation.objects.filter(name__in=wanted)}
        return summary

    @staticmethod
    def _append_new_children(entries: list[OrgRow], known: dict[str, Organisation], summary: SheetSummary) -> list[OrgRow]:
        """Create in bulk the new children (not roots) that sort after every child their parent has: their paths
        follow the last child's, as the tree would give them one by one. Returns the entries left to place."""
        from django.db.models import F

        from zhibu.records.bulk import copy_history

        new_by_parent: dict[str, list[OrgRow]] = {}
        rest = []
        for entry in entries:
            if entry.name in known or not entry.parent:
                rest.append(entry)
            else:
                new_by_parent.setdefault(entry.parent, []).append(entry)
        if not new_by_parent:
            return rest
        parents = [known[name] for name in new_by_parent]
        last_child: dict[str, tuple[str, str]] = {}  # parent path → (last path, greatest name) of its children
        steplen = Organisation.steplen
        paths = {p.path for p in parents}
        prefix = os.path.commonprefix(sorted(paths))
        for path, name in Organisation.objects.filter(
            depth__in={p.depth + 1 for p in parents}, path__startswith=prefix[: len(prefix) - len(prefix) % steplen],
        ).values_list("path", "name"):
            parent_path = path[:-steplen]
            if parent_path not in paths:
                continue
            last, greatest = last_child.get(parent_path, ("", ""))
            last_child[parent_path] = (max(last, path), max(greatest, name))
        created = []
        for parent_name, children in new_by_parent.items():
            parent = known[parent_name]
            last, greatest = last_child.get(parent.path, ("", ""))
            if greatest and greatest >= children[0].name:
                rest += children  # goes between existing siblings: the tree places it
                continue
            for entry in children:
                if last:
                    step = Organisation._str2int(last[-steplen:]) + 1
                else:
                    step = 1
                path = Organisation._get_path(parent.path, parent.depth + 1, step)
                if len(Organisation._int2str(step)) > steplen:
                    rest.append(entry)
                    continue
                last = path
                created.append(Organisation(
                    name=entry.name, path=path, depth=parent.depth + 1, numchild=0,
                    **{name: getattr(entry, name) for name in ORG_FIELDS},
                ))
                summary.created += 1
        if created:
            Organisation.objects.bulk_create(created, batch_size=1000)
            copy_history(Organisation, "name", [org.name for org in created])
            counts: dict[str, int] = {}
            for org in created:
                counts[org.path[:-steplen]] = counts.get(org.path[:-steplen], 0) + 1
            for parent in parents:
                if counts.get(parent.path):
                    Organisation.objects.filter(pk=parent.pk).update(numchild=F("numchild") + counts[parent.path])
        return sorted(rest, key=lambda entry: entry.name)

    def _upsert(self, entry: OrgRow, parent: Organisation | None, summary: SheetSummary, org: Organisation | None) -> bool:
        """Create or update one organisation; True when it moved to another parent."""
        values = {name: getattr(entry, name) for name in ORG_FIELDS}
        if org is None:
            if parent is None:
                Organisation.objects.create_root(name=entry.name, **values)
            else:
                Organisation.objects.create_child(parent, name=entry.name, **values)
            summary.created += 1
            return False
        changed = [name for name, value in values.items() if getattr(org, name) != value]
        current_parent = Organisation.objects.get_parent(org)
        moved = (current_parent.pk if current_parent else None) != (parent.pk if parent else None)
        for name in changed:
            setattr(org, name, values[name])
        if changed:
            org.save()
        if moved:
            Organisation.objects.place(org, parent)
        if changed or moved:
            summary.updated += 1
        else:
            summary.unchanged += 1
        return moved

    def export_rows(self, actor, orgs):
        parent_names = orgs.parent_names()
        for org in orgs.order_by("path"):
            yield {
                "名称": org.name,
                "上级": parent_names[org.name],
                "类别": org.kind,
                "单位": org.unit,
                "业务领域": org.line_of_work,
                "所在地": org.city,
                "成立日期": org.founded_on,
                "换届日期": org.elected_on,
                "任期年限": org.term_years,
            }
