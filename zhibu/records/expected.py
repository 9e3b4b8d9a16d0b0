"""Who is due (应到) at a record of each activity type, as data.

The 支部工作条例 counts attendance against different circles: a 党员大会 against
every member of the branch, a 支委会 against the branch committee, a 党小组会
against the group. Types that are not a meeting of a whole circle (a talk
between two people, volunteers who turned up) are due only for those on the
list the record itself gives (按名单).

Pure data, read by the model, the data migration that loads the catalogue, and
the attendance figures.
"""

from enum import StrEnum


class Expected(StrEnum):
    MEMBERS = "全体党员"  # every member of the organisation the record belongs to (group, branch or subtree)
    COMMITTEE = "支部委员"  # the branch committee: 书记, 副书记 and 委员
    LISTED = "按名单"  # those on the record's own list


# Canonical type name → circle; a type that takes attendance and is not listed here is Expected.LISTED.
EXPECTED_BY_TYPE: dict[str, Expected] = {
    "支部党员大会": Expected.MEMBERS,
    "支部委员会会议": Expected.COMMITTEE,
    "党小组会": Expected.MEMBERS,
    "党课": Expected.MEMBERS,
    "主题党日": Expected.MEMBERS,
    "组织生活会": Expected.MEMBERS,
    "民主评议党员": Expected.MEMBERS,
}


def expected_for(type_name: str) -> Expected:
    return EXPECTED_BY_TYPE.get(type_name, Expected.LISTED)
