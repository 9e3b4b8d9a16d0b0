"""The two documents of a 换届选举 to the committee above: the 请示 and the 选举结果报告 (.docx, GB/T 9704 layout
through zhibu.lib.officialdoc). Every figure comes from the election's records; what is not known yet is 【待填】."""

from __future__ import annotations

from datetime import date

from docx.shared import Mm

from zhibu.ballots import services as ballots
from zhibu.elections.models import Election
from zhibu.elections.rules import minimum_candidates, needed_to_win
from zhibu.lib.strokes import sort_by_strokes
from zhibu.lib.officialdoc import PLACEHOLDER, add_table, body, build_official_document, document_to_bytes, heading1
from zhibu.orgs.models import Organisation


def _long(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else PLACEHOLDER


def _parent_name(branch: Organisation) -> str:
    return branch.parent_name or PLACEHOLDER


def request_docx(election: Election, today: date | None = None) -> bytes:
    branch = election.branch
    body_name = "支部委员会" if election.elects_committee else "书记"
    term_end = branch.term_ends_on()
    candidates = "、".join(c.name for c in sort_by_strokes(election.candidates.all(), name=lambda c: c.name)) or PLACEHOLDER
    document = build_official_document(f"关于{branch.name}{'委员会' if election.elects_committee else ''}换届选举的请示", [
        body(f"{_parent_name(branch)}："),
        body(f"{branch.name}{'现任委员会' if election.elects_committee else '现任书记'}于{_long(branch.elected_on)}选举产生，"
             f"任期{branch.term_years}年，" + (f"将于{_long(term_end)}届满。" if term_end else f"任期届满日期{PLACEHOLDER}。")
             + "根据《中国共产党基层组织选举工作条例》，经支部委员会研究，拟召开党员大会进行换届选举。现将有关事项请示如下："),
        heading1("一、选举方式和名额"),
        body(f"由党员大会以无记名投票方式差额选举产生新一届{body_name}，应选{election.seats}名；"
             f"候选人预备人选{election.candidates.count()}名（差额不少于{election.margin_percent}%，"
             f"即不少于{minimum_candidates(election.seats, election.margin_percent)}名）。"
             + ("委员会第一次全体会议选举产生书记、副书记。" if election.elects_committee else "")),
        heading1("二、候选人预备人选"),
        body(f"{candidates}（按姓氏笔画为序）。"),
        heading1("三、有选举权的党员"),
        body(f"本支部现有正式党员{_voters(election)}名，预备党员和受留党察看处分的党员不参加选举。"),
        body("妥否，请批示。"),
        body(f"{branch.name}　　{_long(today or date.today())}"),
    ])
    return document_to_bytes(document)


def _voters(election: Election) -> int:
    from zhibu.elections.services import voters_now

    return election.expected if election.expected is not None else voters_now(election.branch).count()


def report_docx(election: Election, today: date | None = None) -> bytes:
    branch = election.branch
    blocks = [
        body(f"{_parent_name(branch)}："),
        body(f"{branch.name}于{_long(election.meeting_on)}召开党员大会，进行换届选举。应到会有选举权的党员"
             f"{election.expected if election.expected is not None else PLACEHOLDER}名，实到"
             f"{election.attended if election.attended is not None else PLACEHOLDER}名，符合规定人数。"
             f"候选人获得的赞成票超过应到会有选举权的党员人数的一半（即不少于"
             f"{needed_to_win(election.expected) if election.expected else PLACEHOLDER}票）始得当选。"),
    ]
    rows = []
    for round_ in election.rounds.all():
        shown = ballots.results_visible(round_.poll)
        for entry in round_.entries.select_related("candidate"):
            votes = entry.votes if entry.votes is not None else PLACEHOLDER
            if not round_.poll.is_closed:
                votes, shown = "未计票", True
            rows.append([f"第{round_.number}轮", entry.candidate.name, str(votes) if shown else "不公开",
                         "当选" if entry.candidate.elected_in == round_.number else ""])
    elected = [c for c in election.candidates.filter(elected_in__isnull=False)]
    blocks.append(heading1("一、选举结果"))
    blocks.append(body("当选：" + ("、".join(c.name for c in elected) or PLACEHOLDER) + "。各候选人得票情况见附表。"))
    if election.elects_committee:
        blocks.append(heading1("二、委员会分工"))
        blocks.append(body(f"新一届支部委员会第一次全体会议选举{election.secretary.name if election.secretary else PLACEHOLDER}为书记"
                           + (f"、{election.deputy.name}为副书记" if election.deputy else "") + "。"
                           + "".join(f"{c.name}任{c.post}；" for c in elected if c.post and c.pk not in (election.secretary_id, election.deputy_id))))
    blocks.append(body("以上选举结果，请审批。"))
    blocks.append(body(f"{branch.name}　　{_long(today or date.today())}"))
    blocks.append(body("附：各候选人得票情况"))
    document = build_official_document(f"关于{branch.name}换届选举结果的报告", blocks)
    add_table(document, ["轮次", "候选人", "得票", "结果"], rows or [[PLACEHOLDER] * 4], widths=[Mm(w) for w in (25, 45, 35, 35)])
    return document_to_bytes(document)
