"""The package's architecture as a contract: stage folders with their rules stated, import
rules checked by import-linter (and shown to catch a forbidden import), the README's map
generated from steps.yml."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

from socialstudy import paths
from socialstudy.publish import readme_map

STAGES = ("core", "crosswalks", "extract", "measures", "narrative", "figures", "engine",
          "publish", "study", "tools")
LINT = Path(sys.executable).with_name("lint-imports")


def test_every_stage_says_what_it_owns_reads_writes_and_may_import():
    for stage in STAGES:
        doc = importlib.import_module(f"socialstudy.{stage}").__doc__ or ""
        assert "May import" in doc or "may import" in doc, stage
        assert "Reads" in doc and "write" in doc, stage
    flat = sorted(p.name for p in paths.PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "errors.py", "paths.py"]


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True,
                          text=True, env={"PATH": str(LINT.parent), "PYTHONPATH": str(root)})


def test_import_rules_hold():
    done = _lint(paths.ROOT)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_a_forbidden_import_breaks_the_contract(tmp_path):
    """The rules are not decoration: narrative importing figures, or the engine importing
    the measures, makes lint-imports fail in a copy of the package."""
    shutil.copytree(paths.PACKAGE, tmp_path / "socialstudy",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.ROOT / "pyproject.toml", tmp_path)
    for module, line in (("narrative/summary.py", "from socialstudy.figures import style"),
                         ("engine/dag.py", "from socialstudy.measures import compare")):
        target = tmp_path / "socialstudy" / module
        original = target.read_text(encoding="utf-8")
        target.write_text(original + f"\n{line}  # noqa\n", encoding="utf-8")
        done = _lint(tmp_path)
        assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout[-1500:]
        assert line.split()[1] in done.stdout
        target.write_text(original, encoding="utf-8")
    assert _lint(tmp_path).returncode == 0


def test_readme_map_is_generated_from_steps_yml():
    text = readme_map.README.read_text(encoding="utf-8")
    assert readme_map.rewritten(text) == text, \
        "README.md's map is stale: run python -m socialstudy.publish.readme_map"
    assert "| 02_cost_structure | `notebooks/02_cost_structure.ipynb` |" in text
