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


class TerminalProgress:
    """A progress(done, total, stage) callback for long commands: one line redrawn in place on a terminal, a line
    per stage otherwise (a log file), written to standard error so the command's output stays clean."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last_stage = None

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        percent = done * 100 // total if total else 0
        if self.tty:
            filled = percent // 5
            self.stream.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] {percent:3d}% {stage}\033[K")
            self.stream.flush()
        elif stage != self.last_stage:
            self.stream.write(f"{percent:3d}% {stage}\n")
        self.last_stage = stage

    def finish(self) -> None:
        if self.tty and self.last_stage is not None:
            self.stream.write("\n")
            self.stream.flush()
