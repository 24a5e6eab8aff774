"""The layers of docs/ARCHITECTURE.md hold: the import contracts (pyproject.toml, ``[tool.importlinter]``)
pass, an import from a lower layer to a higher one makes ``lint-imports`` fail, and the only imports
left out of the contracts (those under ``if TYPE_CHECKING:``) are marked relationship annotations."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MARK = "# type-only: relationship annotation"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
    )


def test_the_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_fails(tmp_path):
    """A copy of the package where the events (a lower layer) import a registration service."""
    shutil.copytree(ROOT / "eventapp", tmp_path / "eventapp", ignore=shutil.ignore_patterns("translations", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    queries = tmp_path / "eventapp" / "events" / "queries.py"
    queries.write_text(queries.read_text() + "\nfrom eventapp.registrations.services import register  # upward\n")

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    assert "eventapp.events is not allowed to import eventapp.registrations" in result.stdout
    assert "eventapp.events.queries -> eventapp.registrations.services" in result.stdout


def test_two_packages_importing_each_other_fail(tmp_path):
    """Siblings in one layer import neither each other (mailings | statistics)."""
    shutil.copytree(ROOT / "eventapp", tmp_path / "eventapp", ignore=shutil.ignore_patterns("translations", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    charts = tmp_path / "eventapp" / "statistics" / "charts.py"
    charts.write_text(charts.read_text() + "\nimport eventapp.mailings.queries  # sideways\n")

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    assert "eventapp.statistics" in result.stdout
    assert "eventapp.mailings" in result.stdout


def _type_checking_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of another eventapp package under ``if TYPE_CHECKING:``."""
    package = path.relative_to(ROOT).parts[1]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in ast.walk(node):
                module = statement.module if isinstance(statement, ast.ImportFrom) else None
                if module and module.startswith("eventapp.") and module.split(".")[1] != package.removesuffix(".py"):
                    found.append((statement.lineno, module))
    return found


def test_type_checking_imports_are_marked_relationship_annotations():
    """The contracts leave out imports under ``if TYPE_CHECKING:``; they are allowed only for the type of a
    SQLAlchemy relationship, from another package's models, each marked so on its line."""
    unmarked = []
    for path in sorted((ROOT / "eventapp").rglob("*.py")):
        lines = path.read_text().splitlines()
        for number, module in _type_checking_imports(path):
            if not module.endswith(".models") or MARK not in lines[number - 1]:
                unmarked.append(f"{path.relative_to(ROOT)}:{number} {module}")
    assert unmarked == []
