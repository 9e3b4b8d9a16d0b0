"""ARCHITECTURE.md stays a map of the tree: every top-level package under zhibu/ is named in it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_top_level_package_is_in_the_architecture_map():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in (ROOT / "zhibu").iterdir()
                      if p.is_dir() and ((p / "__init__.py").exists() or p.name == "templates"))
    assert len(packages) > 10
    missing = [name for name in packages if f"`zhibu/{name}/`" not in text]
    assert missing == [], f"ARCHITECTURE.md does not say where these live: {missing}"


def test_every_package_the_map_names_exists():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`zhibu/(\w+)/`", text))
    assert named and all((ROOT / "zhibu" / name).is_dir() for name in named), named
