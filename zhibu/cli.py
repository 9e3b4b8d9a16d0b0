"""The `zhibu` command: zhibu's own management commands, plus Django's for administrators."""

import os
import sys

# Command names with a hyphen, which Python module names cannot have.
ALIASES = {"dues-calc": "dues_calc"}
# `zhibu check` is Django's system check (`zhibu check --deploy`) unless it is given the compliance check's
# options, as it always was: `zhibu check --org NAME --year YYYY [--json]` runs `zhibu compliance`.
COMPLIANCE_OPTIONS = ("--org", "--year", "--json")


def command_name(argv: list[str]) -> str:
    name = ALIASES.get(argv[0], argv[0])
    if name == "check" and any(arg.split("=")[0] in COMPLIANCE_OPTIONS for arg in argv[1:]):
        return "compliance"
    return name


def _zhibu_commands() -> dict[str, str]:
    """Name → one-line help of every command that zhibu's own apps provide."""
    from django.core.management import get_commands, load_command_class

    commands = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("zhibu."):
            help_text = load_command_class(app, name).help.strip().splitlines()[0]
            shown = next((alias for alias, target in ALIASES.items() if target == name), name)
            commands[shown] = help_text
    return commands


def print_overview() -> None:
    print("用法: zhibu <命令> [选项]    （每个命令都有 --help）\n")
    print("命令:")
    commands = _zhibu_commands()
    width = max(len(name) for name in commands)
    for name, help_text in commands.items():
        print(f"  {name.ljust(width)}  {help_text}")
    print("\nzhibu check --org 组织 --year 年度 即 zhibu compliance；不带这些选项的 zhibu check 是系统自检（--deploy 检查上线设置）。")
    print("管理员还可以使用 Django 的命令，例如 zhibu migrate、zhibu shell、zhibu runserver。")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    from zhibu.datadir import prepare_data_dir

    prepare_data_dir()
    import django

    django.setup()
    if not argv or argv[0] in ("-h", "--help", "help"):
        print_overview()
        return
    from django.core.management import execute_from_command_line

    argv[0] = command_name(argv)
    execute_from_command_line(["zhibu", *argv])


if __name__ == "__main__":
    main()
