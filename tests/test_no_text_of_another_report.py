"""No text of another report (issue 16, item 6): the definitions and scopes that
crosswalks/prose_facts.csv gives a prose figure are templates. Years are slots filled from
the report at hand ({year}, {year-1}); any other number in them, a line reference
included, must be printed at the line the row cites, so a next-year copy of a seed (new
numbers, shifted lines, a renamed row: tests/synthetic.py) carries none of the seed's.

The reasons of crosswalks/finance_not_reported.csv and not_reported.csv and the scopes of
finance_tables.csv are templates too ({line:WORDING}, {n:WORDING}, {year}; filled by
socialstudy/measures/filled.py): filled for next year's copy, each holds only numbers
printed at the lines it cites, years of that report, and line references to the copy's
own lines."""

import re
import shutil

import pytest
import synthetic
from reading import extract_changed

from socialstudy import paths
from socialstudy.core.registry import by_doc_id, load_registry
from socialstudy.crosswalks import loader
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.extract import prose
from socialstudy.extract.tables import read_lines
from socialstudy.measures import finance_tables
from socialstudy.measures.filled import YEAR_SLOT, fill

SEEDS = [r.doc_id for r in load_registry() if r.doc_id in {
    "haninge_2024_ar", "haninge_2020_d1", "huddinge_2024_vb", "strangnas_2023_ar"}]
SLOT = re.compile(r"\{year([+-]\d)?\}")
NUMBER = re.compile(r"\d+(?:[,.]\d+)?")


def foreign_numbers(template: str, printed: str) -> list[str]:
    """Numbers of ``template`` (year slots aside) that the printed line does not hold."""
    held = {n.replace(".", ",") for n in NUMBER.findall(printed.replace("\u00a0", "")
                                                          .replace(" ", ""))}
    return [n for n in NUMBER.findall(SLOT.sub("", template))
            if n.replace(".", ",") not in held]


def test_the_check_finds_a_seed_number():
    assert foreign_numbers("table line 446 prints 14,00", "totalt 16 procent") == [
        "446", "14,00"]
    assert foreign_numbers("R12 to November {year}", "R12 november 2025") == []


@pytest.mark.parametrize("seed", SEEDS)
def test_next_years_rows_hold_only_numbers_printed_at_their_line(seed, tmp_path):
    registry = synthetic.next_year_report(seed, tmp_path, seed=9)
    doc_id = synthetic.planted(registry)["doc_id"]
    report = next(r for r in load_registry(registry) if r.doc_id == doc_id)
    lines = read_lines(report.path)
    rows = {r.line: r for r in prose.load_prose_rows()}
    facts, _ = prose.match_report(report)
    assert facts or report.municipality not in {r.municipality for r in rows.values()}
    wrong = []
    for fact in facts:
        row = next(r for r in rows.values() if r.variable == fact.measure
                   and r.municipality == fact.municipality and fact.raw
                   and prose.wordings(r)[0].fullmatch(fact.raw, report.fiscal_year))
        for column in ("definition", "scope"):
            bad = foreign_numbers(getattr(row, column), lines[fact.source_line - 1])
            if bad:
                wrong.append(f"crosswalks/prose_facts.csv:{row.line}: {column} holds "
                             f"{bad}, not printed at {report.file}:{fact.source_line}")
    assert not wrong, "\n".join(wrong)


# ---- finance reasons and scopes: templates filled from the report at hand ------------------

WHERE = {"file": "test"}
LINE_SLOT = re.compile(r"\{line:([^{}]+)\}")


def templates(seed) -> list[tuple[str, str]]:
    """(where, template) of every finance reason and scope, and every staffing reason,
    written for ``seed``."""
    reasons = [(f"finance_not_reported.csv:{r.line}", r.reason)
               for r in read_crosswalk("finance_not_reported.csv") if r.doc_id == seed.doc_id]
    scopes = [(f"finance_tables.csv:{r.line}", r.scope)
              for r in read_crosswalk("finance_tables.csv")
              if seed.doc_id in r.must_match_in.split(";")]
    staffing = [(f"not_reported.csv:{r.line}", r.reason)
                for r in read_crosswalk("not_reported.csv")
                if (r.municipality, int(r.fiscal_year)) == (seed.municipality, seed.fiscal_year)]
    return reasons + scopes + staffing


def problems(template: str, report, lines: list[str]) -> tuple[list[str], list[int]]:
    """Numbers of the filled template that are neither printed at a line it cites nor a
    year its slots give; and the lines it cites."""
    years = {str(report.fiscal_year + int(o or 0)) for o in YEAR_SLOT.findall(template)}
    template = fill(template.replace("{line:", "{LINE:"), report, WHERE, lines).replace(
        "{LINE:", "{line:")  # the years first: a wording may hold a year slot
    cited = [int(fill("{line:" + w + "}", report, WHERE, lines))
             for w in LINE_SLOT.findall(template)]
    bare = fill(LINE_SLOT.sub("", template), report, WHERE, lines)
    printed = " ".join(lines[i - 1] for i in cited)
    return [n for n in foreign_numbers(bare, printed) if n not in years], cited


def test_the_finance_check_finds_a_seed_number_or_line():
    seed = by_doc_id(load_registry())["haninge_2020_d1"]
    lines = read_lines(seed.path)
    assert problems("(table at line 280)", seed, lines)[0] == ["280"]
    wrong, cited = problems("{n:uppskattas till en risk på} mnkr, line "
                            "{line:uppskattas till en risk på}, in {year}", seed, lines)
    assert (wrong, cited) == ([], [501])  # 10,0 mnkr printed at 001_…txt line 501


@pytest.mark.parametrize("seed_id", SEEDS)
def test_next_years_finance_reasons_and_scopes_are_its_own(seed_id, tmp_path):
    seed = by_doc_id(load_registry())[seed_id]
    registry = synthetic.next_year_report(seed_id, tmp_path, seed=9)
    copy = by_doc_id(load_registry(registry))[synthetic.planted(registry)["doc_id"]]
    seed_lines, copy_lines = read_lines(seed.path), read_lines(copy.path)
    wrong = []
    for where, template in templates(seed):
        bad, cited = problems(template, copy, copy_lines)
        _, seed_cited = problems(template, seed, seed_lines)
        moved = [(a, b) for a, b in zip(seed_cited, cited)
                 if re.sub(r"\d", "", seed_lines[a - 1]) != re.sub(r"\d", "", copy_lines[b - 1])]
        if bad or moved:
            wrong.append(f"{where}: numbers {bad} not printed at {copy.file} lines {cited}; "
                         f"cited lines that are not the seed's: {moved}")
    assert not wrong, "\n".join(wrong)


def test_a_carried_over_reason_is_filled_from_the_new_report(tmp_path, monkeypatch):
    """Huddinge's reasons carried over to next year's copy (as a user would) name the
    copy's own lines and numbers in the finance tables, never the seed's."""
    registry = synthetic.next_year_report("huddinge_2024_vb", tmp_path / "corpus", seed=9)
    planted = synthetic.planted(registry)
    folder = tmp_path / "crosswalks"
    shutil.copytree(paths.CROSSWALKS, folder)
    path = folder / "finance_not_reported.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    carried = [r.replace("huddinge_2024_vb,", f"{planted['doc_id']},", 1) for r in rows
               if r.startswith("huddinge_2024_vb,")]
    path.write_text("\n".join(rows + carried) + "\n", encoding="utf-8")
    monkeypatch.setattr(loader.read_crosswalk, "__defaults__", (folder,))
    reports = load_registry(registry)
    copy = by_doc_id(reports)[planted["doc_id"]]
    facts = extract_changed(reports).facts
    tables = finance_tables.finance_tables(facts.assign(number=facts.value.astype(float)),
                                           [copy])
    lines = read_lines(copy.path)
    reasons = {r.reason for frame in tables.values() for r in frame.itertuples()
               if r.status == "not reported"}
    one_off = next(r for r in reasons if r.startswith("the report calls no item one-off"))
    fine = next(i for i, text in enumerate(lines, 1) if "ett vite om" in text)
    assert f"(vite, -1.0 mnkr, line {fine})" in one_off  # the seed's line 487, moved
    assert fine != 487
