"""One engine: evaluates the rules for a set of branches and a year, explaining every finding.

The engine works on plain facts (facts.py loads them from the database in a fixed number of
queries), so each rule can be tested at its edges without a database. It imports no Django: the domain's words
(categories, posts, attendance statuses, the meetings of organisational life) and the term of office come from
the Django-free modules the models build on (orgs/terms.py, records/expected.py, lib/dates.py), and every number a
rule needs from its parameters, so an edited rule changes all that depends on it.

Periods not yet over are "due" (提醒), never "missed". Periods that have not begun are skipped.

The participation rules read a member's attendance per quarter (`Tally`): facts.py has the database count them
(one aggregate), so no attendance row is held in memory; facts built by hand may instead list each meeting's
attendance, and the tallies are then counted from it here (`member_tallies`), by the same definition.

A branch whose size crosses 7 full members during the year is judged month by month: the
支委会 rule applies to a month when the branch had 7 or more full members on its first day
(counted from the 转正 dates of its people), so a branch that grows in June owes 支委会
from July, and one that shrinks stops owing them the month after.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import date
from typing import Callable, Iterable, NamedTuple

from zhibu.compliance.rules import DEFAULT_RULES, REMINDER, VIOLATION, RuleSpec
from zhibu.lib.dates import add_months, month_end
from zhibu.orgs.terms import COMMITTEE_POSTS, FULL_MEMBER, SECRETARY, term_ends_on
from zhibu.records.expected import ABSENT, CIRCLE_MEETING_TYPES, PRESENT

# The meetings whose attendance the participation rules count: the organisational life a whole circle is due at.
MEETING_TYPES_FOR_PARTICIPATION = CIRCLE_MEETING_TYPES
_DEFAULTS = {rule.key: rule.params for rule in DEFAULT_RULES}


def parameter(rule: RuleSpec, name: str):
    """A number the rule's handler needs: the rule's own (as an administrator set it), else the catalogue's."""
    return rule.params[name] if name in rule.params else _DEFAULTS[rule.key][name]


# 支部工作条例 第六章: a branch with this many full members must have a committee, and so owes monthly 支委会. The
# figure is the `threshold` parameter of the rule "committee_required"; the catalogue's is used only when that rule
# is absent from the rules evaluated (committee_threshold).
COMMITTEE_THRESHOLD = _DEFAULTS["committee_required"]["threshold"]


class Tally(NamedTuple):
    """A member's attendance at one quarter's meetings (MEETING_TYPES_FOR_PARTICIPATION) of one branch and its
    groups, held by then: the meetings that recorded them (expected), those they attended and those they missed
    without leave. `evidence` holds the expected meetings' ids where a finding may cite them (facts.py loads them
    only for leading cadres and for members absent from every meeting of the quarter)."""

    quarter: int
    expected: int
    present: int
    absent: int
    evidence: tuple[int, ...] = ()


@dataclass(frozen=True)
class MemberFact:
    id: int
    name: str
    category: str  # 正式党员 / 预备党员 / …
    full_on: date | None = None
    admitted_on: date | None = None
    posts: frozenset[str] = frozenset()
    is_leading_cadre: bool = False
    group_id: int | None = None
    # (start, end-not-included) of the member's periods in this branch; empty: in the branch throughout.
    spans: tuple[tuple[date, date | None], ...] = ()
    # (start, end-not-included) of the member's exemptions (第二十三条: old or frail, organisational life not compulsory).
    exempt: tuple[tuple[date, date | None], ...] = ()
    study_hours: float | None = None  # 学时 earned in the year (None: not loaded)
    # Attendance per quarter counted by the database; None: count it from the meetings' attendance.
    tallies: tuple[Tally, ...] | None = None

    def in_branch_on(self, day: date) -> bool:
        return not self.spans or any(start <= day and (end is None or day < end) for start, end in self.spans)

    def exempt_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.exempt)

    def is_full_member_on(self, day: date) -> bool:
        if self.category != FULL_MEMBER or not self.in_branch_on(day):
            return False
        return (self.full_on or self.admitted_on or date.min) <= day


def _merged_spans(spans) -> list[tuple[date, date | None]]:
    """(start, end-not-included) spans with the overlapping ones joined: a day inside two of them counts once."""
    merged: list[tuple[date, date | None]] = []
    for start, end in sorted(spans, key=lambda span: span[0]):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class MeetingFact:
    id: int
    type: str  # canonical activity type name
    on: date
    org_id: int  # the branch, or one of its groups
    lecturer_id: int | None = None
    attendance: tuple[tuple[int, str], ...] = ()  # (person id, 出席/请假/缺席)

    def status_of(self, person_id: int) -> str | None:
        return next((status for pid, status in self.attendance if pid == person_id), None)


@dataclass(frozen=True)
class BranchFacts:
    id: int
    name: str
    members: tuple[MemberFact, ...]
    meetings: tuple[MeetingFact, ...]
    groups: tuple[tuple[int, str], ...] = ()
    elected_on: date | None = None
    term_years: int = 3

    def full_members_on(self, day: date) -> int:
        """How many members were full members of the branch on `day` (MemberFact.is_full_member_on)."""
        starts, ends = self._full_member_stretches
        return bisect_right(starts, day) - bisect_right(ends, day)

    @cached_property
    def _full_member_stretches(self) -> tuple[list[date], list[date]]:
        """The sorted starts and ends (not included) of the stretches during which each member was a full member
        in the branch: the count on a day is the stretches begun by then less those ended by then. Several rules
        ask for each month of 1,000 branches; counting the members each time was a third of the check."""
        starts, ends = [], []
        for member in self.members:
            if member.category != FULL_MEMBER:
                continue
            since = member.full_on or member.admitted_on or date.min
            for start, end in _merged_spans(member.spans or ((date.min, None),)):
                start = max(start, since)
                if end is None or start < end:
                    starts.append(start)
                    if end is not None:
                        ends.append(end)
        return sorted(starts), sorted(ends)

    def secretary(self) -> MemberFact | None:
        return self._secretary

    @cached_property
    def _secretary(self) -> MemberFact | None:
        return next((m for m in self.members if SECRETARY in m.posts and not (m.spans and m.spans[-1][1] is not None)), None)

    def meetings_between(self, type_key: str, org_id: int, first: date, last: date) -> list[MeetingFact]:
        """The meetings of one type held by the branch or one of its groups from `first` to `last` (both included),
        in date order: found by bisection in an index made once per branch (each rule asks for each period)."""
        days, meetings = self._by_type_and_org.get((type_key, org_id), ((), ()))
        return meetings[bisect_left(days, first):bisect_right(days, last)]

    @cached_property
    def _by_type_and_org(self) -> dict[tuple[str, int], tuple[list[date], list[MeetingFact]]]:
        index: dict[tuple[str, int], list[MeetingFact]] = {}
        for meeting in sorted(self.meetings, key=lambda meeting: meeting.on):
            index.setdefault((meeting.type, meeting.org_id), []).append(meeting)
        return {key: ([meeting.on for meeting in found], found) for key, found in index.items()}


@dataclass
class Finding:
    org_id: int
    org: str
    rule: str
    type: str | None
    period: str
    required: int | float | str
    actual: int | float | str
    severity: str
    message: str
    evidence: list[int] = field(default_factory=list)
    status: str = "missed"  # "missed" (period over), "due" (period running), "advisory"
    citation: str = ""
    person_id: int | None = None
    group_id: int | None = None  # for rules judged per 党小组

    def as_json(self) -> dict:
        return {
            "org": self.org, "rule": self.rule, "type": self.type, "period": self.period, "required": self.required,
            "actual": self.actual, "severity": self.severity, "message": self.message, "evidence": self.evidence,
            "status": self.status, "citation": self.citation,
        }


@dataclass(frozen=True)
class Period:
    label: str  # "2025-08", "2025-Q3", "2025"
    start: date
    end: date  # inclusive

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def words(self) -> str:
        if "-Q" in self.label:
            return f"{self.start.year}年第{self.label[-1]}季度"
        if "-" in self.label:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年"


@lru_cache(maxsize=64)
def periods(year: int, kind: str) -> tuple[Period, ...]:
    """The periods of a year (asked for by every rule of every branch: made once per year and kind)."""
    return tuple(_periods(year, kind))


def _periods(year: int, kind: str) -> list[Period]:
    if kind == "month":
        return [Period(f"{year}-{m:02d}", date(year, m, 1), month_end(year, m)) for m in range(1, 13)]
    if kind == "quarter":
        return [Period(f"{year}-Q{q}", date(year, 3 * q - 2, 1), month_end(year, 3 * q)) for q in range(1, 5)]
    return [Period(str(year), date(year, 1, 1), date(year, 12, 31))]


def committee_threshold(rules: Iterable[RuleSpec]) -> int:
    """Full members from which a branch must have a committee: one figure for every rule that depends on it, read
    from the rule that states it, so an administrator's edit of that rule changes all of them together."""
    for rule in rules:
        if rule.key == "committee_required":
            return int(parameter(rule, "threshold"))
    return COMMITTEE_THRESHOLD


class Context:
    def __init__(self, branch: BranchFacts, year: int, today: date, threshold: int = COMMITTEE_THRESHOLD):
        self.branch, self.year, self.today = branch, year, today
        self.committee_threshold = threshold

    @property
    def as_of(self) -> date:
        """The day structure rules look at: today, or the year's last day for a past year."""
        return min(self.today, date(self.year, 12, 31))

    def finding(self, rule: RuleSpec, period: str, required, actual, message: str, *, evidence=(), status="missed",
                severity: str | None = None, person_id: int | None = None, group_id: int | None = None) -> Finding:
        return Finding(
            org_id=self.branch.id, org=self.branch.name, rule=rule.key, type=rule.activity_type, period=period,
            required=required, actual=actual, severity=severity or rule.severity, message=message,
            evidence=sorted(evidence), status=status, citation=rule.citation, person_id=person_id, group_id=group_id,
        )


# ---- frequency rules -------------------------------------------------------------------------

def frequency_scopes(rule: RuleSpec, branch: BranchFacts) -> list[tuple[int, str]]:
    """(org id, words for messages) of each body a frequency rule judges: the branch, or each of its groups."""
    if rule.params.get("per_group"):
        return [(group_id, f"党小组“{name}”") for group_id, name in branch.groups]
    return [(branch.id, "")]


def counted_meetings(rule: RuleSpec, branch: BranchFacts, period: Period, today: date, org_id: int | None = None) -> list[MeetingFact]:
    """The meetings that count towards a frequency rule in a period (held by `org_id`, default the branch)."""
    secretary = branch.secretary() if rule.params.get("lecturer") == "secretary" else None
    org_id = branch.id if org_id is None else org_id
    held = branch.meetings_between(rule.activity_type, org_id, period.start, min(period.end, today))
    return held if secretary is None else [m for m in held if m.lecturer_id == secretary.id]


def _frequency(rule: RuleSpec, ctx: Context) -> list[Finding]:
    findings = []
    params = rule.params
    lecturer_is_secretary = params.get("lecturer") == "secretary"
    if lecturer_is_secretary and ctx.branch.secretary() is None:
        return []  # reported by the secretary_missing rule; nobody to count lessons for
    for period in periods(ctx.year, rule.period):
        if period.start > ctx.today:
            break
        if params.get("needs_committee") and ctx.branch.full_members_on(period.start) < ctx.committee_threshold:
            continue
        for org_id, who in frequency_scopes(rule, ctx.branch):
            held = counted_meetings(rule, ctx.branch, period, ctx.today, org_id)
            subject = f"{who}{rule.activity_type}" + ("（书记主讲）" if lecturer_is_secretary else "")
            group_id = org_id if org_id != ctx.branch.id else None
            evidence = [m.id for m in held]
            if len(held) >= rule.minimum:
                preferred = params.get("preferred_quarter")
                if preferred and not any((m.on.month - 1) // 3 + 1 == preferred for m in held) and period.end < ctx.today:
                    findings.append(ctx.finding(
                        rule, period.label, f"第{preferred}季度召开", "其他季度召开",
                        f"{period.words()}{subject}未安排在第{preferred}季度（一般安排在第四季度）",
                        evidence=evidence, status="advisory", severity=REMINDER, group_id=group_id,
                    ))
                continue
            so_far = f"目前{len(held)}次" if held else "尚未召开"
            if period.end >= ctx.today:
                findings.append(ctx.finding(
                    rule, period.label, rule.minimum, len(held),
                    f"{period.words()}{subject}应召开{rule.minimum}次，{so_far}，截止{period.end:%m月%d日}",
                    evidence=evidence, status="due", severity=REMINDER, group_id=group_id,
                ))
            else:
                held_words = f"只召开{len(held)}次" if held else "未召开"
                findings.append(ctx.finding(
                    rule, period.label, rule.minimum, len(held),
                    f"{period.words()}{subject}{held_words}（应至少{rule.minimum}次）",
                    evidence=evidence, group_id=group_id,
                ))
    return findings


# ---- structure rules -------------------------------------------------------------------------

def _committee_required(rule: RuleSpec, ctx: Context) -> list[Finding]:
    full = ctx.branch.full_members_on(ctx.as_of)
    threshold = ctx.committee_threshold
    committee = [m for m in ctx.branch.members if m.posts & COMMITTEE_POSTS and m.in_branch_on(ctx.as_of)]
    needed = parameter(rule, "min_committee_members")
    if full >= threshold and len(committee) < needed:
        return [ctx.finding(rule, str(ctx.year), f"支委会委员≥{needed}人", f"{len(committee)}人",
                            f"正式党员{full}人（≥{threshold}人），应设立支部委员会（{needed}至5人），现仅{len(committee)}人任支委职务")]
    return []


def _too_small(rule: RuleSpec, ctx: Context) -> list[Finding]:
    full = ctx.branch.full_members_on(ctx.as_of)
    minimum = parameter(rule, "minimum")
    if full < minimum:
        return [ctx.finding(rule, str(ctx.year), minimum, full,
                            f"正式党员仅{full}人，不足{minimum}人，应考虑成立联合党支部")]
    return []


def _secretary_missing(rule: RuleSpec, ctx: Context) -> list[Finding]:
    if ctx.branch.secretary() is None:
        return [ctx.finding(rule, str(ctx.year), 1, 0, "党支部没有登记书记，请在人员中设置党内职务“书记”")]
    return []


def _term_end(ctx: Context) -> date | None:
    return term_ends_on(ctx.branch.elected_on, ctx.branch.term_years)


def _term_expired(rule: RuleSpec, ctx: Context) -> list[Finding]:
    end = _term_end(ctx)
    if end and end <= ctx.as_of:
        return [ctx.finding(rule, str(ctx.year), f"{end:%Y-%m-%d}前换届", "未换届",
                            f"支部委员会任期已于{end:%Y年%m月%d日}届满（{ctx.branch.elected_on:%Y年%m月}选举，任期{ctx.branch.term_years}年），应按期换届")]
    return []


def _term_expiring(rule: RuleSpec, ctx: Context) -> list[Finding]:
    end = _term_end(ctx)
    months = parameter(rule, "months")
    if end and ctx.as_of < end <= add_months(ctx.as_of, months):
        return [ctx.finding(rule, str(ctx.year), f"{end:%Y-%m-%d}前换届", f"剩余{(end - ctx.as_of).days}天",
                            f"支部委员会任期将于{end:%Y年%m月%d日}届满，请提前做好换届准备", status="due")]
    return []


# ---- participation rules ---------------------------------------------------------------------

def _expected_meetings(ctx: Context, member: MemberFact, start: date, end: date) -> list[MeetingFact]:
    """Meetings in [start, end] that recorded this member's attendance (that is, expected them); a day the member
    was exempted (第二十三条) expects nothing of them."""
    return [
        m for m in ctx.branch.meetings
        if m.type in MEETING_TYPES_FOR_PARTICIPATION and start <= m.on <= min(end, ctx.today) and m.status_of(member.id)
        and not member.exempt_on(m.on)
    ]


def member_tallies(ctx: Context, member: MemberFact) -> dict[int, Tally]:
    """Quarter → the member's attendance tally: as the database counted it, or counted from the meetings."""
    if member.tallies is not None:
        return {tally.quarter: tally for tally in member.tallies}
    tallies = {}
    for period in periods(ctx.year, "quarter"):
        expected = _expected_meetings(ctx, member, period.start, period.end)
        if expected:
            statuses = [m.status_of(member.id) for m in expected]
            tallies[int(period.label[-1])] = Tally(
                int(period.label[-1]), len(expected), statuses.count(PRESENT), statuses.count(ABSENT),
                tuple(m.id for m in expected),
            )
    return tallies


def cadre_min_rate(rule: RuleSpec) -> float:
    """The attendance rate below which a leading cadre is reported (the rule's `min_rate`)."""
    return float(parameter(rule, "min_rate"))


def _cadre_attendance(rule: RuleSpec, ctx: Context) -> list[Finding]:
    findings = []
    min_rate = cadre_min_rate(rule)
    for member in ctx.branch.members:
        if not member.is_leading_cadre:
            continue
        tallies = member_tallies(ctx, member).values()
        expected = sum(t.expected for t in tallies)
        if not expected:
            continue
        present = sum(t.present for t in tallies)
        rate = present / expected
        if rate < min_rate:
            findings.append(ctx.finding(
                rule, str(ctx.year), f"{min_rate:.0%}", f"{rate:.0%}",
                f"领导干部{member.name}参加本支部组织生活{present}/{expected}次，出席率{rate:.0%}，低于{min_rate:.0%}",
                evidence=[meeting for t in tallies for meeting in t.evidence], person_id=member.id,
            ))
    return findings


def _absent_whole_quarter(rule: RuleSpec, ctx: Context) -> list[Finding]:
    findings = []
    tallies = {member.id: member_tallies(ctx, member) for member in ctx.branch.members}
    for period in periods(ctx.year, "quarter"):
        if period.end >= ctx.today:
            break  # judged only when the quarter is over
        quarter = int(period.label[-1])
        for member in ctx.branch.members:
            tally = tallies[member.id].get(quarter)
            if tally and tally.expected and tally.absent == tally.expected:
                findings.append(ctx.finding(
                    rule, period.label, "至少出席1次", f"缺席{tally.expected}次",
                    f"{member.name}{period.words()}无故缺席全部{tally.expected}次组织生活，请及时谈心谈话",
                    evidence=list(tally.evidence), person_id=member.id,
                ))
    return findings


def _study_hours(rule: RuleSpec, ctx: Context) -> list[Finding]:
    """第二十条: 集中学习培训 generally not less than 32 学时 a year, for each member in the branch from 1 January to the
    year's end (today, for the running year: a reminder from October on) and not exempted then."""
    required = float(parameter(rule, "min_hours"))
    year_over = ctx.today > date(ctx.year, 12, 31)
    if not year_over and ctx.today < date(ctx.year, int(parameter(rule, "remind_from_month")), 1):
        return []
    findings = []
    first = date(ctx.year, 1, 1)
    for member in ctx.branch.members:
        # Judged for members of the branch the whole year (someone admitted or arriving during it is not).
        if member.study_hours is None or not (member.in_branch_on(first) and member.in_branch_on(ctx.as_of)):
            continue
        if member.exempt_on(ctx.as_of) or (member.admitted_on and member.admitted_on > first):
            continue
        if member.study_hours >= required:
            continue
        short = required - member.study_hours
        words = f"{member.name}{ctx.year}年集中学习培训{member.study_hours:g}学时"
        if year_over:
            findings.append(ctx.finding(rule, str(ctx.year), f"{required:g}学时", f"{member.study_hours:g}学时",
                                        f"{words}，少于{required:g}学时（差{short:g}学时）", person_id=member.id))
        else:
            findings.append(ctx.finding(rule, str(ctx.year), f"{required:g}学时", f"{member.study_hours:g}学时",
                                        f"{words}，年底前还差{short:g}学时", status="due", severity=REMINDER,
                                        person_id=member.id))
    return findings


HANDLERS: dict[str, Callable[[RuleSpec, Context], list[Finding]]] = {
    "study_hours_yearly": _study_hours,
    "committee_required": _committee_required,
    "branch_too_small": _too_small,
    "secretary_missing": _secretary_missing,
    "term_expired": _term_expired,
    "term_expiring": _term_expiring,
    "cadre_attendance": _cadre_attendance,
    "absent_whole_quarter": _absent_whole_quarter,
}


def evaluate_branch(branch: BranchFacts, year: int, today: date, rules: Iterable[RuleSpec]) -> list[Finding]:
    if date(year, 1, 1) > today:
        return []
    rules = list(rules)
    ctx = Context(branch, year, today, committee_threshold(rules))
    findings: list[Finding] = []
    for rule in rules:
        handler = _frequency if rule.kind == "frequency" else HANDLERS[rule.key]
        findings.extend(handler(rule, ctx))
    return findings


def evaluate(branches: Iterable[BranchFacts], year: int, today: date, rules: Iterable[RuleSpec]) -> list[Finding]:
    rules = list(rules)
    return [finding for branch in branches for finding in evaluate_branch(branch, year, today, rules)]


# ---- standardisation score -------------------------------------------------------------------

@dataclass
class ScoreLine:
    rule: RuleSpec
    met: bool
    applicable: bool = True


@dataclass
class Score:
    org_id: int
    org: str
    points: int
    possible: int
    lines: list[ScoreLine]

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.possible) if self.possible else 100


def score_branch(branch: BranchFacts, findings: list[Finding], rules: Iterable[RuleSpec], year: int, today: date) -> Score:
    """Points per rule met over the year (五个基本 style): a rule is met when it raised no 违规 finding."""
    violated = {f.rule for f in findings if f.org_id == branch.id and f.severity == VIOLATION}
    rules = list(rules)
    threshold = committee_threshold(rules)
    lines = []
    for rule in rules:
        if not rule.points:
            continue
        applicable = _applies(rule, branch, year, today, threshold)
        lines.append(ScoreLine(rule, met=rule.key not in violated, applicable=applicable))
    possible = sum(line.rule.points for line in lines if line.applicable)
    points = sum(line.rule.points for line in lines if line.applicable and line.met)
    return Score(branch.id, branch.name, points, possible, lines)


def _applies(rule: RuleSpec, branch: BranchFacts, year: int, today: date, threshold: int) -> bool:
    if rule.params.get("per_group") and not branch.groups:
        return False
    if rule.params.get("needs_committee"):
        return any(branch.full_members_on(p.start) >= threshold for p in periods(year, "month") if p.start <= today)
    return True
