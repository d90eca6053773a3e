"""Remit fallback rows (crosswalks/remit.csv) beside a report they were not written for:
next year's copy of each seed (tests/synthetic.py: every line moved) has no rows of its own
in remit_reports.csv, so it gets its municipality's rows, "not checked for this report".
Their notes must never point its reader at a line of the copy: every line they cite names
the seed report it is in (e.g. Haninge's IFO line is haninge_2024_ar line 370, which in the
copy is line 372), and a note that cites a bare line is refused in one line."""

import re

import pytest
import synthetic

from socialstudy.core.registry import by_doc_id, load_registry
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.specs import SPECS
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures.remit import BY_MUNICIPALITY, _fallback_row, remit_by_report

SEEDS = ("haninge_2024_ar", "huddinge_2024_vb", "strangnas_2023_ar")
CITED = re.compile(r"(?P<doc>[a-z0-9]+(?:_[a-z0-9]+)+) lines? (?P<nums>\d+(?:(?:-|, )\d+)*)")


@pytest.mark.parametrize("seed", SEEDS)
def test_next_years_fallback_notes_cite_the_seeds_lines_by_doc_id(seed, tmp_path):
    registry = synthetic.next_year_report(seed, tmp_path, seed=4)
    reports = load_registry(registry)
    copy = synthetic.planted(registry)["doc_id"]
    rows = remit_by_report(reports)
    mine = rows[rows.doc_id == copy]
    assert len(mine) == 8 and set(mine.basis) == {BY_MUNICIPALITY}
    assert set(mine.source_line) == {""}  # no line of the copy is claimed
    docs = by_doc_id(reports)
    cited = 0
    for note in mine.note:
        bare = re.sub(CITED, "", note)
        assert not re.search(r"(?i)\blines?\s+\d", bare), note  # each names its report
        for m in CITED.finditer(note):
            assert m.group("doc") == seed != copy, note
            length = len(read_lines(docs[seed].path))
            assert all(1 <= int(n) <= length for n in re.split(r"-|, ", m.group("nums")))
            cited += 1
    assert cited >= 3


def test_haninges_ifo_line_is_cited_where_it_stands_in_the_seed():
    """haninge_2024_ar line 370 holds 'Individ- och familjeomsorg (IFO)' (-474,6), the line
    the children-and-young-people fallback note cites."""
    report = by_doc_id(load_registry())["haninge_2024_ar"]
    assert read_lines(report.path)[369].startswith("Individ- och familjeomsorg (IFO)\t-474,6")
    note = next(r.note for r in read_crosswalk("remit.csv")
                if (r.municipality, r.category) == ("Haninge", "children_young_people"))
    assert "(haninge_2024_ar line 370)" in note


def test_a_fallback_note_citing_a_bare_line_is_refused_naming_file_and_line():
    spec = SPECS["remit.csv"]
    row = spec.row(municipality="Haninge", category="other", in_remit="yes", evidence="x",
                   note="Family law (line 733).", line=9)
    report = by_doc_id(load_registry())["haninge_2024_ar"]
    with pytest.raises(CrosswalkError, match=r"remit.csv:9: note cites line 733 without"):
        _fallback_row(report, row)
