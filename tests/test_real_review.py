"""The review's rules for a committee the crosswalks do not know (issue 16, item 5), each
in a copy of the repository with one small report registered: a row naming a committee
above the committee's total is never copied from another committee as *administration*;
a goal table in the committee's own words (Uppfyllt / Delvis uppfyllt / Ej uppfyllt) gets
goal rows that, pasted, give each goal its level with the committee's wording kept."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from real_fixtures import copy_repo
from repo_copy import repo_env

from socialstudy.core import registry as reg
from socialstudy.tools.pdf_entry import entry_block

OPERATING = ("Driftredovisning 2025, mnkr\n"
             "Verksamhet\tUtfall 2025\tBudget 2025\tAvvikelse 2025\n"
             "Socialnämnd\t-2,0\t-2,1\t0,1\n"
             "Individ- och familjeomsorg\t-100,0\t-98,0\t-2,0\n"
             "Socialnämnden\t-102,0\t-100,1\t-1,9\n")
GOALS = ("Socialnämndens mål 2025\n\n"
         "Mål Kommentar Bedömning\n\nBarn och unga ska växa upp under trygga förhållanden\n\n"
         "Arbetet med tidiga insatser har fortsatt.\n\nUppfyllt\n\n"
         "Mål Kommentar Bedömning\n\nFler vuxna ska bli självförsörjande\n\nDelvis uppfyllt\n\n"
         "Mål Kommentar Bedömning\n\nVäntetiden till försörjningsstöd ska minska\n\n"
         "Ej uppfyllt\n\nMål Kommentar Bedömning\n\nFler ska få stöd i hemmet\n\nGul\n")


@pytest.fixture
def repo(tmp_path):
    return copy_repo(tmp_path / "repo")


def _register(repo: Path, doc_id: str, text: str) -> None:
    data = text.encode("utf-8")
    (repo / "data/raw" / f"{doc_id}.txt").write_bytes(data)
    fields = {"doc_id": doc_id, "file": f"{doc_id}.txt", "municipality": "Exempelby",
              "kommun_code": "0114", "document_type": "annual_report", "title": doc_id,
              "fiscal_year": 2025, "period": "full_year",
              "period_covered": reg.period_covered(2025, "full_year"), "money_unit": "mnkr",
              "cost_sign": reg.COSTS_NEGATIVE, "sha256": hashlib.sha256(data).hexdigest()}
    with (repo / "data/raw/reports.yml").open("a", encoding="utf-8") as fh:
        fh.write(entry_block(fields))


def _review(repo: Path, doc_id: str) -> str:
    done = subprocess.run([sys.executable, "-m", "socialstudy", "review", doc_id], cwd=repo,
                          capture_output=True, text=True, env=repo_env(repo))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_a_committee_row_above_the_total_is_not_copied_as_administration(repo):
    """'Socialnämnd' (line 3) stands above 'Socialnämnden' (line 5, the total): Haninge's
    own 'Socialnämnd' row says administration, which the label alone does not carry."""
    _register(repo, "exempelby_2025_ar", OPERATING)
    out = _review(repo, "exempelby_2025_ar")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  activity line 3:"))
    item = "\n".join(lines[at:at + 3])
    assert "names a committee and stands above the committee's total (line 5)" in item
    assert "Haninge maps its own 'Socialnämnd' to administration – not copied" in item
    assert "Exempelby,Socialnämnd,,<choose>,<choose>" in item
    assert ",administration," not in item
    assert "Exempelby,Socialnämnden,,total,exact" in out


def test_goals_in_the_committees_own_words_are_proposed_and_levelled(repo):
    """Status lines 'Uppfyllt' (line 9), 'Delvis uppfyllt' (15), 'Ej uppfyllt' (21) and the
    colour 'Gul' (27) below a 'Mål … Bedömning' header: one goal row each; pasted, the run
    levels them met, partly_met, not_met, partly_met and keeps the committee's words."""
    _register(repo, "exempelby_2025_mal", GOALS)
    out = _review(repo, "exempelby_2025_mal")
    rows = [line.strip() for line in out.splitlines()
            if line.strip().startswith("Exempelby,r")]
    assert len(rows) == 4 and not any("<" in r for r in rows), rows
    assert "assessed 'Delvis uppfyllt' at line 15 -> partly_met" in out
    with (repo / "socialstudy/crosswalks/goal_assessments.csv").open("a") as fh:
        fh.write("\n".join(rows) + "\n")
    script = ("import json; from socialstudy.core.registry import load_registry; "
              "from socialstudy.measures import outcomes; "
              "r = [x for x in load_registry() if x.doc_id == 'exempelby_2025_mal']; "
              "print(json.dumps(outcomes.goals(r)[['status_text', 'level', 'source_line']]"
              ".astype(str).values.tolist()))")
    done = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True,
                          text=True, env=repo_env(repo))
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(json.loads(done.stdout), key=lambda r: int(r[2])) == [
        ["Uppfyllt", "met", "9"], ["Delvis uppfyllt", "partly_met", "15"],
        ["Ej uppfyllt", "not_met", "21"], ["Gul", "partly_met", "27"]]
