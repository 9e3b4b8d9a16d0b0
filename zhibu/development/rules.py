"""The member development pipeline (发展党员) and the date rules it must keep.

Source: 《中国共产党发展党员工作细则》, issued by the General Office of the CPC
Central Committee (dated 28 May 2014, published 10 June 2014; hereafter 细则). The 25 steps follow the
five stages of the 细则's procedure. Each checked rule is stored with its
citation (``RULES``), so every reminder can say why it was raised.

Pure functions over plain dates: no Django, no database, and ``today`` is
always an argument so that results do not depend on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zhibu.lib.dates import add_months
from zhibu.orgs import terms

# --- the pipeline as data ------------------------------------------------------


class Stage(StrEnum):
    """The five stages, each named after the status a person holds once the stage is complete."""

    APPLICANT = terms.APPLICANT
    ACTIVIST = terms.ACTIVIST
    CANDIDATE = terms.CANDIDATE
    PROBATIONARY = terms.PROBATIONARY_MEMBER
    FULL_MEMBER = terms.FULL_MEMBER

    @property
    def title(self) -> str:
        """The stage's heading in the 细则's procedure, e.g. 发展对象的确定和考察."""
        return _STAGE_TITLES[self]


_STAGE_TITLES: dict[Stage, str] = {
    Stage.APPLICANT: "申请入党",
    Stage.ACTIVIST: "入党积极分子的确定和培养教育",
    Stage.CANDIDATE: "发展对象的确定和考察",
    Stage.PROBATIONARY: "预备党员的接收",
    Stage.FULL_MEMBER: "预备党员的教育考察和转正",
}


@dataclass(frozen=True)
class Step:
    number: int
    stage: Stage
    name: str
    description: str


STEPS: tuple[Step, ...] = (
    Step(1, Stage.APPLICANT, "递交入党申请书",
         "年满十八岁、自愿入党的人向工作或学习所在单位党组织递交书面入党申请；没有单位或单位未建党组织的，向居住地党组织递交。"),
    Step(2, Stage.APPLICANT, "党组织派人谈话",
         "党组织收到入党申请书后一个月内派人同申请人谈话，了解其基本情况。"),
    Step(3, Stage.ACTIVIST, "推荐和确定入党积极分子",
         "通过党员推荐、群团组织推优等方式产生人选，由支部委员会（不设支部委员会的由支部大会）研究确定。"),
    Step(4, Stage.ACTIVIST, "上级党委备案",
         "确定的入党积极分子报上级党委备案。"),
    Step(5, Stage.ACTIVIST, "指定培养联系人",
         "党组织指定一至两名正式党员作入党积极分子的培养联系人。"),
    Step(6, Stage.ACTIVIST, "培养教育考察",
         "通过党课、党内活动和分配社会工作等方式培养教育，党支部每半年考察一次。"),
    Step(7, Stage.CANDIDATE, "确定发展对象",
         "经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，听取党小组、培养联系人、党员和群众意见后，由支部委员会讨论确定。"),
    Step(8, Stage.CANDIDATE, "报上级党委备案",
         "确定的发展对象报上级党委备案。"),
    Step(9, Stage.CANDIDATE, "确定入党介绍人",
         "由两名正式党员作入党介绍人，一般由培养联系人担任，也可由党组织指定。"),
    Step(10, Stage.CANDIDATE, "进行政治审查",
         "对发展对象本人及其直系亲属、主要社会关系的政治情况进行审查，形成结论性材料。"),
    Step(11, Stage.CANDIDATE, "开展集中培训",
         "基层党委或县级党委组织部门对发展对象进行短期集中培训，一般不少于三天（或不少于二十四个学时）。"),
    Step(12, Stage.PROBATIONARY, "支部委员会审查",
         "支部委员会对发展对象进行严格审查，集体讨论认为合格后报具有审批权限的基层党委预审。"),
    Step(13, Stage.PROBATIONARY, "上级党委预审",
         "基层党委审查发展对象的材料，预审合格的发给《中国共产党入党志愿书》。"),
    Step(14, Stage.PROBATIONARY, "填写入党志愿书",
         "发展对象在入党介绍人指导下如实填写入党志愿书。"),
    Step(15, Stage.PROBATIONARY, "支部大会讨论",
         "支部大会讨论接收预备党员，赞成人数超过应到会有表决权的正式党员的半数方能通过。"),
    Step(16, Stage.PROBATIONARY, "上级党委派人谈话",
         "基层党委审批前指派党委委员或组织员同发展对象谈话，作进一步了解。"),
    Step(17, Stage.PROBATIONARY, "上级党委审批",
         "基层党委集体讨论审批，一般在三个月内审批，特殊情况可适当延长，但不得超过六个月。"),
    Step(18, Stage.PROBATIONARY, "再上级党委组织部门备案",
         "基层党委审批后报上级党委组织部门备案。"),
    Step(19, Stage.FULL_MEMBER, "编入党支部和党小组",
         "党组织及时将预备党员编入党支部和党小组，参加党的组织生活。"),
    Step(20, Stage.FULL_MEMBER, "入党宣誓",
         "预备党员面向党旗进行入党宣誓。"),
    Step(21, Stage.FULL_MEMBER, "继续教育考察",
         "党组织在预备期内对预备党员继续进行教育和考察。"),
    Step(22, Stage.FULL_MEMBER, "提出转正申请",
         "预备期满时，预备党员向党支部提出书面转正申请。"),
    Step(23, Stage.FULL_MEMBER, "支部大会讨论",
         "支部大会讨论其能否转为正式党员：按期转正、延长预备期（一次，半年至一年）或取消预备党员资格。"),
    Step(24, Stage.FULL_MEMBER, "上级党委审批",
         "基层党委审批支部大会关于转正、延长预备期或取消资格的决议。"),
    Step(25, Stage.FULL_MEMBER, "材料归档",
         "入党申请书、入党志愿书、政治审查材料、转正申请等发展党员材料及时归入党员档案。"),
)


def steps_in(stage: Stage) -> tuple[Step, ...]:
    return tuple(step for step in STEPS if step.stage is stage)


def step(number: int) -> Step:
    """The step with this number (1–25)."""
    if not 1 <= number <= len(STEPS):
        raise ValueError(f"发展党员共 {len(STEPS)} 个步骤，没有第 {number} 步。")
    return STEPS[number - 1]


# --- rules with their citations ------------------------------------------------------


class Severity(StrEnum):
    BROKEN = "违规"  # the rule has been broken
    REMINDER = "提醒"  # something is due now or soon


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    citation: str


MINIMUM_AGE = "minimum_age"
APPLICATION_TALK = "application_talk"
ACTIVIST_ONE_YEAR = "activist_one_year"
CANDIDATE_TRAINING = "candidate_training"
PROBATION_DUE = "probation_due"
PROBATION_EXTENSION = "probation_extension"

RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(MINIMUM_AGE, "申请入党须年满十八岁", "《中国共产党发展党员工作细则》第五条"),
        Rule(APPLICATION_TALK, "收到入党申请书后一个月内派人谈话", "《中国共产党发展党员工作细则》第七条"),
        Rule(ACTIVIST_ONE_YEAR, "入党积极分子经过一年以上培养教育和考察方可列为发展对象", "《中国共产党发展党员工作细则》第十三条"),
        Rule(CANDIDATE_TRAINING, "发展对象须参加不少于三天或二十四个学时的短期集中培训",
             "《中国共产党发展党员工作细则》第三章（发展对象的确定和考察）关于短期集中培训的规定"),
        Rule(PROBATION_DUE, "预备期一年，自支部大会通过之日起算，期满应及时讨论转正", "《中国共产党发展党员工作细则》第三十二条"),
        Rule(PROBATION_EXTENSION, "预备期只能延长一次，延长时间不少于半年、不超过一年", "《中国共产党发展党员工作细则》第三十二条"),
    )
}

# The one-month talk deadline is new in the 细则; the 1990 试行 rules had none, so
# it is enforced only for applications from the day the 细则 was published.
RULES_EFFECTIVE_FROM = date(2014, 6, 10)

MINIMUM_AGE_YEARS = 18
TALK_WITHIN_MONTHS = 1
ACTIVIST_MINIMUM_MONTHS = 12
TRAINING_MINIMUM_DAYS = 3
TRAINING_MINIMUM_HOURS = 24
PROBATION_MONTHS = 12
PROBATION_REMINDER_MONTHS = 1
EXTENSION_MINIMUM_MONTHS = 6
EXTENSION_MAXIMUM_MONTHS = 12


@dataclass(frozen=True)
class Reminder:
    rule: str
    severity: Severity
    message: str
    due_date: date | None = None

    @property
    def citation(self) -> str:
        return RULES[self.rule].citation


class DevelopmentError(ValueError):
    """Facts that cannot be right whatever the dates; the message (Chinese) says how to fix them."""


# --- the facts about one person ---------------------------------------------------------


@dataclass(frozen=True)
class DevelopmentFacts:
    """What is recorded about one person in development; anything unknown is None.

    ``training_days`` and ``training_hours`` are the concentrated training
    attended as a 发展对象; either meeting its minimum is enough.
    ``extension_months`` is the one extension of probation the 细则 allows,
    so it is a single number, not a list.
    """

    birth_date: date | None = None
    application_date: date | None = None
    application_talk_date: date | None = None
    activist_date: date | None = None
    candidate_date: date | None = None
    training_days: Decimal | int | None = None
    training_hours: Decimal | int | None = None
    admission_date: date | None = None
    full_member_date: date | None = None
    extension_months: int | None = None

    def __post_init__(self) -> None:
        if self.extension_months is not None:
            _check_extension(self.extension_months)
        for label, amount in (("集中培训天数", self.training_days), ("集中培训学时", self.training_hours)):
            if amount is not None and (isinstance(amount, bool) or amount < 0):
                raise DevelopmentError(f"{label}不能为负数（收到 {amount}）。请填写实际参加的培训量，未参加请留空。")


def _check_extension(months: object) -> None:
    # 细则 第三十二条: probation may be extended once, by no less than half a year
    # and at most one year.
    if isinstance(months, bool) or not isinstance(months, int) or not (
        EXTENSION_MINIMUM_MONTHS <= months <= EXTENSION_MAXIMUM_MONTHS
    ):
        raise DevelopmentError(
            f"延长预备期应为 {EXTENSION_MINIMUM_MONTHS} 至 {EXTENSION_MAXIMUM_MONTHS} 个月的整月数（收到 {months!r}）。"
            "预备期只能延长一次，延长时间不能少于半年、最长不超过一年，请按支部大会决议填写。"
        )


# --- date arithmetic (months: zhibu/lib/dates.py) ------------------------------------------


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on ``day``: the birthday itself counts.

    Someone born on 29 February completes a year on 1 March in common years,
    never a day early.
    """
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def date_of_age(birth_date: date, years: int) -> date:
    """The first day on which ``age_on`` reaches ``years``."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:  # 29 February in a common year
        return date(birth_date.year + years, 3, 1)


def probation_end(admission_date: date, extension_months: int | None = None) -> date:
    """The day probation is complete: one year (plus any extension) from the branch meeting vote."""
    return add_months(admission_date, PROBATION_MONTHS + (extension_months or 0))


def _iso(day: date) -> str:
    return day.isoformat()


# --- the rules -----------------------------------------------------------------------------


def _check_minimum_age(facts: DevelopmentFacts) -> list[Reminder]:
    # 细则 第五条: only those who have reached eighteen may apply.
    if facts.birth_date is None or facts.application_date is None:
        return []
    age = age_on(facts.birth_date, facts.application_date)
    if age >= MINIMUM_AGE_YEARS:
        return []
    return [Reminder(
        MINIMUM_AGE, Severity.BROKEN,
        f"递交入党申请书时（{_iso(facts.application_date)}）未满十八岁（{age} 岁）。"
        "年满十八岁方可申请入党，请核对出生日期和申请日期；如无误，应待其年满十八岁后重新递交申请。",
        date_of_age(facts.birth_date, MINIMUM_AGE_YEARS),
    )]


def _check_application_talk(facts: DevelopmentFacts, today: date) -> list[Reminder]:
    # 细则 第七条: the organisation talks with the applicant within one month.
    if facts.application_date is None or facts.application_date < RULES_EFFECTIVE_FROM:
        return []
    deadline = add_months(facts.application_date, TALK_WITHIN_MONTHS)
    talk = facts.application_talk_date
    if talk is not None:
        if talk <= deadline:
            return []
        return [Reminder(
            APPLICATION_TALK, Severity.BROKEN,
            f"入党申请谈话（{_iso(talk)}）晚于收到申请书后一个月的期限（{_iso(deadline)}）。"
            "请在谈话记录中说明延误原因。",
            deadline,
        )]
    # A later stage already recorded means the talk happened and only its date
    # is missing from imported records; asking for it then is noise.
    if facts.activist_date is not None:
        return []
    if today > deadline:
        return [Reminder(
            APPLICATION_TALK, Severity.BROKEN,
            f"已超过收到入党申请书后一个月的谈话期限（{_iso(deadline)}），仍未登记谈话。"
            "请尽快派人同申请人谈话并登记谈话日期。",
            deadline,
        )]
    return [Reminder(
        APPLICATION_TALK, Severity.REMINDER,
        f"请在 {_iso(deadline)} 前派人同入党申请人谈话（收到申请书后一个月内）。",
        deadline,
    )]


def _check_activist_one_year(facts: DevelopmentFacts) -> list[Reminder]:
    # 细则 第十三条: at least one year of training and assessment as an activist.
    if facts.activist_date is None or facts.candidate_date is None:
        return []
    earliest = add_months(facts.activist_date, ACTIVIST_MINIMUM_MONTHS)
    if facts.candidate_date >= earliest:
        return []
    return [Reminder(
        ACTIVIST_ONE_YEAR, Severity.BROKEN,
        f"确定为发展对象（{_iso(facts.candidate_date)}）时，作为入党积极分子的培养考察期不满一年"
        f"（{_iso(facts.activist_date)} 起，最早可于 {_iso(earliest)} 列为发展对象）。请核对日期，如无误须按程序纠正。",
        earliest,
    )]


def _training_met(facts: DevelopmentFacts) -> bool:
    return (facts.training_days or 0) >= TRAINING_MINIMUM_DAYS or (facts.training_hours or 0) >= TRAINING_MINIMUM_HOURS


def _training_done_text(facts: DevelopmentFacts) -> str:
    if facts.training_days is None and facts.training_hours is None:
        return "未登记集中培训"
    parts = []
    if facts.training_days is not None:
        parts.append(f"{facts.training_days} 天")
    if facts.training_hours is not None:
        parts.append(f"{facts.training_hours} 学时")
    return "集中培训仅 " + "、".join(parts)


def _check_candidate_training(facts: DevelopmentFacts) -> list[Reminder]:
    # 细则 第三章: concentrated training of at least three days or 24 class hours
    # before the branch meeting admits a candidate.
    if _training_met(facts) or facts.full_member_date is not None:
        # Once full, a gap in old records is history rather than something to act on.
        return []
    requirement = f"不少于 {TRAINING_MINIMUM_DAYS} 天或 {TRAINING_MINIMUM_HOURS} 学时"
    if facts.admission_date is not None:
        return [Reminder(
            CANDIDATE_TRAINING, Severity.BROKEN,
            f"接收为预备党员（{_iso(facts.admission_date)}）前{_training_done_text(facts)}，未达到{requirement}的要求。"
            "请补录培训记录；确未参加的，应报上级党委研究处理。",
            facts.admission_date,
        )]
    if facts.candidate_date is not None:
        return [Reminder(
            CANDIDATE_TRAINING, Severity.REMINDER,
            f"发展对象{_training_done_text(facts)}。提交支部大会讨论前须完成{requirement}的集中培训。",
        )]
    return []


def _check_probation(facts: DevelopmentFacts, today: date) -> list[Reminder]:
    # 细则 第三十二条: probation is one year from the branch meeting vote; when it
    # ends the branch must discuss conversion promptly; one extension of 6–12 months.
    if facts.admission_date is None:
        return []
    due = probation_end(facts.admission_date, facts.extension_months)
    period = f"延长 {facts.extension_months} 个月后的预备期" if facts.extension_months else "一年预备期"
    if facts.full_member_date is not None:
        if facts.full_member_date >= due:
            return []
        return [Reminder(
            PROBATION_DUE, Severity.BROKEN,
            f"转正日期（{_iso(facts.full_member_date)}）早于{period}届满之日（{_iso(due)}）。"
            "预备期自支部大会通过之日起算，党龄自预备期满转正之日算起，请核对转正日期。",
            due,
        )]
    if today > due:
        return [Reminder(
            PROBATION_DUE, Severity.BROKEN,
            f"{period}已于 {_iso(due)} 届满，尚未作出转正、延长预备期或取消资格的决定。"
            "请尽快召开支部大会讨论并报上级党委审批。",
            due,
        )]
    if today >= add_months(due, -PROBATION_REMINDER_MONTHS):
        return [Reminder(
            PROBATION_DUE, Severity.REMINDER,
            f"{period}将于 {_iso(due)} 届满。请提醒本人提交转正申请，并准备召开支部大会讨论转正。",
            due,
        )]
    return []


def check_development(person: DevelopmentFacts, today: date) -> list[Reminder]:
    """Every rule broken or action due for ``person`` as of ``today``, in pipeline order."""
    return [
        *_check_minimum_age(person),
        *_check_application_talk(person, today),
        *_check_activist_one_year(person),
        *_check_candidate_training(person),
        *_check_probation(person, today),
    ]


# --- consistency of the recorded dates ----------------------------------------------------------

# Each stage starts no earlier than the one before it.
_STAGE_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("application_date", "递交入党申请书日期"),
    ("activist_date", "确定入党积极分子日期"),
    ("candidate_date", "确定发展对象日期"),
    ("admission_date", "入党日期（支部大会接收为预备党员）"),
    ("full_member_date", "转正日期"),
)

_DATE_LABELS: dict[str, str] = {
    "birth_date": "出生日期",
    "application_talk_date": "入党申请谈话日期",
    **dict(_STAGE_DATE_FIELDS),
}


def validate_stage_dates(facts: DevelopmentFacts, *, today: date | None = None) -> list[str]:
    """Chinese error messages for dates that cannot be right: out of order, or in the future.

    Stages missing a date are skipped; each recorded stage date is compared
    with the nearest earlier stage that has one.
    """
    today = today or date.today()
    errors: list[str] = []
    for field in fields(facts):
        value = getattr(facts, field.name)
        if isinstance(value, date) and value > today:
            errors.append(
                f"{_DATE_LABELS[field.name]}（{_iso(value)}）晚于今天（{_iso(today)}），不能登记将来的日期。请核对后更正。"
            )

    previous: tuple[str, date] | None = None
    for name, label in _STAGE_DATE_FIELDS:
        value = getattr(facts, name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            errors.append(
                f"{label}（{_iso(value)}）早于{previous[0]}（{_iso(previous[1])}）。"
                "各阶段日期应依次不早于前一阶段，请核对后更正。"
            )
        previous = (label, value)

    talk, application = facts.application_talk_date, facts.application_date
    if talk is not None and application is not None and talk < application:
        errors.append(
            f"入党申请谈话日期（{_iso(talk)}）早于递交入党申请书日期（{_iso(application)}）。"
            "谈话应在收到申请书之后进行，请核对后更正。"
        )
    if facts.extension_months is not None and facts.admission_date is None:
        errors.append("登记了延长预备期，但没有入党日期。延长预备期只适用于预备党员，请补录入党日期或清空延长月数。")
    return errors
