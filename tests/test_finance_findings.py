"""The finance sentences against the real reports (issue 17 items 3 and 5): a growth rate
whose previous-year net cost the report does not print says it is derived and cites every
line summed; a budget top-up the report names is stated where the one-offs are listed; the
growth without Haninge's one-off is a derived number citing every line used; a named item
whose year has no deviation or growth keeps its row with a reason; a year the report read
is not about says what that report names, not "not reported"."""

from __future__ import annotations

import committed
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
    reports = load_registry()
    return reports, load_facts(processed), committed.tables()


def _finance(run, year: str, municipality: str) -> str:
    reports, facts, tables = run
    return committed.finance(resolve(year, municipality, reports, facts), tables, reports)


def _bullet(text: str, start: str) -> str:
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert len(found) == 1, text
    return found[0]


def test_growth_on_a_derived_previous_year_says_derived_and_cites_its_lines(run):
    tables = run[2]
    # Huddinge 2023: 466 299 tkr (line 461) on 420 111 tkr for 2022, which the report does
    # not print as a total: the sum of the 2022 activity lines 511 … 668 (10.99 %)
    row = tables["net_cost_growth"]
    row = row[(row.doc_id == "huddinge_2024_vb") & (row.fiscal_year == 2023)].iloc[0]
    assert (row.net_cost_tkr, row.prior_net_cost_tkr, row.change_pct, row.source_line) == (
        "466299", "420111", "10.99", "461")
    assert row.prior_basis.startswith("derived")
    assert row.prior_source_lines == "511;519;568;583;618;630;650;668"
    text = _finance(run, "2023", "Huddinge")
    assert _bullet(text, "* Huddinge 2023: net cost") == (
        f"* Huddinge 2023: net cost grew 11.0 % on the previous year [{HUDDINGE}:461], "
        "derived: the previous year's net cost (420.1 mnkr) is the sum of its activity lines "
        f"[{HUDDINGE}:511, 519, 568, 583, 618, 630, 650, 668], as the report prints no total "
        "for it.")


def test_growth_on_a_printed_previous_year_says_nothing_derived(run):
    # Huddinge 2024: 6.6 % as printed at 463, both totals at line 461
    text = _finance(run, "latest", "Huddinge")
    assert _bullet(text, "* Huddinge 2024: net cost") == (
        f"* Huddinge 2024: net cost grew 6.6 % on the previous year, as printed "
        f"[{HUDDINGE}:461, 463].")


def test_a_named_top_up_stands_where_the_one_offs_are_listed(run):
    # Huddinge 2024 names no one-off cost but a 20 mnkr budget top-up at line 680
    # ("Socialnämnden har fått en budgetförstärkning om 20 miljoner kronor"): +4 488 tkr
    # becomes −15 512 tkr on a budget of 481 533 tkr without it (deviation_adjusted.csv)
    line = (paths.RAW / HUDDINGE).read_text(encoding="utf-8").splitlines()[679]
    assert line.startswith("Socialnämnden har fått en budgetförstärkning om 20 miljoner kronor")
    text = _finance(run, "latest", "Huddinge")
    bullet = _bullet(text, "* Huddinge 2024: the report names no one-off")
    assert bullet == (
        "* Huddinge 2024: the report names no one-off cost item but a budget top-up: budget "
        "reinforcement 'Omställning av socialtjänsten' (20 mnkr), +20.0 mnkr – spent in "
        f"full: budget 20 000 tkr, outcome 20 000 tkr [{HUDDINGE}:678, 680]; without it the "
        "deviation would be -15.5 mnkr (-3.1 % of the printed budget) instead of +4.5 mnkr.")
    assert "one-off items not reported" not in text


def test_a_buffer_named_beside_a_one_off_is_listed_with_it(run):
    # Haninge 2024: the one-off (+39.7 mnkr, line 353) and the unspent reserve (+8.7 mnkr,
    # line 374, amount at 368); without both −71.9 mnkr becomes −120.3 mnkr (−10.27 %)
    text = _finance(run, "latest", "Haninge")
    bullet = _bullet(text, "* Haninge 2024: the report names a one-off item")
    assert bullet.endswith(
        "It also names a buffer: unspent committee reserve (nämndreserv budgeted at 10.0 "
        "mnkr), +8.7 mnkr [000_7601200e7e1b7bea.txt:368, 374]; without all the items it "
        "names the deviation would be -120.3 mnkr (-10.3 % of the printed budget) instead of "
        "-71.9 mnkr.")


def _line(file: str, number: int) -> str:
    return (paths.RAW / file).read_text(encoding="utf-8").splitlines()[number - 1]


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
        "Without the one-off item the report names (a one-off: refugee grants for earlier years "
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
        ("huddinge_2024_vb", "budget top-up", "20000", "-15512", "-3.09", "derived"),
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


def test_a_prior_year_of_a_report_whose_one_offs_are_unread_claims_nothing(run):
    """Synthetic, in memory: with no named items the sentence lists none; with the report's
    own year 'not mapped' (nobody has read its one-offs) it does not say it names none."""
    reports, facts, tables = run
    scope = resolve("2023", "Huddinge", reports, facts)
    plain = {**tables, "deviation_adjusted": tables["deviation_adjusted"][
        tables["deviation_adjusted"].doc_id != "huddinge_2024_vb"]}
    assert _bullet(findings_finance.finance(scope, plain, reports),
                   "* Huddinge 2023: the report read").endswith(
        "names no one-off item, budget top-up or buffer for 2023.")
    offs = tables["one_off_items"].copy()
    offs.loc[offs.doc_id == "huddinge_2024_vb", ["status", "reason"]] = [
        "not mapped", "not mapped yet – no row in finance_not_reported.csv"]
    text = findings_finance.finance(scope, {**tables, "one_off_items": offs}, reports)
    assert "names no one-off item" not in text
    assert _bullet(text, "* Huddinge 2023: one-off items").startswith(
        "* Huddinge 2023: one-off items not reported – the report read for this year")


def test_key_figure_deviation_cells_state_bound_denominator_and_spending(run):
    """Summary key figures: every % on the printed budget; Strängnäs's 19.7 mnkr buffer is
    the whole Socialkontoret surplus (line 398, credited with vacancies at 423), so the
    deviation without it is a bound; Huddinge's top-up was spent in full (line 678)."""
    from socialstudy.narrative import named_items
    reports, facts, tables = run
    scope = resolve("latest", "all", reports, facts)
    cells = {s.municipality: named_items.deviation_cell(tables["deviation_adjusted"], s)
             for s in scope.selections.values()}
    assert cells == {
        "Haninge": "-10.27 % of the printed budget (without a one-off of 39.7 mnkr and a "
                   "buffer of 8.7 mnkr)",
        "Huddinge": "-3.09 % of the printed budget (without a budget top-up of 20.0 mnkr – "
                    "spent in full: "
                    f"budget 20 000 tkr, outcome 20 000 tkr [{HUDDINGE}:678])",
        "Strängnäs": "at least -6.37 % of the printed budget (without a buffer of at most "
                     "19.7 mnkr)"}
    line = (paths.RAW / HUDDINGE).read_text(encoding="utf-8").splitlines()[677]
    assert line.split("\t") == ["Omställning av socialtjänsten", "20 000", "20 000"]


def test_haninge_growth_sentence_joins_its_quality_notes(run):
    """Haninge 2024: 7.7 % as printed at line 331 (and in words at 333); the activity lines
    367–371 sum to 1149.6 mnkr against the printed 1154.0 (previous year) and 93.7 against
    89.4 (change), line 372: one aside joined by ';', not two parentheses back to back."""
    text = _finance(run, "latest", "all")
    bullet = _bullet(text, "* Haninge 2024: net cost grew 7.7 %")
    assert (f"as printed [{HANINGE}:331, 333] (the previous year's net cost: the report's own "
            f"lines 367–371 sum to 1149.6 mnkr against the printed total of 1154.0 mnkr "
            f"[{HANINGE}:372]; change in net cost: the report's own lines 367–371 sum to 93.7 "
            f"mnkr against the printed total of 89.4 mnkr [{HANINGE}:372]). Without") in bullet
    assert ") (" not in bullet.split(" Without")[0]
    assert findings.one_aside(" (a)") == " (a)" and findings.one_aside("") == ""
