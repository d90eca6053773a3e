"""The layouts of the session-6 real fixtures (tests/fixtures/real/, issue 16) read by
``layout.segment`` and the review: each assertion is a figure read by hand from the fixture's
text, with its line (expected.yml holds the same figures)."""

from __future__ import annotations

from real_fixtures import ROOT

from socialstudy.extract.detached_sign import attach_signs
from socialstudy.extract.layout import segment


def _blocks(slug: str):
    return segment((ROOT / slug / "report.txt").read_text(encoding="utf-8").split("\n"))


def _row(blocks, line: int):
    return next(r for b in blocks for r in b.rows if r.line == line)


def test_a_detached_minus_sign_joins_the_number_after_it():
    toks = [("–", 0, 1), ("37", 2, 4), ("264", 5, 8), ("–", 10, 11), ("5", 13, 14)]
    assert attach_signs(toks) == [("–37", 0, 4), ("264", 5, 8), ("–", 10, 11), ("5", 13, 14)]


def test_gnesta_rows_with_detached_minus_signs_split_into_the_headers_columns():
    """Gnesta 2013 (tkr): 'Kommunstyrelsen – 37 264 – 1 578 4,4 % – 37 500 236' (line 12)
    is Utfall -37 264, Förändring -1 578, 4,4 %, Budget -37 500, Avvikelse 236; 'Mark och
    fastigheter 141 50 55,4 % – 14 155' (line 17) is Budget -14 and Avvikelse 155
    (141 - (-14) = 155), never a budget of -14 155."""
    blocks = _blocks("gnesta_2013_ar_drift")
    assert _row(blocks, 12).cells == ["Kommunstyrelsen", "–37 264", "–1 578", "4,4%",
                                      "–37 500", "236"]
    assert _row(blocks, 17).cells == ["Mark och fastigheter", "141", "50", "55,4%", "–14",
                                      "155"]
    assert _row(blocks, 19).cells[1:] == ["–13 395", "–761", "6,0%", "–13 263", "–132"]
    assert _row(blocks, 26).cells[1:] == ["–251 589", "–13 642", "5,7%", "–242 858", "–8 731"]


def test_gnesta_row_the_arithmetic_cannot_decide_is_a_review_item():
    """'Övrigt kommungemensamt 8 372 4 569 120,1 % – 4 301 12 673' (line 11): Förändring
    4 569 with 120,1 %, or 4 with '569 120,1 %'? Avvikelse = Utfall − Budget holds for
    both; the row is left for review with both readings, not guessed."""
    reviews = [r for b in _blocks("gnesta_2013_ar_drift") for r in b.reviews]
    (item,) = [r for r in reviews if r.line == 11]
    assert ["8 372", "4 569", "120,1%", "–4 301", "12 673"] in item.readings
