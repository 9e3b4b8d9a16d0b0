"""The rules a branch is checked against, as data with their sources.

"Rule" cites a national text; "实践做法" marks local practice, which users may change.
The database table compliance.Rule is created from DEFAULT_RULES and is what the engine
reads, so an administrator can switch a rule off, change its minimum, threshold, severity
or points without a code change.
"""

from dataclasses import dataclass, field

from zhibu.records.catalogue import type_key

BRANCH_REGULATION = "《中国共产党支部工作条例（试行）》（2018）"
PRACTICE = "实践做法（各地规定不一，可调整）"

VIOLATION = "违规"
REMINDER = "提醒"

# The five areas of a standardised branch (五个基本); the score rolls findings up by area.
BASIC_ORGANISATION = "基本组织"
BASIC_TEAM = "基本队伍"
BASIC_ACTIVITIES = "基本活动"
BASIC_RULES = "基本制度"
BASIC_SUPPORT = "基本保障"


@dataclass(frozen=True)
class RuleSpec:
    key: str
    title: str
    citation: str
    kind: str  # "frequency" (a meeting each period), "structure" (set-up of the branch), "participation" (people)
    area: str
    severity: str = VIOLATION
    points: int = 0  # standardisation score points when the rule is met for the year
    activity_type: str | None = None
    period: str | None = None  # "month", "quarter" or "year" for frequency rules
    minimum: int = 1
    # Extra settings, e.g. {"min_rate": 0.6}; see the engine's handler for each key.
    params: dict = field(default_factory=dict)


# Activity types are named by their catalogue key (type_key fails on a name the catalogue lacks); numbers a handler
# needs are in `params`, and the engine falls back on these defaults only (engine.parameter).
DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "congress_quarterly", "支部党员大会每季度至少召开1次", f"{BRANCH_REGULATION}第十一条", "frequency",
        BASIC_ACTIVITIES, points=15, activity_type=type_key("支部党员大会"), period="quarter",
    ),
    RuleSpec(
        "committee_meeting_monthly", "支部委员会会议每月至少召开1次（设支委会的支部）", f"{BRANCH_REGULATION}第十二条",
        "frequency", BASIC_ACTIVITIES, points=10, activity_type=type_key("支部委员会会议"), period="month",
        params={"needs_committee": True},
    ),
    RuleSpec(
        "group_meeting_monthly", "党小组会每月至少召开1次（每个党小组）", f"{BRANCH_REGULATION}第十三条", "frequency",
        BASIC_ACTIVITIES, points=5, activity_type=type_key("党小组会"), period="month", params={"per_group": True},
    ),
    RuleSpec(
        "lesson_quarterly", "党课每季度至少1次", PRACTICE, "frequency", BASIC_ACTIVITIES, points=10,
        activity_type=type_key("党课"), period="quarter",
    ),
    RuleSpec(
        "theme_day_monthly", "每月开展1次主题党日", f"{BRANCH_REGULATION}第五章“组织生活”", "frequency",
        BASIC_ACTIVITIES, points=10, activity_type=type_key("主题党日"), period="month",
    ),
    RuleSpec(
        "life_meeting_yearly", "每年至少召开1次组织生活会，一般安排在第四季度", f"{BRANCH_REGULATION}第五章“组织生活”",
        "frequency", BASIC_ACTIVITIES, points=10, activity_type=type_key("组织生活会"), period="year",
        params={"preferred_quarter": 4},
    ),
    RuleSpec(
        "appraisal_yearly", "每年开展1次民主评议党员", f"{BRANCH_REGULATION}第五章“组织生活”", "frequency",
        BASIC_ACTIVITIES, points=10, activity_type=type_key("民主评议党员"), period="year",
    ),
    RuleSpec(
        "secretary_lesson_yearly", "支部书记每年至少讲1次党课", PRACTICE, "frequency", BASIC_TEAM, points=5,
        activity_type=type_key("党课"), period="year", params={"lecturer": "secretary"},
    ),
    RuleSpec(
        "committee_required", "正式党员7人以上的党支部应当设立支部委员会", f"{BRANCH_REGULATION}第六章", "structure",
        BASIC_ORGANISATION, points=5, params={"threshold": 7, "min_committee_members": 3},
    ),
    RuleSpec(
        "branch_too_small", "正式党员3人以上方可单独成立党支部", f"{BRANCH_REGULATION}第二章", "structure",
        BASIC_ORGANISATION, points=5, params={"minimum": 3},
    ),
    RuleSpec("secretary_missing", "党支部应当设书记", f"{BRANCH_REGULATION}第六章", "structure", BASIC_TEAM, points=5),
    RuleSpec(
        "term_expired", "支部委员会任期届满应按期换届", f"{BRANCH_REGULATION}第六章", "structure", BASIC_ORGANISATION,
        points=5,
    ),
    RuleSpec(
        "term_expiring", "换届提醒：任期将在6个月内届满", PRACTICE, "structure", BASIC_ORGANISATION, severity=REMINDER,
        params={"months": 6},
    ),
    RuleSpec(
        "cadre_attendance", "领导干部参加所在支部组织生活（双重组织生活）", "《关于党员领导干部参加双重组织生活的规定》；出席率下限为实践做法",
        "participation", BASIC_TEAM, severity=REMINDER, points=5, params={"min_rate": 0.6},
    ),
    RuleSpec(
        "absent_whole_quarter", "党员一个季度无故缺席全部组织生活", "《中国共产党章程》第九条（连续六个月不参加党的组织生活视为自行脱党）；按季度提醒为实践做法",
        "participation", BASIC_TEAM, severity=REMINDER, points=5,
    ),
    RuleSpec(
        "study_hours_yearly", "党员每年集中学习培训一般不少于32学时",
        "《中国共产党党员教育管理工作条例》（2019）第二十条；免于参加组织生活的党员不计（第二十三条）",
        "participation", BASIC_TEAM, severity=REMINDER, params={"min_hours": 32, "remind_from_month": 10},
    ),
)


def add_missing_rules(rule_model) -> int:
    """Create a table row for every catalogue rule the table lacks; rows users changed stay as they are.

    Takes the model class so data migrations can pass their historical model.
    """
    existing = set(rule_model.objects.values_list("key", flat=True))
    rows = [
        rule_model(
            key=s.key, title=s.title, citation=s.citation, kind=s.kind, area=s.area, activity_type=s.activity_type or "",
            period=s.period or "", minimum=s.minimum, severity=s.severity, points=s.points, params=s.params,
        )
        for s in DEFAULT_RULES if s.key not in existing
    ]
    rule_model.objects.bulk_create(rows)
    return len(rows)
