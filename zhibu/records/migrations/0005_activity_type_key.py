"""Give every activity type an immutable key, so nothing joins on the name an administrator may edit.

A type of the catalogue gets its canonical name as key, even when an administrator already renamed it
(it is then found by one of its catalogue aliases); any other type gets its name. The catalogue's names
and aliases are frozen below as they were when this migration was written.
"""

from django.db import migrations, models

CATALOGUE = {
    "支部党员大会": ("党员大会", "支部大会"),
    "支部委员会会议": ("支委会", "支委会议"),
    "党小组会": ("党小组会议",),
    "党课": ("讲党课", "上党课"),
    "主题党日": ("主题党日活动",),
    "组织生活会": (),
    "民主评议党员": ("民主评议",),
    "民主生活会": (),
    "谈心谈话": (),
    "政治生日": ("过政治生日",),
    "理论学习": ("集中学习", "理论学习中心组学习", "支部理论学习"),
    "领导干部上讲堂": (),
    "警示教育": ("观看警示教育片",),
    "宣传教育活动": ("宪法宣传周", "宣传月"),
    "意识形态分析研判会": ("意识形态研判会", "意识形态领域分析研判会"),
    "党建工作专题研究": ("专题研究党建工作",),
    "局务会": ("办公会", "党组会"),
    "党风廉政建设专题研究": ("专题研究部署党风廉政建设工作",),
    "签订党风廉政建设责任书": ("签订责任书",),
    "廉政承诺": ("作廉政承诺",),
    "廉政谈话": (),
    "党风廉政建设责任制检查": ("检查党风廉政建设责任制落实情况",),
    "家风教育": ("家风教育活动",),
    "签订家风承诺书": (),
    "廉政家访": (),
    "志愿服务": ("社区志愿服务", "在职党员到社区服务", "共驻共建"),
    "驻村帮扶": ("驻村", "结对帮扶"),
    "工作经费划拨": ("划拨工作经费",),
    "捐款": (),
    "筹款": (),
    "联系点指导": ("党支部联系点",),
    "疫情防控": (),
    "业务宣传培训": ("宣传教育培训",),
}


def _names(activity_type):
    return [activity_type.name, *(part.strip() for part in activity_type.aliases.replace("，", "、").replace(",", "、").split("、") if part.strip())]


def fill_keys(apps, schema_editor):
    ActivityType = apps.get_model("records", "ActivityType")
    types = list(ActivityType.objects.order_by("pk"))
    by_name = {canonical: canonical for canonical in CATALOGUE}
    for canonical, aliases in CATALOGUE.items():
        for alias in aliases:
            by_name.setdefault(alias, canonical)
    taken = set()
    chosen = {}
    # Exact canonical names first, so a renamed type's alias never takes the key of a type still named so.
    for activity_type in types:
        if activity_type.name in CATALOGUE:
            chosen[activity_type.pk] = activity_type.name
            taken.add(activity_type.name)
    for activity_type in types:
        if activity_type.pk in chosen:
            continue
        key = next((by_name[n] for n in _names(activity_type) if n in by_name and by_name[n] not in taken), None)
        if key is None:
            key, number = activity_type.name, 2
            while key in taken or key in CATALOGUE:
                key, number = f"{activity_type.name}#{number}", number + 1
        chosen[activity_type.pk] = key
        taken.add(key)
    for activity_type in types:
        activity_type.key = chosen[activity_type.pk]
        activity_type.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("records", "0004_signin")]
    operations = [
        migrations.AddField(
            model_name="activitytype", name="key", field=models.CharField(max_length=40, null=True, editable=False, verbose_name="标识"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activitytype", name="key", field=models.CharField(max_length=40, unique=True, editable=False, verbose_name="标识"),
        ),
    ]
