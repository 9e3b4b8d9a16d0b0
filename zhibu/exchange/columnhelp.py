"""What goes in each column of the exchange workbook, in words for whoever fills it in, and the blank template
that carries these words as notes on the column names (a note is not a cell: the template imports as it is)."""

from __future__ import annotations

from functools import lru_cache

from zhibu.lib.ledgerbook import table_workbook

DATE = "日期，如 2025-03-18、2025/3/18 或 2025年3月18日"
ORG = "组织名称，须与“党组织”表或系统中的名称完全一致"
PERSON = "姓名；其他支部的人员写成“支部名称/姓名”"
NAMES = "姓名，多人用顿号分隔"

# Column name → help, for every sheet; SHEET_HELP overrides one sheet's column.
HELP = {
    "名称": "组织全称，不能重复",
    "上级": "上级组织名称；顶层组织留空",
    "类别": "党委、党工委、机关党委、党总支、党支部、党小组",
    "单位": "所属单位，如 某市统计局",
    "业务领域": "单位的业务领域，如 统计",
    "所在地": "所在市县，如 某市",
    "成立日期": DATE,
    "换届日期": "最近一次换届选举的" + DATE,
    "任期年限": "一般为3；村和社区党支部为5",
    "姓名": "同一支部内不重复；同名的请在姓名中区分，如 张伟（大）",
    "所在组织": "所在党支部的名称",
    "党小组": "该支部下的党小组名称，可不填",
    "性别": "男 或 女",
    "出生日期": DATE,
    "身份证号": "18位，末位校验码须正确；不能重复",
    "手机号": "11位数字",
    "人员类别": "正式党员、预备党员、发展对象、入党积极分子、入党申请人",
    "申请入党日期": DATE,
    "确定积极分子日期": DATE,
    "确定发展对象日期": DATE,
    "入党日期": "正式党员和预备党员必填：支部大会接收的" + DATE,
    "转正日期": DATE,
    "党内职务": "书记、副书记、组织委员、宣传委员、纪检委员、党小组组长，可填多个",
    "领导干部": "是 或 否（默认否）",
    "党费类别": "在职（默认）、离退休、学生、农民、下岗失业、困难减免",
    "月缴费基数": "元，本年度按月计算党费的固定收入基数",
    "编号": "自己的编号，可不填；再次导入时相同编号的行更新同一条",
    "组织": ORG,
    "类型": "活动类型名称，如 支部党员大会、党课、主题党日（见“活动类型”页面）",
    "日期": DATE + "；可带时间 14:30",
    "主题": "会议或活动的主题",
    "主持人": PERSON,
    "主讲人": PERSON + "；外单位的主讲人直接写姓名和单位",
    "地点": "如 三楼会议室",
    "数量": "按份、批统计的活动填数量（默认1）",
    "金额": "按金额统计的活动（捐款、经费）填金额，单位元",
    "标签": "多个用顿号分隔，如 廉政、专题",
    "出席": NAMES + "；应到而未列在出席、请假、缺席中的人员按缺席统计",
    "请假": NAMES + "，原因写在括号中，如 李明（公差）",
    "缺席": NAMES,
    "记录": "会议内容（记录）",
    "清单": "问题清单、任务清单、责任清单",
    "年度": "四位年份，如 2025",
    "来源": "问题或任务的来源，如 巡察反馈",
    "内容": "问题、任务或责任的内容",
    "措施": "整改或落实措施",
    "责任人": PERSON,
    "时限": "完成时限，" + DATE,
    "状态": "未开始、进行中、已完成",
    "完成日期": DATE,
    "月份": "如 2025-03",
    "实缴": "实际缴纳的金额，单位元",
    "缴纳日期": DATE,
    "分值": "加分为正数，减分为负数",
    "事由": "调整积分的原因",
    "变动类型": "转入、转出、内部转接、出党、停止党籍、恢复党籍、死亡、外出流动、流动返回、失联、恢复联系",
    "对方组织": "转入来自或转出去往的组织名称",
    "出党方式": "变动类型为出党时填写：自行脱党、除名、开除党籍、退党",
    "介绍信编号": "组织关系介绍信的编号",
    "介绍信有效期至": DATE,
    "党费交至": "党费交到的月份，如 2025-03",
    "回执日期": "介绍信回执的" + DATE,
    "原因": "变动的原因",
    "评定结果": "优秀、合格、基本合格、不合格",
    "处置": "评定为不合格时的处置：限期改正、劝其退党、除名",
    "评定日期": DATE,
}
SHEET_HELP = {
    ("党费", "组织"): "所在党支部的名称",
    ("民主评议", "组织"): "所在党支部的名称",
    ("积分调整", "日期"): DATE,
    ("组织关系", "日期"): "变动的" + DATE,
}


def column_help(sheet) -> dict[str, str]:
    """Column name → the note on it for one sheet class: 必填 first when the column must be filled."""
    notes = {}
    for column in sheet.columns:
        text = SHEET_HELP.get((sheet.name, column.name)) or HELP.get(column.name, "")
        notes[column.name] = ("必填。" if column.required else "") + text
    return notes


@lru_cache(maxsize=1)
def template_workbook() -> bytes:
    """Made once per process: the same for everyone, so every download is the same file."""
    from zhibu.exchange.sheets import SHEETS

    return table_workbook((sheet.name, sheet.column_names(), [], column_help(sheet)) for sheet in SHEETS)
