"""Reading the arguments the `zhibu` commands share, with Chinese messages instead of argparse's English ones."""

from django.core.management.base import CommandError

from zhibu.lib.params import FIRST_YEAR, is_year, last_year


def parse_year(text: str | None) -> int:
    """A four-digit year from the founding year to next year, or a CommandError saying how to write it."""
    text = (text or "").strip()
    if not text.isdigit() or len(text) != 4:
        raise CommandError(f"年度“{text}”不是有效的年份，请写四位数字，例如 --year 2025")
    year = int(text)
    if not is_year(year):
        raise CommandError(f"年度 {year} 超出范围（{FIRST_YEAR}—{last_year()}）")
    return year
