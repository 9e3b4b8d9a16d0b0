"""The rules of 民主评议党员, as data with their sources. The shares and targets are practice, not law:
each appraisal carries its own values (defaults below), and pages print the rule beside the figure."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

REGULATION = "《中国共产党党员教育管理工作条例》（2019）"


@dataclass(frozen=True)
class Rule:
    key: str
    text: str
    source: str


GRADES = ("优秀", "合格", "基本合格", "不合格")
NOT_GRADED = "不评定"
DISPOSALS = ("限期改正", "劝其退党", "除名")
STEPS = ("学习教育", "自我评价", "民主测评", "组织评定")

DEFAULT_EXCELLENT_SHARE = Fraction(1, 3)
DEFAULT_PARTICIPATION_TARGET = 95  # percent

RULES = (
    Rule("steps", "民主评议党员一般每年开展一次，按学习教育、自我评价、民主测评、组织评定的步骤进行", f"{REGULATION}第十八条"),
    Rule("grades", "评定等次为优秀、合格、基本合格、不合格", f"{REGULATION}第十八条"),
    Rule("excellent_share", "评为优秀的一般不超过参加评定党员的1/3（通行做法，本次评议可调整）", "各地民主评议党员实施办法的通行做法"),
    Rule("probationary", "预备党员参加评议，不确定等次（通行做法）", "各地民主评议党员实施办法的通行做法"),
    Rule("participation", "参评率一般不低于95%（通行做法，本次评议可调整）", "各地民主评议党员实施办法的通行做法"),
    Rule("unqualified", "评为不合格的，视情况限期改正（一般不超过一年）、劝其退党或除名，并确定跟踪回访日期", f"{REGULATION}第十八条、第三十六条"),
    Rule("mobile", "流动党员可以在流入地党组织参加民主评议", f"{REGULATION}第三十二条"),
)


def excellent_limit(graded: int, share: Fraction) -> int:
    """The most members that may be graded 优秀: the share of those graded, rounded down."""
    return int(graded * share)
