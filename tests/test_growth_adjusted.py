"""The budget deviation and the net-cost growth with and without the items a report names
(issue 17 items 3 and 5): growth without Haninge's one-off as a derived number citing every
line used; a named item whose year has no deviation or growth keeps its row with a reason;
a year the report read is not about says what that report names, not "not reported"."""

from __future__ import annotations

import pytest

from socialstudy import paths
from socialstudy.core import schemas
from socialstudy.core.registry import load_registry
from socialstudy.core.scope import resolve
from socialstudy.measures.adjustments import deviation_adjusted, growth_adjusted
from socialstudy.measures.tabular import load_facts
from socialstudy.narrative import findings, findings_finance

HANINGE = "000_7601200e7e1b7bea.txt"
HUDDINGE = "002_ed79cea0b5e49fc0.txt"


@pytest.fixture(scope="module")
def run():
    processed = paths.Outputs().processed
    return load_registry(), load_facts(processed), findings.load(processed)


def _line(file: str, number: int) -> str:
    return (paths.RAW / file).read_text(encoding="utf-8").splitlines()[number - 1]


def _finance(run, year: str, municipalities: str) -> str:
    reports, facts, tables = run
    return findings_finance.finance(resolve(year, municipalities, reports, facts), tables,
                                    reports)


def _bullet(text: str, start: str) -> str:
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert len(found) == 1, text
    return found[0]


def test_the_raw_lines_behind_haninges_growth_without_its_one_off():
    # the net result 2024 and 2023 (mnkr), the one-off booked as revenue in 2024, and the
    # same amount called a one-off ("engångsbelopp") belonging to 2023 and earlier years
    assert "<b>-1 243,4</b>" in _line(HANINGE, 331) and "<b>-1 154,0</b>" in _line(HANINGE, 331)
    assert ("statsbidrag motsvarande 39,7 miljoner kronor intäktsfördes under 2024, vilka var "
            "hänförliga till tidigare år") in _line(HANINGE, 353)
    assert "engångsbelopp motsvarande 39,7 miljoner kronor" in _line(HANINGE, 378)


def test_haninges_growth_without_its_one_off_is_derived_with_its_lines(run):
    # (1 243 400 + 39 700) / 1 154 000 − 1 = 11.19 %, against 7.75 % with it
    table = run[2]["growth_adjusted"]
    assert list(table.doc_id) == ["haninge_2024_ar"]  # the only one-off the reports name
    row = table.iloc[0]
    assert (row.fiscal_year, row.effect_tkr, row.net_cost_tkr, row.prior_net_cost_tkr) == (
        2024, "39700", "1243400", "1154000")
    assert (row.change_pct, row.net_cost_without_tkr, row.change_without_pct) == (
        "7.75", "1283100", "11.19")
    assert (row.source_file, row.source_line, row.amount_line, row.net_cost_line,
            row.prior_lines, row.status, row.reason) == (
        HANINGE, "353", "353", "331", "331", "derived", "")


def test_the_growth_sentence_gives_the_number_without_the_one_off(run):
    text = _finance(run, "latest", "all")
    assert _bullet(text, "* Haninge 2024: net cost grew 7.7 %").endswith(
        "Without the one-off item the report names (one-off refugee grants for earlier years "
        "(Migrationsverket) booked as revenue in 2024, +39.7 mnkr "
        f"[{HANINGE}:353]) the net cost would have grown 11.2 % (derived: 1243.4 + 39.7 = "
        f"1283.1 mnkr against 1154.0 mnkr [{HANINGE}:331, 353]).")
    assert "Without the one-off" not in _bullet(text, "* Huddinge 2024: net cost grew")


def test_a_one_off_whose_year_has_no_growth_keeps_its_row(run):
    reports, _, tables = run
    growth = tables["net_cost_growth"]
    growth = growth[growth.doc_id != "haninge_2024_ar"]  # synthetic: no growth for 2024
    table = growth_adjusted(growth, reports)
    assert list(table.status) == ["not reported"]
    assert table.reason.iloc[0] == "the report gives no net-cost growth for 2024"
    assert table.change_without_pct.iloc[0] == "" and table.source_line.iloc[0] == 353
    schemas.validate(table.astype(str), "growth_adjusted")


def test_deviation_adjusted_real_rows(run):
    table = run[2]["deviation_adjusted"]
    assert list(zip(table.doc_id, table.kind, table.effect_tkr, table.deviation_without_tkr,
                    table.deviation_without_pct, table.status)) == [
        ("haninge_2024_ar", "one-off", "39700", "-120300", "-10.27", "derived"),
        ("haninge_2024_ar", "buffer", "8700", "-120300", "-10.27", "derived"),
        ("huddinge_2024_vb", "budget top-up", "20000", "-15512", "-3.22", "derived"),
        ("strangnas_2023_ar", "buffer", "19700", "-55200", "-6.37", "derived")]


def test_a_named_item_whose_year_has_no_deviation_keeps_its_row(run):
    # synthetic, in memory: Huddinge's 2024 deviation as a row without a value (as a report
    # without a budget would give it); its 20 mnkr top-up (line 680) must not drop out
    reports, _, tables = run
    deviation = tables["budget_deviation"].copy()
    mine = (deviation.doc_id == "huddinge_2024_vb") & (deviation.fiscal_year == 2024)
    deviation.loc[mine, ["deviation_tkr", "budget_tkr", "deviation_pct", "status", "reason"]] = [
        "", "", "", "not reported", "the report prints no budget"]
    table = deviation_adjusted(deviation, reports)
    row = table[table.doc_id == "huddinge_2024_vb"].iloc[0]
    assert (row.kind, row.effect_tkr, row.source_line, row.amount_line, row.period) == (
        "budget top-up", "20000", 680, 680, "full_year")
    assert (row.status, row.reason, row.deviation_without_tkr) == (
        "not reported", "the report gives no budget deviation for 2024: the report prints no "
        "budget", "")
    assert (table.status == "derived").sum() == 3  # the other reports' rows are unchanged
    schemas.validate(table.astype(str), "deviation_adjusted")
    # and with no deviation row at all for the year: the reason says the report gives none
    table = deviation_adjusted(deviation[~mine], reports)
    row = table[table.doc_id == "huddinge_2024_vb"].iloc[0]
    assert (row.status, row.reason) == (
        "not reported", "the report gives no budget deviation for 2024")


@pytest.mark.parametrize("municipalities", ["all", "Haninge,Huddinge"])
def test_a_prior_year_says_what_the_report_read_names(run, municipalities):
    """2023 from the 2024 reports: no one-off is named for 2023 (what is true), not
    'one-off items not reported' (which says the report lacks what it is about)."""
    text = _finance(run, "2023", municipalities)
    assert "one-off items not reported" not in text
    assert _bullet(text, "* Haninge 2023: the report read") == (
        "* Haninge 2023: the report read for this year, “Årsredovisning 2024, Socialnämnden” "
        f"({HANINGE}), names no one-off item, budget top-up or buffer for 2023 (the items it "
        "names – a one-off item and a buffer – are for 2024).")
    assert _bullet(text, "* Huddinge 2023: the report read") == (
        "* Huddinge 2023: the report read for this year, “Verksamhetsberättelse 2024, "
        f"Socialnämnd” ({HUDDINGE}), names no one-off item, budget top-up or buffer for 2023 "
        "(the item it names – a budget top-up – is for 2024).")
    assert "39.7" not in text  # a 2024 amount stays out of a 2023 selection
    assert "Haninge 2023: net-cost growth not reported – the report read for this year, " \
           "“Årsredovisning 2024, Socialnämnden”, does not give it for 2023." in text


def test_an_interim_report_keeps_its_own_reason(run):
    text = _finance(run, "2020", "all")
    assert _bullet(text, "* Haninge 2020 (January–April only): one-off items").startswith(
        "* Haninge 2020 (January–April only): one-off items not reported – interim report: "
        "names no one-off item")
