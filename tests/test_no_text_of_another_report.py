"""No text of another report (issue 16, item 6): the definitions and scopes that
crosswalks/prose_facts.csv gives a prose figure are templates. Years are slots filled from
the report at hand ({year}, {year-1}); any other number in them, a line reference
included, must be printed at the line the row cites, so a next-year copy of a seed (new
numbers, shifted lines, a renamed row: tests/synthetic.py) carries none of the seed's."""

import re

import pytest
import synthetic

from socialstudy.core.registry import load_registry
from socialstudy.extract import prose
from socialstudy.extract.tables import read_lines

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
