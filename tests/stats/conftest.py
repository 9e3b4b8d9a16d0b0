"""A small unit whose 2025 holds one of every change the 党内统计 tables count.

统计测试党委 with 甲支部 and 乙支部 (and a 党小组 under 甲):
- 甲: 甲一 stays; 甲二 dies 2025-03-10; 甲三 moves to 乙 (内部转接) 2025-05-01; 甲四 transfers out 2025-06-01;
  甲五 is admitted 2025-04-01 (发展党员: woman, 汉族, 大学本科, born 1998, 预备党员).
- 乙: 乙一 stays (woman, 回族, 硕士研究生, born 1970); 乙二 suspended 2024-02-01, restored 2025-07-01;
  乙三 transfers in 2025-08-01 (整建制); 乙四 leaves the Party (出党, 自行脱党) 2025-09-01.
"""

from datetime import date
from types import SimpleNamespace

import pytest


def build_unit():
    from zhibu.orgs.membership import Change, record_event
    from zhibu.orgs.models import Category, EventKind, Organisation, OrgKind, Person, PersonPost, Post

    tree = Organisation.objects
    committee = tree.create_root(name="统计测试党委", kind=OrgKind.PARTY_COMMITTEE, elected_on=date(2020, 6, 1))
    a = tree.create_child(committee, name="统计甲支部", kind=OrgKind.BRANCH, elected_on=date(2022, 5, 1))
    b = tree.create_child(committee, name="统计乙支部", kind=OrgKind.BRANCH)
    group = tree.create_child(a, name="统计甲一小组", kind=OrgKind.GROUP)
    a, b, committee = (Organisation.objects.get(pk=o.pk) for o in (a, b, committee))

    def person(branch, name, admitted=date(2010, 7, 1), **extra):
        values = {"category": Category.FULL, "admitted_on": admitted, "full_on": admitted.replace(year=admitted.year + 1)}
        values.update(extra)
        return Person.objects.create(branch=branch, name=name, **values)

    p = SimpleNamespace(
        a1=person(a, "甲一", birth_date=date(1980, 1, 1), education="大学本科", job="公务员", group=group),
        a2=person(a, "甲二", admitted=date(2012, 7, 1)),
        a3=person(a, "甲三"),
        a4=person(a, "甲四"),
        a5=person(a, "甲五", admitted=date(2025, 4, 1), full_on=None, category=Category.PROBATIONARY, gender="女",
                  ethnicity="汉族", education="大学本科", birth_date=date(1998, 5, 1)),
        b1=person(b, "乙一", admitted=date(2000, 7, 1), gender="女", ethnicity="回族", education="硕士研究生",
                  birth_date=date(1970, 3, 1)),
        b2=person(b, "乙二", admitted=date(2005, 7, 1)),
        b3=person(b, "乙三", admitted=date(2015, 7, 1)),
        b4=person(b, "乙四"),
    )
    PersonPost.objects.create(person=p.a1, post=Post.SECRETARY)
    PersonPost.objects.create(person=p.a3, post=Post.ORGANISATION)  # gives 乙 a committee member after the move
    record_event(p.b2, Change(EventKind.SUSPENDED, date(2024, 2, 1)))
    record_event(p.a2, Change(EventKind.DIED, date(2025, 3, 10)))
    record_event(p.a3, Change(EventKind.INTERNAL, date(2025, 5, 1), target=b))
    record_event(p.a4, Change(EventKind.TRANSFER_OUT, date(2025, 6, 1), other_party="外市某局机关党委"))
    record_event(p.b2, Change(EventKind.RESTORED, date(2025, 7, 1), target=b))
    record_event(p.b3, Change(EventKind.TRANSFER_IN, date(2025, 8, 1), target=b, other_party="某公司党委",
                              reason="单位划转，整建制转入"))
    record_event(p.b4, Change(EventKind.EXPELLED, date(2025, 9, 1), exit_form="自行脱党"))
    return SimpleNamespace(committee=committee, a=a, b=b, group=group, people=p)


@pytest.fixture
def unit(db):
    return build_unit()
