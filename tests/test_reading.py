"""The shortcut of tests/reading.py: a corpus that differs from the real reports in one
report, read by reading that report alone beside the real reports' rows, gives what
reading the whole corpus gives, every table row for row and dtype for dtype."""

import pandas as pd
import pytest
import synthetic
from reading import TABLES, extract_changed
from test_hostile_damage import _damaged_copy

from socialstudy.core.registry import load_registry
from socialstudy.extract.extraction import extract_and_clean


def _same(reports):
    whole, changed = extract_and_clean(reports), extract_changed(reports)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(changed, name), getattr(whole, name))
    return whole


def test_a_damaged_copy_read_by_its_damaged_report_is_the_whole_read(raw):
    # a tab inside 49 339 on Huddinge's revenue line (002_…txt line 454): rejects and quality
    whole = _same(_damaged_copy(raw, "intäkter\t41 974\t49 339\t",
                                "intäkter\t41 974\t49\t339\t"))
    assert 454 in set(whole.rejects.source_line) and "ragged_row" in set(whole.quality.check)


def test_a_corpus_with_a_new_report_read_by_the_new_report_is_the_whole_read(tmp_path):
    registry = synthetic.next_year_report("strangnas_2023_ar", tmp_path, seed=3)
    whole = _same(load_registry(registry))
    assert "strangnas_2024_ar" in set(whole.facts.doc_id)


def test_changed_crosswalks_read_every_report_again(monkeypatch, raw):
    import reading
    read = []
    monkeypatch.setattr(reading, "load_crosswalks", lambda: ())
    monkeypatch.setattr(reading, "extract_and_clean", lambda reports: read.append(reports))
    reading.extract_changed(load_registry(raw / "reports.yml"))
    assert [r.doc_id for r in read[0]] == [r.doc_id for r in load_registry()]


@pytest.mark.parametrize("old, new", [
    ('title: "Årsredovisning 2024, Socialnämnden"', 'title: "Årsredovisning 2024"'),
    ("money_unit: mnkr", "money_unit: tkr")])
def test_a_changed_registry_entry_is_read_again(raw, old, new):
    import reading
    path = raw / "reports.yml"
    text = path.read_text(encoding="utf-8")
    assert text.index(old) < text.index("doc_id: haninge_2020_d1")  # Haninge 2024's entry
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    known = reading._real()[0]
    assert [r.doc_id for r in load_registry(path)
            if not reading._unchanged(r, known.get(r.doc_id))] == ["haninge_2024_ar"]
