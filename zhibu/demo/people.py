"""Fictional people for the demo: names, ID numbers and phones generated from a fixed seed."""

import random
from datetime import date, timedelta

from zhibu.lib.idcard import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文辉鹏飞斌宇浩凯婷雪琳晨阳欣怡子涵思远佳琪俊峰海燕丹慧颖博雅"
# A fictional area code keeps generated ID numbers obviously synthetic while valid in form.
DEMO_AREA_CODE = "990101"


class NameMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, gender: str) -> str:
        while True:
            length = self.rng.choice((1, 2, 2))
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(length))
            if name not in self.used:
                self.used.add(name)
                return name


def id_number(rng: random.Random, birth: date, gender: str) -> str:
    sequence = rng.randrange(0, 50) * 2 + (1 if gender == "男" else 0)
    first17 = f"{DEMO_AREA_CODE}{birth:%Y%m%d}{rng.randrange(0, 10)}{sequence:02d}"
    return first17 + id_check_char(first17)


def phone(rng: random.Random) -> str:
    return rng.choice(("139", "138", "137", "186", "158")) + f"{rng.randrange(0, 10**8):08d}"


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(0, max((end - start).days, 1)))
