"""Every real fixture (tests/fixtures/real/, issue 16 item 8) end to end in a temporary copy
of the repository: registered, reviewed, the review's proposed crosswalk rows applied as a
new user would paste them, then extraction and every comparison table computed in the copy.

Asserted per fixture: nothing crashes; a committee total, budget or deviation that reaches
cost_by_activity or budget_deviation equals the hand-read figure of expected.yml (or is
absent); no `not:` trap (another committee's row, the result as net cost, the budgeted
result as budget, a prior-year column) stands in a comparison table as the committee's
value. A fixture the registry cannot take (no fiscal year in the text, a period the
registry has no name for) is refused in one line, never registered with a guess.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from real_fixtures import fixtures

from socialstudy.core import registry as reg
from socialstudy.tools.pdf_entry import entry_block

ROOT = Path(__file__).resolve().parent.parent
PASTE = re.compile(r"^\s+paste into socialstudy/crosswalks/(\S+):\n\s+(.+)$", re.M)
NUMBER = re.compile(r"[-−]?\d{1,3}(?: \d{3})+(?:,\d+)?|[-−]?\d+(?:,\d+)?")
# what a user types after --municipality: the name, not the page's "Västerviks kommun"
NAME = re.compile(r"^(?P<name>.+?)(s)? (kommun|stad)$")
TABLES = ("cost_by_type", "cost_by_activity", "budget_deviation", "staffing", "goals")
COMPUTE = """
import json, sys
from socialstudy.core.registry import load_registry
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.measures import compare, outcomes, staffing
out = {}
for report in [r for r in load_registry() if r.doc_id in sys.argv[1:]]:
    facts = extract_and_clean([report]).facts
    facts = facts.assign(number=facts.value.astype(float))
    activity = compare.cost_by_activity(facts, [report])
    tables = {"cost_by_type": compare.cost_by_type(facts, [report]),
              "cost_by_activity": activity,
              "budget_deviation": compare.budget_deviation(activity, facts),
              "staffing": staffing.staffing(facts, [report]),
              "goals": outcomes.goals([report])}
    out[report.doc_id] = {k: v.astype(str).to_dict("records") for k, v in tables.items()}
print(json.dumps(out, ensure_ascii=False))
"""


def _env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALSTUDY_STAGE")}
    return {**env, "PYTHONPATH": str(repo)}


def _cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "socialstudy", *args], cwd=repo,
                          capture_output=True, text=True, env=_env(repo))


def municipality(fx) -> str:
    printed = fx.source["municipality"].split("#")[0].strip()
    match = NAME.match(printed)
    return match.group("name") if match else printed


def unit(fx) -> str:
    """The page's money unit; a goal page prints no amounts, so any unit reads it alike."""
    return fx.source.get("money_unit") or "mnkr"


def registrable(fx) -> str | None:
    """Why the registry cannot take the fixture as it stands, or None."""
    src = fx.source
    if not isinstance(src.get("fiscal_year"), int):
        return "the text prints no fiscal year"
    if src.get("period") not in reg.PERIODS:
        return f"period {src.get('period')!r} is none of {', '.join(reg.PERIODS)}"
    return None


def _register(repo: Path, fx) -> str:
    """Through the CLI where it takes the text; else (text without tab-separated cells,
    which this version's add-report refuses in one line) the same entry written by
    add-report's own ``entry_block``."""
    src, name = fx.source, municipality(fx)
    args = ["--municipality", name, "--kommun-code", str(src["kommun_code"]), "--fiscal-year",
            str(src["fiscal_year"]), "--period", src["period"], "--money-unit", unit(fx)]
    done = _cli(repo, "add-report", str(fx.report), *args)
    if done.returncode == 0:
        return re.search(r"registered (\S+):", done.stdout).group(1)
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr, done.stderr
    data = fx.report.read_bytes()
    (repo / "data/raw" / f"{fx.slug}.txt").write_bytes(data)
    fields = {"doc_id": fx.slug, "file": f"{fx.slug}.txt", "municipality": name,
              "kommun_code": src["kommun_code"], "document_type":
              reg.document_type_of(src["period"]), "title": fx.slug,
              "fiscal_year": src["fiscal_year"], "period": src["period"],
              "period_covered": reg.period_covered(src["fiscal_year"], src["period"]),
              "money_unit": unit(fx),
              "cost_sign": src["cost_sign"] if src["cost_sign"] in reg.COST_SIGNS
              else reg.COSTS_NEGATIVE, "sha256": hashlib.sha256(data).hexdigest()}
    with (repo / "data/raw/reports.yml").open("a", encoding="utf-8") as fh:
        fh.write(entry_block(fields))
    return fx.slug


def _paste(repo: Path, review: str) -> list[str]:
    pasted = []
    for name, row in PASTE.findall(review):
        path = repo / "socialstudy/crosswalks" / name
        if "<" in row or name == "remit.csv":  # a template to fill in, not a proposal
            continue
        if not _keyed(path, row):
            with path.open("a", encoding="utf-8") as fh:
                fh.write(row + "\n")
            pasted.append(f"{name}: {row}")
    return pasted


def _keyed(path: Path, row: str) -> bool:
    """A row with the same first two cells (municipality, label) is there already."""
    key = row.split(",")[:2]
    return any(line.split(",")[:2] == key
               for line in path.read_text(encoding="utf-8").splitlines())


def _name_the_committee(repo: Path, fx) -> None:
    """The one decision a user takes for an operating statement: the committee's own
    row is its total (activities.csv), as printed on the page (source.yml)."""
    label = fx.source.get("committee_name_printed")
    row = f"{municipality(fx)},{label},,total,exact,,,committee's own row (real fixture)"
    path = repo / "socialstudy/crosswalks/activities.csv"
    if label and not _keyed(path, row):
        with path.open("a", encoding="utf-8") as fh:
            fh.write(row + "\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    repo = tmp_path_factory.mktemp("real") / "repo"
    for name in ("socialstudy", "data"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    docs, reviews, refused = {}, {}, {}
    for fx in fixtures():
        why = registrable(fx)
        if why:
            refused[fx.slug] = why
            continue
        docs[fx.slug] = _register(repo, fx)
        _name_the_committee(repo, fx)  # the user's decision comes before any proposal
    for slug, doc_id in docs.items():
        done = _cli(repo, "review", doc_id)
        assert "Traceback" not in done.stderr, done.stderr
        reviews[slug] = done.stdout + done.stderr
        _paste(repo, done.stdout)
    pasted = (repo / "socialstudy/crosswalks/activities.csv").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", COMPUTE, *docs.values()], cwd=repo,
                          capture_output=True, text=True, env=_env(repo))
    assert done.returncode == 0, done.stderr[-3000:]
    return {"docs": docs, "reviews": reviews, "refused": refused,
            "tables": json.loads(done.stdout), "activities_csv": pasted}


def tkr(printed: str, unit: str) -> Decimal:
    """'-1 133,1' or 'drygt 8,4 miljoner kronor' -> tkr (mnkr/mkr x 1000)."""
    number = NUMBER.search(printed).group(0).replace(" ", "").replace(",", ".")
    value = Decimal(number.replace("−", "-"))
    return value * 1000 if unit in ("mnkr", "mkr") else value


def _figures(fx, measure: str, scope: str = "committee") -> dict[int, Decimal]:
    return {f["year"]: Decimal(f["value_tkr"]) for f in fx.expected.get("figures") or []
            if f["measure"] == measure and f.get("scope") == scope}


@pytest.mark.parametrize("fx", fixtures(), ids=lambda f: f.slug)
def test_registered_or_refused_in_one_line_never_a_guess(corpus, fx):
    if fx.slug in corpus["refused"]:
        assert registrable(fx) == corpus["refused"][fx.slug]
        return
    assert fx.slug in corpus["tables"] or corpus["docs"][fx.slug] in corpus["tables"]


def _tables(corpus, fx) -> dict | None:
    doc = corpus["docs"].get(fx.slug)
    return None if doc is None else corpus["tables"][doc]


@pytest.mark.parametrize("fx", fixtures(), ids=lambda f: f.slug)
def test_committee_totals_equal_the_hand_read_figures_or_are_absent(corpus, fx):
    tables = _tables(corpus, fx)
    if tables is None:
        pytest.skip(corpus["refused"][fx.slug])
    expected = {"net_cost_tkr": _figures(fx, "net_cost"), "budget_tkr": _figures(fx, "budget"),
                "deviation_tkr": _figures(fx, "budget_deviation")}
    for row in tables["cost_by_activity"]:
        if row["category"] != "total":
            continue
        for column, by_year in expected.items():
            if row[column] in ("", "nan"):
                continue
            year = int(row["fiscal_year"])
            assert year in by_year, (column, row)
            # net cost and budget positive in the comparison (costs negative as printed)
            want = by_year[year] if column == "deviation_tkr" else abs(by_year[year])
            assert Decimal(row[column]) == want, (column, row, want)
    for row in tables["budget_deviation"]:
        year = int(row["fiscal_year"])
        if row["deviation_tkr"] not in ("", "nan"):
            assert Decimal(row["deviation_tkr"]) == expected["deviation_tkr"][year], row


def _numbers(row: dict) -> list[Decimal]:
    out = []
    for key in ("value_tkr", "net_cost_tkr", "budget_tkr", "deviation_tkr", "value"):
        text = row.get(key, "")
        if text and re.fullmatch(r"-?\d+(\.\d+)?", text):
            out.append(abs(Decimal(text)))
    return out


@pytest.mark.parametrize("fx", fixtures(), ids=lambda f: f.slug)
def test_no_trap_stands_in_a_comparison_table_as_the_committees_value(corpus, fx):
    tables = _tables(corpus, fx)
    if tables is None:
        pytest.skip(corpus["refused"][fx.slug])
    activity_figures = {(f["line"], abs(Decimal(f["value_tkr"])))
                        for f in fx.expected.get("figures") or []
                        if str(f.get("scope", "")).startswith("activity:")}
    for trap in fx.expected.get("not") or []:
        if not NUMBER.search(trap["value_printed"]):
            continue
        value = abs(tkr(trap["value_printed"], unit(fx)))
        for name in TABLES:
            for row in tables[name]:
                if value not in _numbers(row):
                    continue
                line = int(float(row.get("source_line") or 0))
                own_activity = row.get("category") not in (None, "total") and (
                    line, value) in activity_figures
                assert own_activity, (trap, name, row)


@pytest.mark.parametrize("fx", fixtures(), ids=lambda f: f.slug)
def test_other_committees_rows_never_become_the_committees_activities(corpus, fx):
    tables = _tables(corpus, fx)
    if tables is None:
        pytest.skip(corpus["refused"][fx.slug])
    committee = fx.source.get("committee_name_printed", "")
    lines = fx.lines
    for row in tables["cost_by_activity"]:
        label = row["report_label"]
        if label == committee or row["category"] != "unmapped":
            continue
        # an unmapped line is listed for review; it must lie in the committee's block:
        # no other committee's name between the committee's row and this line
        own = next((i for i, text in enumerate(lines, 1) if text.strip() == committee), None)
        line = int(row["source_line"])
        assert own is not None and own <= line, row
        between = [t for t in lines[own:line] if re.search(r"(nämnd|styrelse)\s*$", t.strip())
                   and t.strip() != committee]
        assert not between, (row, between)


@pytest.mark.parametrize("fx", fixtures(), ids=lambda f: f.slug)
def test_activity_lines_equal_the_hand_read_figures_of_that_activity(corpus, fx):
    tables = _tables(corpus, fx)
    if tables is None:
        pytest.skip(corpus["refused"][fx.slug])
    for row in tables["cost_by_activity"]:
        scope = f"activity:{row['report_label']}"
        for column, measure in (("net_cost_tkr", "net_cost"), ("deviation_tkr",
                                                                "budget_deviation")):
            figures = _figures(fx, measure, scope)
            if row["category"] == "total" or row[column] in ("", "nan") or not figures:
                continue
            want = figures[int(row["fiscal_year"])]
            assert Decimal(row[column]) == (want if measure == "budget_deviation"
                                            else abs(want)), (row, want)
