"""The facts about a person the 党内统计 tables and the national roster need: code lists and their reading.

民族 (the 56 names), 学历, 学位 are fixed lists; 工作岗位 and 新社会阶层类型 are editable code lists
(`CodeItem` rows, seeded with the usual entries). Every reader — the forms, sheet 党员 and the national
roster — goes through `read_choice`, which accepts the usual short forms (汉 → 汉族, 本科 → 大学本科) and
otherwise says which entry is nearest.
"""

from __future__ import annotations

from difflib import get_close_matches

from zhibu.lib.textinput import normalise

ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 "
    "佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 "
    "阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 "
    "珞巴族 基诺族"
).split()
MAJORITY = "汉族"

# 学历 as kept: 研究生 split into 博士/硕士 where the source says which.
EDUCATION = ("博士研究生", "硕士研究生", "研究生", "大学本科", "大学专科", "中专", "高中", "中技", "初中及以下")
EDUCATION_ALIASES = {
    "博士": "博士研究生", "硕士": "硕士研究生", "研究生（博士）": "博士研究生", "研究生（硕士）": "硕士研究生",
    "本科": "大学本科", "大学": "大学本科", "大专": "大学专科", "专科": "大学专科", "高职": "大学专科",
    "中等专科": "中专", "中职": "中专", "高中及中技": "高中", "技校": "中技", "初中": "初中及以下", "小学": "初中及以下",
    "小学及以下": "初中及以下",
}
DEGREES = ("博士", "硕士", "学士")
DEGREE_ALIASES = {"博士学位": "博士", "硕士学位": "硕士", "学士学位": "学士", "无": ""}
YES_NO = {"是": True, "否": False}

# The editable code lists and their first entries (CodeItem.kind → label, default entries).
JOB = "job"
STRATUM = "stratum"
CODE_LISTS = {
    JOB: ("工作岗位", (
        "公务员", "参照公务员法管理人员", "事业单位管理人员", "专业技术人员", "企业管理人员", "工人", "农牧渔民", "学生",
        "解放军武警", "离退休人员", "其他职业人员", "无固定职业人员",
    )),
    STRATUM: ("新社会阶层类型", (
        "民营企业和外资企业管理技术人员", "中介组织和社会组织从业人员", "自由职业人员", "新媒体从业人员",
    )),
}


def ethnic_alias(value: str) -> str:
    """汉 → 汉族, 维吾尔 → 维吾尔族: the name without 族 is read as the name."""
    if value and value not in ETHNIC_GROUPS and value + "族" in ETHNIC_GROUPS:
        return value + "族"
    return value


def read_choice(value, allowed, aliases: dict[str, str] | None = None) -> tuple[str, str | None]:
    """(the entry, None) or (the text, the Chinese problem naming the nearest entry)."""
    text = normalise(value)
    if not text:
        return "", None
    text = (aliases or {}).get(text, text)
    allowed = list(allowed)
    if text in allowed:
        return text, None
    near = get_close_matches(text, allowed, n=1, cutoff=0.3)
    hint = f"是否应为“{near[0]}”？" if near else ""
    return text, f"“{text}”不在代码表中。{hint}可填：{'、'.join(allowed)}"


def codes(kind: str) -> list[str]:
    from zhibu.orgs.models import CodeItem

    return list(CodeItem.objects.filter(kind=kind).order_by("position", "pk").values_list("name", flat=True))


def read_profile(value_of, *, job_codes: list[str], stratum_codes: list[str]):
    """Read the profile columns through `value_of(label) -> raw value`; returns (values, problems by label).

    values maps Person field names to what they hold; problems maps a column label to its message."""
    values, problems = {}, {}

    def pick(label, field, allowed, aliases=None):
        text, problem = read_choice(value_of(label), allowed, aliases)
        if problem:
            problems[label] = problem
        values[field] = text

    text, problem = read_choice(ethnic_alias(normalise(value_of("民族"))), ETHNIC_GROUPS)
    values["ethnicity"] = text
    if problem:
        problems["民族"] = problem
    pick("学历", "education", EDUCATION, EDUCATION_ALIASES)
    pick("学位", "degree", DEGREES, DEGREE_ALIASES)
    pick("工作岗位", "job", job_codes)
    pick("新社会阶层类型", "stratum", stratum_codes)
    farmer = normalise(value_of("是否农民工"))
    if farmer and farmer not in YES_NO:
        problems["是否农民工"] = f"“{farmer}”应为“是”或“否”"
    values["migrant_worker"] = YES_NO.get(farmer, False)
    return values, problems
