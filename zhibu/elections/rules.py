"""The rules of a branch's 换届选举, as data with their sources (shares and the quorum are configurable per
election: the texts differ and local practice varies)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

REGULATION = "《中国共产党基层组织选举工作条例》（2020）"


@dataclass(frozen=True)
class Rule:
    key: str
    text: str
    source: str


DEFAULT_MARGIN_PERCENT = 20
DEFAULT_QUORUM = Fraction(4, 5)

RULES = (
    Rule("on_time", "任期届满按期换届；延期或提前换届须经上级党组织批准，一般不超过一年", f"{REGULATION}第三条"),
    Rule("voters", "有选举权的是正式党员；预备党员和受留党察看处分的党员没有表决权、选举权和被选举权", f"{REGULATION}第五条"),
    Rule("margin", "委员候选人实行差额选举，候选人数多于应选人数（通行做法：差额不少于20%，本次选举可调整）", REGULATION),
    Rule("quorum", "有选举权的到会人数达到应到会人数的规定比例方可进行选举（旧《暂行条例》为4/5，本次选举可调整）", REGULATION),
    Rule("elected", "被选举人获得的赞成票超过应到会有选举权的党员人数的一半，始得当选", REGULATION),
    Rule("second_round", "得票超过半数的被选举人多于应选名额时，以得票多少为序至取足名额；票数相等不能确定当选人时，"
         "就票数相等的被选举人再次投票，得票多的当选；当选人少于应选名额时，对不足的名额另行选举", REGULATION),
    Rule("officers", "委员会第一次全体会议选举书记、副书记；不设委员会的支部由党员大会选举书记", REGULATION),
    Rule("report", "选举结果报上级党组织批准", REGULATION),
)


def minimum_candidates(seats: int, margin_percent: int) -> int:
    """More candidates than seats by at least the share, and at least one more in any case."""
    return max(seats + 1, seats + math.ceil(seats * margin_percent / 100))


def has_quorum(attended: int, expected: int, quorum: Fraction) -> bool:
    return expected > 0 and attended * quorum.denominator >= expected * quorum.numerator


def needed_to_win(expected: int) -> int:
    """Fewest votes that are more than half of those who should attend (应到)."""
    return expected // 2 + 1
