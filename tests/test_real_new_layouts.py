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


def test_sundsvall_header_wrapped_over_two_lines_names_each_column():
    """Lines 35 and 37 ('Verksamheternas nettokostnad Budget Budget Utfall Utfall Prognos
    Budget' / 'per nämnd, mnkr 2018 jan-apr 2018 jan-apr 2018 jan-apr 2017 2018
    avvikelse'): word k above and qualifier k below name column k, each with its own year;
    row 39 reads as printed."""
    (block,) = _blocks("sundsvall_2018_apr_ks_prognos")
    assert [(c.label, c.year) for c in block.columns] == [
        ("Budget 2018", 2018), ("Budget jan-apr 2018", 2018), ("Utfall jan-apr 2018", 2018),
        ("Utfall jan-apr 2017", 2017), ("Prognos 2018", 2018), ("Budget avvikelse", None)]
    assert block.header[0].lines == [35, 37]
    assert _row([block], 39).cells == ["Kommunstyrelse", "-686,9", "-257,8", "-220,9",
                                       "-168,6", "-638,3", "48,6"]
    assert not block.reviews


def test_a_header_pair_that_does_not_fit_the_rows_is_not_taken():
    """Five qualifiers below six column words: the pair names no columns (the rows stay
    review items), never a shifted guess."""
    text = ("Nettokostnad Budget Budget Utfall Utfall Prognos Budget\n\n"
            "mnkr jan-apr 2018 jan-apr 2018 jan-apr 2017 2018 avvikelse\n\n"
            "Socialnämnd -686,9 -257,8 -220,9 -168,6 -638,3 48,6\n\n"
            "Äldreomsorg -22,4 -17,5 -14,5 -1,6 -22,4 0,0")
    (block,) = segment(text.split("\n"))
    assert not any(c.label.startswith(("Budget", "Utfall", "Prognos")) for c in block.columns)
    assert {r.line for r in block.reviews} == {5, 7}


def test_an_avvikelse_column_equal_to_forecast_minus_budget_is_a_forecast_deviation():
    """Sundsvall line 39: 48,6 = Prognos 2018 (-638,3) − Budget 2018 (-686,9), while Utfall
    jan-apr − Budget jan-apr is 36,9: the column is the forecast's deviation."""
    from socialstudy.extract.forecast_columns import forecast_deviations
    from socialstudy.extract.tables import Row, Table
    rows = [Row(39, ["Kommunstyrelse", "-686,9", "-257,8", "-220,9", "-638,3", "48,6"]),
            Row(45, ["kollektivtrafik", "-148,5", "-49,5", "-53,9", "-153,5", "-5,0"])]
    table = Table("x", "", None, rows)
    measures = ["budget", "budget", "actual", "forecast", "deviation"]
    assert forecast_deviations(table, measures)[-1] == "forecast_deviation"
    plain = [Row(1, ["Socialnämnd", "-100,0", "-90,0", "-95,0", "-10,0"])]  # utfall − budget
    assert forecast_deviations(Table("y", "", None, plain), ["budget", "actual", "forecast",
                                                             "deviation"])[-1] == "deviation"


def test_the_review_of_an_interim_report_takes_its_own_period():
    """Haninge's Jan-Apr 2020 seed (line 292 'Totalt'): the run holds a full-year row with
    the annual budget only and a Jan-Apr row with net cost 318 195 and budget 319 104; the
    review's committee total is the Jan-Apr row (before session 6 it printed the full-year
    row: an empty net cost beside the annual budget 967 717)."""
    import pandas as pd

    from socialstudy.core.registry import load_registry
    from socialstudy.tools.review_labels import own_period
    report = next(r for r in load_registry() if r.doc_id == "haninge_2020_d1")
    rows = pd.DataFrame({"fiscal_year": [2020, 2020, 2019], "period": ["full_year",
                         "jan_apr", "jan_apr"], "budget_tkr": [967717, 319104, 1]})
    assert own_period(rows, report).budget_tkr.tolist() == [319104]
