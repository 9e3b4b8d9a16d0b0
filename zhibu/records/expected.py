"""Who is due (应到) at a record of each activity type, as data.

The 支部工作条例 counts attendance against different circles: a 党员大会 against
every member of the branch, a 支委会 against the branch committee, a 党小组会
against the group. Types that are not a meeting of a whole circle (a talk
between two people, volunteers who turned up) are due only for those on the
list the record itself gives (按名单).

Pure data, read by the model, the data migration that loads the catalogue, the
attendance figures and the compliance engine's participation rules.
"""

from enum import StrEnum

from zhibu.records.catalogue import type_key

# What a record notes for each person on its list (出席情况); records.models.Status offers these.
PRESENT, LEAVE, ABSENT = "出席", "请假", "缺席"


class Expected(StrEnum):
    MEMBERS = "全体党员"  # every member of the organisation the record belongs to (group, branch or subtree)
    COMMITTEE = "支部委员"  # the branch committee: 书记, 副书记 and 委员
    LISTED = "按名单"  # those on the record's own list


# Canonical type name → circle; a type that takes attendance and is not listed here is Expected.LISTED.
EXPECTED_BY_TYPE: dict[str, Expected] = {
    type_key("支部党员大会"): Expected.MEMBERS,
    type_key("支部委员会会议"): Expected.COMMITTEE,
    type_key("党小组会"): Expected.MEMBERS,
    type_key("党课"): Expected.MEMBERS,
    type_key("主题党日"): Expected.MEMBERS,
    type_key("组织生活会"): Expected.MEMBERS,
    type_key("民主评议党员"): Expected.MEMBERS,
}

# The meetings a whole circle is due at: the organisational life (组织生活) the participation rules judge a
# member's attendance by (a record 按名单 expects only those it lists, so it says nothing about taking part).
CIRCLE_MEETING_TYPES = frozenset(EXPECTED_BY_TYPE)


def expected_for(type_name: str) -> Expected:
    return EXPECTED_BY_TYPE.get(type_name, Expected.LISTED)
