"""Readable lines from django-simple-history: who changed what, when, and each field's value before and after.

Every model whose changes decide who may do what or how figures are computed keeps a HistoricalRecords; its page
shows ``change_lines(thing.history.all())`` with the template include "_history.html".
"""

from dataclasses import dataclass
from datetime import datetime

from zhibu.lib.personal import PERSONAL_FIELDS, mask

KINDS = {"+": "新建", "-": "删除", "~": "修改"}
SYSTEM = "系统（导入或命令行）"


@dataclass(frozen=True)
class ChangeLine:
    when: datetime
    who: str
    kind: str
    subject: str
    text: str


def who(entry) -> str:
    """The person behind the login (王婷); the login name only when no person is linked to it."""
    user = entry.history_user if entry.history_user_id else None
    if user is None:
        return SYSTEM
    person = getattr(user, "person", None)  # the login's Person, if any (a missing one raises AttributeError)
    return person.name if person else (user.get_full_name() or user.username)


def _shown(entry, field_name: str) -> str:
    field = entry.instance_type._meta.get_field(field_name)
    value = getattr(entry, field.attname, None)
    if field_name in PERSONAL_FIELDS and value:
        return mask(field_name, value)  # history is read by more eyes than the person's page
    if getattr(field, "choices", None):
        value = dict(field.flatchoices).get(value, value)
    elif field.is_relation:
        related = getattr(entry, field.name, None) if value is not None else None
        value = str(related) if related is not None else value
    if value in (None, ""):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def describe(entry) -> str:
    """What this history entry did, in Chinese: created, deleted, or each changed field as before → after."""
    if entry.history_type != "~":
        return KINDS[entry.history_type]
    previous = entry.prev_record
    if previous is None:
        return "修改"
    changes = []
    order = {field.name: index for index, field in enumerate(entry.instance_type._meta.fields)}
    for change in sorted(entry.diff_against(previous).changes, key=lambda change: order.get(change.field, len(order))):
        field = entry.instance_type._meta.get_field(change.field)
        label = str(field.verbose_name)
        changes.append(f"{label}：{_shown(previous, change.field)} → {_shown(entry, change.field)}")
    return "；".join(changes) if changes else "保存（无变化）"


def change_lines(*histories, subject=str, limit: int = 50) -> list[ChangeLine]:
    """History entries of one or more querysets, newest first. ``subject`` names the thing each entry is about."""
    lines = []
    for history in histories:
        for entry in history.select_related("history_user").order_by("-history_date")[:limit]:
            lines.append(ChangeLine(entry.history_date, who(entry), KINDS[entry.history_type], subject(entry), describe(entry)))
    return sorted(lines, key=lambda line: line.when, reverse=True)[:limit]
