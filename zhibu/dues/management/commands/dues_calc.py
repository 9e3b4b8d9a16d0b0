import sys

from django.core.management.base import BaseCommand

from zhibu.dues.calculator import VALID_CATEGORIES_TEXT, DuesError, Rounding, calculate_monthly_dues


class Command(BaseCommand):
    help = "按2008年党费规定计算月党费，例如 zhibu dues-calc --income 4500 输出 45.00"
    requires_system_checks = []  # a pure calculation: no database, no pages to check

    def add_arguments(self, parser):
        # Values are checked by the calculator, not by argparse, so that a wrong value gets the
        # calculator's Chinese message (what is wrong and how to fix it) and exit status 1.
        parser.add_argument("--income", help="月缴费基数（元）：在职填税后月工资中固定的、经常性的部分，离退休填基本离退休费")
        parser.add_argument("--category", default="在职", help=f"党费类别：{VALID_CATEGORIES_TEXT}（默认 在职）")
        parser.add_argument("--farmer-amount", help="农民党员月党费标准，0.2至1元（默认 0.20）")
        parser.add_argument("--reduced-amount", help="困难减免：经批准的减免后月党费")
        parser.add_argument("--rounding", default=Rounding.HALF_UP_FEN.value,
                            help="取整方式：" + "、".join(r.value for r in Rounding) + "（默认 四舍五入到分）")

    def handle(self, *args, income, category, farmer_amount, reduced_amount, rounding, **options):
        try:
            amount = calculate_monthly_dues(
                income, category, farmer_amount=farmer_amount, reduced_amount=reduced_amount, rounding=rounding
            )
        except DuesError as error:
            self.stderr.write(str(error))
            sys.exit(1)
        self.stdout.write(f"{amount}")
