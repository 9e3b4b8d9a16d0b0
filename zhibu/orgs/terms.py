"""The organisation's words that the pure cores (the compliance engine, the development rules) share with the
models: member categories, party posts, the branch committee, the end of a term of office.

No Django, no database: orgs/models.py builds its choices from these, and the cores import them, so each word
and the term rule are written once.
"""

from __future__ import annotations

from datetime import date

from zhibu.lib.dates import add_months

# Member categories (人员类别), in the order a person passes them.
APPLICANT = "入党申请人"
ACTIVIST = "入党积极分子"
CANDIDATE = "发展对象"
PROBATIONARY_MEMBER = "预备党员"
FULL_MEMBER = "正式党员"

# Party posts (党内职务).
SECRETARY = "书记"
DEPUTY_SECRETARY = "副书记"
ORGANISATION_MEMBER = "组织委员"
PUBLICITY_MEMBER = "宣传委员"
DISCIPLINE_MEMBER = "纪检委员"
GROUP_LEADER = "党小组组长"

# The posts of the branch committee (支部委员会): 书记, 副书记 and the 委员.
COMMITTEE_POSTS = frozenset({SECRETARY, DEPUTY_SECRETARY, ORGANISATION_MEMBER, PUBLICITY_MEMBER, DISCIPLINE_MEMBER})


def term_ends_on(elected_on: date | None, term_years: int) -> date | None:
    """When a committee elected on `elected_on` for `term_years` years is due for re-election (None: never
    elected)."""
    return add_months(elected_on, 12 * term_years) if elected_on else None
