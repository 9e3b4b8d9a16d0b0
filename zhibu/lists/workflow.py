"""Moving an item through 未开始 → 进行中 → 已完成, and back when a closed item turns out not to be done.

The rules, each answered in Chinese when broken:
- 未开始 → 进行中, or straight to 已完成 (a small item may be fixed at once);
- 进行中 → 已完成;
- 已完成 → 进行中 only ("重新打开"), with a written reason: a problem that comes back
  is reopened, not silently re-raised, so the record shows that the first close was premature;
- nothing goes back to 未开始 once work has started.
Closing needs a completion date (not in the future, not before the item's year),
a written 整改情况 (what was done; the ledger's column), and at least one piece
of evidence, a file or a linked work record, because a sentence alone is the claim
zhibu exists to back up.

Every change is saved with a reason in the item's history (django-simple-history),
together with who made it, which is what makes the workflow auditable.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from zhibu.lists.models import ListItem, Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NOT_STARTED: (Status.IN_PROGRESS, Status.DONE),
    Status.IN_PROGRESS: (Status.DONE,),
    Status.DONE: (Status.IN_PROGRESS,),
}
# django-simple-history keeps the reason in a 100-character column; the prefix "重新打开：" takes 5.
MAX_REASON_LENGTH = 90


def allowed_transitions(item: ListItem) -> tuple[str, ...]:
    return TRANSITIONS[item.status]


def _transition_problem(current: str, to: str) -> str | None:
    if to not in Status.values:
        return f"“{to}”不是有效的状态，可选：" + "、".join(Status.values)
    if to == current:
        return f"该事项已经是“{to}”"
    if to in TRANSITIONS[current]:
        return None
    if to == Status.NOT_STARTED:
        return "已开始整改或已完成的事项不能退回“未开始”；已完成的事项可以重新打开为“进行中”"
    return f"不能从“{current}”改为“{to}”"


def _closing_problems(item: ListItem, on: date | None, note: str, today: date) -> dict[str, str]:
    problems = {}
    if on is None:
        problems["completed_on"] = "请填写完成日期"
    elif on > today:
        problems["completed_on"] = f"完成日期 {on:%Y-%m-%d} 晚于今天，请填写实际完成的日期"
    elif on < date(item.year, 1, 1):
        problems["completed_on"] = f"完成日期 {on:%Y-%m-%d} 早于事项所在的{item.year}年度，请核对"
    if not note.strip():
        problems["completion_note"] = "请写明整改情况：做了什么、结果如何"
    if not item.has_evidence():
        problems[NON_FIELD_ERRORS] = "关闭事项须至少有一份佐证材料：上传照片、PDF 或 Word 文档，或关联一条工作记录"
    return problems


@transaction.atomic
def change_status(
    item: ListItem,
    to: str,
    *,
    on: date | None = None,
    note: str = "",
    reason: str = "",
    today: date | None = None,
) -> ListItem:
    """Move `item` to status `to`, or raise ValidationError (keyed by form field) saying what is missing.

    `on` and `note` are the completion date and 整改情况 when closing; `reason` explains a reopening.
    """
    today = today or date.today()
    item = ListItem.objects.select_for_update().get(pk=item.pk)
    problem = _transition_problem(item.status, to)
    if problem:
        raise ValidationError({NON_FIELD_ERRORS: problem})
    if to == Status.DONE:
        problems = _closing_problems(item, on, note, today)
        if problems:
            raise ValidationError(problems)
        item.completed_on, item.completion_note = on, note.strip()
        item._change_reason = "完成整改"
    elif item.status == Status.DONE:
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": "重新打开须写明原因，例如 复查发现问题反弹"})
        if len(reason) > MAX_REASON_LENGTH:
            raise ValidationError({"reason": f"原因请控制在{MAX_REASON_LENGTH}字以内"})
        item.completed_on = None
        item._change_reason = f"重新打开：{reason}"
    else:
        item._change_reason = "开始整改"
    item.status = to
    item.save()
    return item


def status_history(item: ListItem) -> list[dict]:
    """The item's status changes, oldest first: when, who, from, to, and the reason given."""
    entries, previous = [], None
    for record in item.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None or record.status != previous:
            entries.append({
                "when": record.history_date,
                "who": record.history_user,
                "from": previous,
                "to": record.status,
                "completed_on": record.completed_on,
                "reason": record.history_change_reason or ("登记" if previous is None else ""),
            })
        previous = record.status
    return entries
