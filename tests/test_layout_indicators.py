"""The glued indicator reader (``extract.layout_indicators``) on the real Helsingborg goals
page (tests/fixtures/real/helsingborg_2016_sn_mal): header lines 16-17, rows 18-24."""

from __future__ import annotations

from real_fixtures import ROOT

from socialstudy.extract.layout import segment
from socialstudy.extract.layout_indicators import header, readings

LINES = (ROOT / "helsingborg_2016_sn_mal/report.txt").read_text(encoding="utf-8").split("\n")


def test_the_glued_header_gives_four_columns_the_last_completed_by_its_year_line():
    cells, after = header(LINES, 15)
    assert [c.text for c in cells] == ["Utfall 2014", "Utfall 2015", "Utfall 2016",
                                       "Målvärde 2016"]
    assert cells[-1].lines == [16, 17] and after == 17
    assert header(["Utfall 2014 Utfall 2015 Målvärde 2016"], 0) is None  # not glued


def test_a_dash_is_an_empty_cell_and_the_label_never_ends_in_a_digit_or_dash():
    ((label, cells),) = readings(LINES[18], 4)  # line 19
    assert label.endswith("akutboende (Fenix)")
    assert [m.group(0) for m in cells] == ["-", "59 %", "58 %", "Minst 60 %"]
    ((label, cells),) = readings(LINES[19], 4)  # line 20: 75 %100 %100 %100 %
    assert [m.group(0) for m in cells] == ["75 %", "100 %", "100 %", "100 %"]


def test_digits_glued_without_a_unit_are_left_for_review_with_their_line():
    (block,) = segment(LINES)
    (review,) = block.reviews
    assert review.line == 22 and ["78", "77", "79", "Minst NKI 75"] in review.readings
    assert len(review.readings) > 1
    read = {r.line: r.cells[1:] for r in block.rows if len(r.cells) > 1}
    assert read == {19: ["-", "59 %", "58 %", "60 %"], 20: ["75 %", "100 %", "100 %", "100 %"],
                    21: ["-", "53 %", "57 %", "55 %"], 24: ["-", "68 %", "68 %", "75 %"]}
    assert "printed 'Minst 60 %': a bound" in block.rows[1].repaired[4]
