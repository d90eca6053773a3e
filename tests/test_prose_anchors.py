"""Figures and goals quoted from running text stay tied to their cited lines."""

import shutil

import pytest

from socialstudy import crosswalk, paths, prose
from socialstudy.errors import CrosswalkError
from socialstudy.extract import read_lines
from socialstudy.registry import by_doc_id


def test_every_prose_quote_is_on_its_line(reports):
    docs = by_doc_id(reports)
    for row in prose.load_prose_rows():
        lines = read_lines(docs[row["doc_id"]].path)
        assert row["quote"] in lines[int(row["source_line"]) - 1], row["_line"]
        assert row["number_text"] in row["quote"], row["_line"]


def test_huddinge_turnover_quote(facts):
    row = facts[(facts.source_kind == "prose") & (facts.doc_id == "huddinge_2024_vb")
                & (facts.source_line == 773) & (facts.measure == "turnover_total_pct")]
    assert row.value.tolist() == ["11.9"]


def test_a_drifted_quote_stops_the_run(tmp_path, monkeypatch, reports):
    folder = tmp_path / "crosswalks"
    shutil.copytree(paths.CROSSWALKS, folder)
    path = folder / "prose_facts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("uppgår till 11,9 procent", "uppgår till 12,9 procent"),
                    encoding="utf-8")
    monkeypatch.setattr(crosswalk.paths, "CROSSWALKS", folder)
    monkeypatch.setattr(crosswalk.read_crosswalk, "__defaults__", (folder,))
    with pytest.raises(CrosswalkError, match=r"prose_facts.csv:\d+: quote .* is not on line 773"):
        prose.prose_facts(reports)
