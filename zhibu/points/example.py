"""The example scheme loaded as the default: local practice, not a national rule (see domain.md).

Example A (base 60; +1 for each 三会一课, 组织生活会 or 民主评议 attended, +1 per training; floor 0)
with Example B's deduction of 2 points for each 三会一课, 组织生活会 or 主题党日 missed without leave.
A leave costs nothing. 理论学习 stands for "training" (集中学习 is its alias). No cap.

No database here: the data migration and the live-server tests load it with `load_example`.
"""

from __future__ import annotations

from decimal import Decimal

EXAMPLE_NAME = "党员积分示例方案"
EXAMPLE_NOTE = (
    "示例，取自常见的地方做法（不是全国统一规定），请按本单位的积分管理办法修改。"
    "基础分60分；参加三会一课、组织生活会、民主评议党员每次加1分，参加理论学习每次加1分；"
    "无故缺席三会一课、组织生活会、主题党日每次扣2分；请假不扣分；最低0分。"
)
EXAMPLE_BASE = Decimal("60")
EXAMPLE_FLOOR = Decimal("0")

ONE, NONE, MISSED = Decimal("1"), Decimal("0"), Decimal("-2")

# Canonical activity type name → (出席, 请假, 缺席).
EXAMPLE_RULES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "支部党员大会": (ONE, NONE, MISSED),
    "支部委员会会议": (ONE, NONE, MISSED),
    "党小组会": (ONE, NONE, MISSED),
    "党课": (ONE, NONE, MISSED),
    "组织生活会": (ONE, NONE, MISSED),
    "民主评议党员": (ONE, NONE, NONE),
    "主题党日": (NONE, NONE, MISSED),
    "理论学习": (ONE, NONE, NONE),
}


def load_example(scheme_model, rule_model, activity_type_model) -> bool:
    """Create the example as the default scheme unless a default exists; True when created.

    Takes the model classes so the data migration can pass its historical models.
    """
    if scheme_model.objects.filter(org__isnull=True).exists():
        return False
    scheme = scheme_model.objects.create(
        name=EXAMPLE_NAME, is_example=True, base=EXAMPLE_BASE, floor=EXAMPLE_FLOOR, cap=None, note=EXAMPLE_NOTE)
    # Types are found by key; a database migrated before types had keys still has the canonical names.
    by = "key" if any(f.name == "key" for f in activity_type_model._meta.get_fields()) else "name"
    types = {getattr(t, by): t for t in activity_type_model.objects.filter(**{f"{by}__in": EXAMPLE_RULES})}
    for name, (present, leave, absent) in EXAMPLE_RULES.items():
        if name in types:
            rule_model.objects.create(scheme=scheme, activity_type=types[name], present=present, leave=leave, absent=absent)
    return True
