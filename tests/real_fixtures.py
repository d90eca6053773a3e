"""The real-report fixtures of ``tests/fixtures/real/`` (outside the default study): each
folder holds ``report.txt``, ``source.yml`` (the page's address and how it was laid out)
and ``expected.yml`` (key figures read by hand, each with its line, and ``not:`` traps)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from repo_copy import seed_bytecode

ROOT = Path(__file__).parent / "fixtures" / "real"
REPO = Path(__file__).resolve().parent.parent
SOURCE_KEYS = ("url", "retrieved_via", "municipality", "kommun_code", "document_kind",
               "fiscal_year", "period", "money_unit", "cost_sign", "layouts", "notes")


@dataclass
class Fixture:
    slug: str
    folder: Path

    @property
    def report(self) -> Path:
        return self.folder / "report.txt"

    @property
    def lines(self) -> list[str]:
        return self.report.read_text(encoding="utf-8").split("\n")

    @property
    def source(self) -> dict:
        return yaml.safe_load((self.folder / "source.yml").read_text(encoding="utf-8"))

    @property
    def expected(self) -> dict:
        return yaml.safe_load((self.folder / "expected.yml").read_text(encoding="utf-8"))


def fixtures() -> list[Fixture]:
    """Every fixture folder, computed from the tree (never a typed-in list)."""
    return [Fixture(p.name, p) for p in sorted(ROOT.iterdir()) if p.is_dir()]


def printed_checks(fx: Fixture) -> list[tuple[str, int, str]]:
    """(printed string, line, what) for every hand-read figure, trap and goal."""
    exp, checks = fx.expected, []
    for section in ("figures", "not"):
        for fig in exp.get(section) or []:
            vals = [fig["value_printed"]] if fig.get("value_printed") else fig.get(
                "parts_printed", [])
            checks += [(v, fig["line"], section) for v in vals]
    for goal in exp.get("goals") or []:
        if goal.get("status_printed"):
            checks.append((goal["status_printed"], goal["line"], "goal status"))
        if not goal["goal"].startswith(("nämndens", "det sjunde")):
            checks.append((goal["goal"], goal.get("goal_line", goal["line"]), "goal text"))
    if "committee_row_line" in exp:
        checks.append((fx.source["committee_name_printed"], exp["committee_row_line"],
                       "committee row"))
    return checks


def copy_repo(dest: Path) -> Path:
    """A copy of the package and the data, where reports and crosswalk rows can be added."""
    for name in ("socialstudy", "data"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    seed_bytecode(REPO, dest, ("socialstudy",))  # its compiled bytecode too
    return dest

