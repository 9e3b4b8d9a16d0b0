"""Demo step: last year's and this year's three lists for the demo unit.

Last year: every working branch had problems from the 述职评议; all were
rectified, each with a written account, a Word 整改情况说明 and a link to the
meeting (from the records step) that checked it, except one in the first
branch, still in progress: it is carried into this year and overdue, so last
year's rate is below 100% and the report must state the figure.
This year: new problems and tasks, some past their deadline, a 责任清单, and
two items owned by the member login dy1.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile

from zhibu.lib.officialdoc import body, build_official_document, document_to_bytes
from zhibu.lists.evidence import attach_files, link_record
from zhibu.lists.models import ListItem, ListKind, Status
from zhibu.lists.workflow import change_status
from zhibu.orgs.models import Organisation, Person, Post
from zhibu.records.models import Activity

# (problem, measures, post of the person answering for it): the seed report's own problems and common ones.
PROBLEMS = (
    ("抓理论学习的力度不够，党员学习教育方式比较单一，学习成效不明显",
     "制定年度学习计划，每月开展一次集中学习，每季度组织一次学习交流", Post.PUBLICITY),
    ("党建引领作用发挥不够，党建工作局限于规定动作，与统计业务结合不紧",
     "结合统计业务开展“党建+统计”主题党日活动，每半年专题研究一次党建与业务融合", Post.SECRETARY),
    ("对新形势下基层党建工作研究不深，工作思路不够开阔",
     "赴先进单位学习交流，形成调研报告，修订支部年度工作计划", Post.SECRETARY),
    ("“三会一课”记录不够规范，部分会议记录要素不全",
     "统一会议记录格式，支委会每季度检查一次会议记录", Post.ORGANISATION),
    ("个别党员参加组织生活不经常，教育管理不够严格",
     "建立党员参加组织生活台账，对无故缺席的党员开展谈心谈话", Post.ORGANISATION),
    ("党费收缴不够及时，存在集中补交现象",
     "每月固定党费日收缴，提前一周提醒，每季度公示收缴情况", Post.ORGANISATION),
    ("意识形态工作分析研判不够深入，研判报告流于形式",
     "每季度召开意识形态分析研判会，形成有针对性的研判报告", Post.DISCIPLINE),
)
TASKS = (
    ("每季度召开支部党员大会，每月召开支委会", Post.ORGANISATION),
    ("每月开展一次主题党日活动", Post.PUBLICITY),
    ("书记全年至少讲一次党课", Post.SECRETARY),
    ("按时完成民主评议党员和组织生活会", Post.SECRETARY),
)
RESPONSIBILITIES = (
    ("履行党建工作第一责任人职责，全年专题研究党建工作不少于4次", Post.SECRETARY),
    ("落实党风廉政建设“一岗双责”，开展廉政谈话", Post.DISCIPLINE),
)
CHECKING_MEETINGS = ("支部委员会会议", "支部党员大会")
SOURCES_LAST_YEAR = ("上年度述职评议", "上年度述职评议", "巡察反馈", "组织生活会")


def _answering(branch: Organisation, post: str) -> Person:
    """The holder of `post`, or the secretary in a branch too small for a committee."""
    holder = Person.objects.filter(branch=branch, posts__post=post).order_by("id").first()
    return holder or Person.objects.filter(branch=branch, posts__post=Post.SECRETARY).order_by("id").first()


def _rectification_report(item: ListItem, note: str) -> ContentFile:
    document = build_official_document(
        f"{item.org.name}\n关于问题整改情况的说明",
        [body(f"问题：{item.content}。"), body(f"整改措施：{item.measures}。"), body(f"整改情况：{note}")],
    )
    return ContentFile(document_to_bytes(document), name="整改情况说明.docx")


def _checking_meeting(item: ListItem, completed_on: date) -> Activity | None:
    """The branch's last 支委会 (or 党员大会, where there is no committee) up to the day the item was closed."""
    return (
        item.linkable_records().held(completed_on).filter(type__key__in=CHECKING_MEETINGS, date__year=completed_on.year)
        .order_by("-date", "-pk").first()
    )


def _close(item: ListItem, completed_on: date, today: date) -> None:
    note = f"已按措施完成整改：{item.measures}。经支部检查，整改到位。"
    attach_files(item, [_rectification_report(item, note)], user=None)
    meeting = _checking_meeting(item, completed_on)
    if meeting:
        link_record(item, meeting, user=None)
    change_status(item, Status.IN_PROGRESS, today=today)
    change_status(item, Status.DONE, on=completed_on, note=note, today=today)


def _new_item(org, kind, year, content, owner, deadline, **fields) -> ListItem:
    return ListItem.objects.create(org=org, kind=kind, year=year, content=content, owner=owner, deadline=deadline, **fields)


def build_lists(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    from zhibu.demo.build import BRANCHES, demo_member  # the demo unit's plan; imported here, as build.py imports us

    last, this = today.year - 1, today.year
    working = [orgs[plan.name] for plan in BRANCHES if not plan.retired]
    number = 0
    for position, branch in enumerate(working):
        for index, (content, measures, post) in enumerate(rng.sample(PROBLEMS, k=3 if position == 0 else 2)):
            number += 1
            deadline = date(last, (6, 9, 11)[index], 30)
            item = _new_item(
                branch, ListKind.PROBLEM, last, content, _answering(branch, post), deadline,
                measures=measures, source=rng.choice(SOURCES_LAST_YEAR), ref=f"WT{last}-{number:02d}",
            )
            if position == 0 and index == 2:
                change_status(item, Status.IN_PROGRESS, today=today)  # the one left undone: carried and overdue
            else:
                _close(item, deadline - timedelta(days=rng.randrange(3, 60)), today)
        for content, post in rng.sample(TASKS, k=2):
            task = _new_item(branch, ListKind.TASK, last, content, _answering(branch, post), date(last, 12, 31),
                             source="年度工作计划", measures="按计划执行，支委会每季度检查")
            _close(task, date(last, 12, rng.randrange(10, 29)), today)

        # This year: problems from last year's 述职评议, one past its deadline per branch.
        year_start = date(this, 1, 1)
        for index, (content, measures, post) in enumerate(rng.sample(PROBLEMS, k=2)):
            if index == 0:
                deadline = max(year_start, today - timedelta(days=rng.randrange(10, 40)))
            else:
                deadline = today + timedelta(days=rng.randrange(20, 90))
            item = _new_item(branch, ListKind.PROBLEM, this, content, _answering(branch, post), deadline,
                             measures=measures, source="上年度述职评议")
            change_status(item, Status.IN_PROGRESS, today=today)
        for content, post in RESPONSIBILITIES:
            _new_item(branch, ListKind.RESPONSIBILITY, this, content, _answering(branch, post), date(this, 12, 31),
                      source="党建工作责任制", status=Status.IN_PROGRESS)

    member, first = demo_member(orgs), working[0]
    _new_item(first, ListKind.TASK, this, "整理本党小组党员学习笔记，报送支部", member, today + timedelta(days=14),
              source="组织生活会", measures="每人提交一篇学习心得")
    _new_item(first, ListKind.TASK, this, "收集党员志愿服务照片和记录，建立台账", member, max(date(this, 1, 1), today - timedelta(days=5)),
              source="主题党日", measures="按月归档")
