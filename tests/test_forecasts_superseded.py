"""Which full-year forecast of a report is current (``extract.forecasts``), on the real
Vimmerby text (tests/fixtures/real/vimmerby_2025_okt_news_prognos): line 5 quotes the
forecast after August (överskott 12,3 mkr), line 7 gives the one after ten months (drygt
8,4 mkr i överskott). The month comes from each forecast's own sentence; line 5's
paragraph also names October, in its next sentence, which must not count."""

from __future__ import annotations

from dataclasses import replace

from real_fixtures import ROOT

from socialstudy.extract.forecasts import (
    SUPERSEDED,
    forecast_month,
    qualified,
    sentence_at,
    supersede,
)
from socialstudy.extract.rows import Fact

LINES = (ROOT / "vimmerby_2025_okt_news_prognos/report.txt").read_text(
    encoding="utf-8").split("\n")


def _fact(line: int, quote: str, value: str) -> Fact:
    col = LINES[line - 1].index(quote) + 1
    return Fact("vimmerby", "Vimmerby", 2025, "full_year", "", "", "", "forecast_budget_deviation",
                "", value, "tkr", "mnkr", 1, "", "prose", "v.txt", line, col, quote)


def test_each_forecast_takes_the_month_of_its_own_sentence():
    assert LINES[4].count("oktober") == 1 and "augusti" in LINES[4]
    assert forecast_month(sentence_at(LINES[4], LINES[4].index("12,3") + 1)) == 8
    assert forecast_month(sentence_at(LINES[6], LINES[6].index("8,4") + 1)) == 10  # tio månader
    assert forecast_month("Helårsprognosen visar ett överskott.") is None
    assert forecast_month("Efter augusti och efter oktober.") is None  # two months: no order


def test_the_older_forecast_is_kept_as_superseded_and_drygt_is_said_not_dropped():
    older = _fact(5, "överskott på 12,3 miljoner kronor", "12300")
    newer = _fact(7, "drygt 8,4 miljoner kronor i överskott", "8400")
    got = supersede([newer, older], LINES)
    assert [(f.measure, f.value, f.source_line) for f in got] == [
        ("forecast_budget_deviation", "8400", 7), (SUPERSEDED, "12300", 5)]
    assert got[1].note == ("forecast made after August, superseded by the forecast made "
                           "after October (line 7)")
    assert got[0].note == "printed as 'drygt 8,4' (just over): the value is kept as printed"
    assert qualified(older) == older


def test_forecasts_whose_sentences_give_no_month_are_both_kept_current():
    """Without a month in each sentence nothing is superseded; the review asks which."""
    lines = [line.replace("Efter augusti ", "").replace("Efter tio månader ", "")
             for line in LINES]
    older = replace(_fact(5, "överskott på 12,3 miljoner kronor", "12300"),
                    source_col=lines[4].index("överskott på 12,3") + 1)
    newer = replace(_fact(7, "drygt 8,4 miljoner kronor i överskott", "8400"),
                    source_col=lines[6].index("drygt 8,4") + 1)
    assert {f.measure for f in supersede([older, newer], lines)} == {
        "forecast_budget_deviation"}


def test_the_review_asks_which_of_two_unordered_forecasts_is_current():
    import pandas as pd

    from socialstudy.tools.review_prose import _forecasts_to_order
    got = pd.DataFrame({"measure": ["forecast_budget_deviation"] * 2, "fiscal_year": [2025] * 2,
                        "source_line": [7, 5]})
    (item,) = _forecasts_to_order(got)
    assert item.status == "needs a decision" and item.detail.startswith(
        "lines 5, 7: 2 full-year forecasts for 2025")
    assert _forecasts_to_order(got.assign(measure=["forecast_budget_deviation", SUPERSEDED])) == []


def test_forecasts_beside_the_year_end_result_are_superseded_by_it_dated_by_their_words():
    """Region Gotland 2017 (tests/fixtures/real/gotland_2017_news_bokslut): line 5 quotes the
    June and autumn forecasts in one sentence ('i juni varnade förvaltningen för minus 30
    miljoner och under hösten för minus 20 miljoner'); line 3 gives the year-end result
    (underskott 8,6). Both forecasts are superseded by line 3, each dated by its own quote,
    not by the sentence's one month."""
    lines = (ROOT / "gotland_2017_news_bokslut/report.txt").read_text(
        encoding="utf-8").split("\n")

    def fact(line: int, quote: str, measure: str, value: str) -> Fact:
        return Fact("gotland", "Gotland", 2017, "full_year", "", "", "", measure, "", value,
                    "tkr", "mnkr", 1, "", "prose", "g.txt", line,
                    lines[line - 1].index(quote) + 1, quote)

    result = fact(3, "underskott på 8,6 miljoner kronor", "budget_deviation", "-8600")
    june = fact(5, "i juni varnade förvaltningen för minus 30 miljoner",
                "forecast_budget_deviation", "-30000")
    autumn = fact(5, "under hösten för minus 20 miljoner", "forecast_budget_deviation", "-20000")
    got = supersede([result, june, autumn], lines)
    assert [(f.measure, f.value, f.source_line, f.note) for f in got] == [
        ("budget_deviation", "-8600", 3, ""),
        (SUPERSEDED, "-30000", 5,
         "forecast made 'i juni' (June), superseded by the year-end result (line 3)"),
        (SUPERSEDED, "-20000", 5,
         "forecast made 'under hösten' (autumn), superseded by the year-end result (line 3)")]
    assert supersede([june, autumn], lines) == [june, autumn]  # no result: both current


def test_undated_twin_forecasts_in_one_sentence_are_listed_for_review_not_guessed():
    """Gotland's line 5 without its date words ('varnade förvaltningen för minus 30 miljoner
    och sedan för minus 20 miljoner'): the first reads once and is proposed; the second's
    wording 'för minus {n} miljoner' stands twice, so no row is proposed and the review
    lists it as a decision with line 5. Line 11's '20 miljoner kronor' (the 2018 budget
    increase) is neither."""
    from types import SimpleNamespace

    from socialstudy.crosswalks.wording import LineIndex
    from socialstudy.tools.review_prose import _proposals
    lines = (ROOT / "gotland_2017_news_bokslut/report.txt").read_text(
        encoding="utf-8").split("\n")
    lines[4] = lines[4].replace("i juni ", "").replace("under hösten ", "sedan ")
    report = SimpleNamespace(municipality="Region Gotland", document_type="annual_report",
                             period="full_year", fiscal_year=2017, file="g.txt")
    first, second = _proposals(report, LineIndex(lines), 5, lines[4], True)
    assert first.detail.startswith("line 5: 'varnade förvaltningen för minus 30 miljoner'")
    assert first.proposal.startswith("Region Gotland,annual_report,varnade förvaltningen för minus "
                                "{n} miljoner,,0,full_year,finance,forecast_budget_deviation,")
    assert second.status == "needs a decision" and not second.proposal
    assert second.detail.startswith("line 5: 'för minus 20 miljoner' (forecast warned of "
                                    "(minus N miljoner)): its wording does not stand once")
    assert _proposals(report, LineIndex(lines), 11, lines[10], True) == []
