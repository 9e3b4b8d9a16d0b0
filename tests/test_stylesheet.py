"""The one stylesheet is edited by every area and merged often: a lost brace silently moves every later rule
into a media query (it once made the dues, development and sign-in pages unstyled on desktops)."""

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[1] / "zhibu" / "web" / "static" / "zhibu" / "app.css"


def test_every_block_in_the_stylesheet_is_closed_and_top_level_rules_start_at_depth_zero():
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        if depth == 1 and line.startswith((".", "#")) and not line.startswith("  "):
            raise AssertionError(f"line {number} starts a rule at the left margin inside an unclosed block: {line[:60]}")
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"line {number} closes a block that was never opened"
    assert depth == 0
