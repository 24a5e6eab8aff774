"""Every ``# type: ignore`` names its error code and says why (docs/CONVENTIONS.md, "Tooling")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[a-z-]+(,\s*[a-z-]+)*\])?(?P<reason>\s+#\s*\S.*)?$")


def test_every_type_ignore_names_its_code_and_a_reason():
    bare = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("eventapp", "tests", "bench", "migrations")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (m := IGNORE.search(line)) and not (m.group("code") and m.group("reason"))
    ]
    assert not bare, "say why after the code: # type: ignore[code]  # why\n" + "\n".join(bare)
