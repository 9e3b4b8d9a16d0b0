"""组织关系介绍信 (.docx, 一式三联: 存根, 介绍信, 回执) for a 转出, written with the one official-document writer."""

from __future__ import annotations

from zhibu.lib.downloads import DOCX_MIME
from zhibu.lib.officialdoc import body, build_official_document, document_to_bytes, heading1
from zhibu.orgs.models import MembershipEvent, Organisation

CUT_LINE = "┈┈┈┈┈┈┈ 沿此线剪开 ┈┈┈┈┈┈┈"


def _sender(event: MembershipEvent) -> Organisation:
    return event.org.branch() or event.org


def letter_lines(event: MembershipEvent) -> dict[str, list[str]]:
    """The text of each 联, in order; shared by the document and its tests."""
    person, sender = event.person, _sender(event)
    number = event.letter_number or "【待填】"
    category = person.category
    gender = person.gender or "—"
    age = person.age(event.on)
    age_text = f"{age}岁" if age is not None else "—"
    id_text = person.id_number or "—"
    dues = _month_words(event.dues_paid_to) if event.dues_paid_to else "【待填】"
    valid = f"{event.letter_valid_until:%Y年%m月%d日}" if event.letter_valid_until else "【待填】"
    stub = [
        f"第 {number} 号",
        f"{person.name}同志（{gender}，{age_text}，{category}，身份证号码{id_text}）的党员组织关系由{sender.name}"
        f"转到{event.other_party}。",
        f"党费已交到{dues}。",
        f"有效期至{valid}。",
        f"开具日期：{event.on:%Y年%m月%d日}",
    ]
    letter = [
        f"第 {number} 号",
        f"{event.other_party}：",
        f"兹介绍{person.name}同志（{gender}，{age_text}，{category}，身份证号码{id_text}）的党员组织关系"
        f"由{sender.name}转去你处，请接洽。该同志党费已交到{dues}。",
        f"（有效期至{valid}）",
        f"{sender.name}（盖章）",
        f"{event.on:%Y年%m月%d日}",
    ]
    receipt = [
        f"第 {number} 号",
        f"{sender.name}：",
        f"{person.name}同志的党员组织关系已转达我处，特此回复。",
        "接收党组织（盖章）：",
        "接收日期：　　年　　月　　日",
    ]
    return {"存根": stub, "介绍信": letter, "回执": receipt}


def _month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def letter_docx(event: MembershipEvent) -> tuple[str, str, bytes]:
    """(filename, mimetype, bytes) of the letter."""
    blocks = []
    for index, (part, lines) in enumerate(letter_lines(event).items()):
        if index:
            blocks.append(body(CUT_LINE))
        blocks.append(heading1(f"（{part}）"))
        blocks.extend(body(line) for line in lines)
    document = build_official_document("中国共产党党员组织关系介绍信", blocks)
    filename = f"组织关系介绍信-{event.person.name}-{event.letter_number or event.pk}.docx"
    return filename, DOCX_MIME, document_to_bytes(document)
