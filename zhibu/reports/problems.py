"""Drafting section 二 (存在的问题) from what the records show: compliance findings and open 问题清单 items."""

from __future__ import annotations

import re

from zhibu.compliance.facts import check
from zhibu.compliance.rules import VIOLATION
from zhibu.orgs import access
from zhibu.orgs.models import Organisation

CHINESE_ORDINALS = "一二三四五六七八九十"
_PROBLEMS_SECTION = re.compile(r"(^[ \t\u3000]*二、[^\n]*\n)(.*?)(?=^[ \t\u3000]*三、)", re.MULTILINE | re.DOTALL)


def draft_problems(actor, org: Organisation, year: int) -> list[str]:
    """One sentence per rule a branch broke (its periods listed); empty when the records show none. For an
    organisation the actor manages (404 otherwise)."""
    org = access.org_for(actor, org.pk)
    result = check(actor, org, year, only=lambda rule: rule.severity == VIOLATION)
    titles = {rule.key: rule.title for rule in result.rules}
    several = len(result.branches) > 1
    grouped: dict[tuple, list] = {}
    for finding in result.findings:
        if finding.severity == VIOLATION and finding.status == "missed":
            grouped.setdefault((finding.org, finding.rule, finding.group_id), []).append(finding)
    sentences = []
    for (org_name, rule, _), findings in grouped.items():
        who = org_name if several else ""
        if len(findings) == 1:
            sentences.append(who + findings[0].message)
        else:
            periods = "、".join(_short_period(f.period) for f in findings)
            sentences.append(f"{who}未落实“{titles.get(rule, rule)}”：{periods}共{len(findings)}期未达到要求")
    return sentences


def _short_period(label: str) -> str:
    if "-Q" in label:
        return f"第{label[-1]}季度"
    if "-" in label:
        return f"{int(label[5:7])}月"
    return f"{label}年"


def problems_paragraph(sentences: list[str]) -> str:
    parts = [f"{CHINESE_ORDINALS[i] if i < 10 else i + 1}是{sentence.rstrip('。')}。" for i, sentence in enumerate(sentences)]
    return "".join(parts)


def replace_problems_section(text: str, paragraph: str) -> str:
    """Put `paragraph` in place of the body of section 二 (up to 三、); text without that section is unchanged."""
    return _PROBLEMS_SECTION.sub(lambda match: match.group(1) + paragraph.strip() + "\n", text, count=1)
