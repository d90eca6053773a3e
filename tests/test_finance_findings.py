"""The finance sentences against the real reports (issue 17 items 3 and 5): a growth rate
whose previous-year net cost the report does not print says it is derived and cites every
line summed; a budget top-up the report names is stated where the one-offs are listed."""

from __future__ import annotations

import pytest

from socialstudy import paths
from socialstudy.core.registry import load_registry
from socialstudy.core.scope import resolve
from socialstudy.measures.tabular import load_facts
from socialstudy.narrative import findings, findings_finance

HUDDINGE = "002_ed79cea0b5e49fc0.txt"


@pytest.fixture(scope="module")
def run():
    processed = paths.Outputs().processed
    reports = load_registry()
    return reports, load_facts(processed), findings.load(processed)


def _finance(run, year: str, municipality: str) -> str:
    reports, facts, tables = run
    return findings_finance.finance(resolve(year, municipality, reports, facts), tables, reports)


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
    # Huddinge 2024: 6.6 % as printed, both totals at line 461
    text = _finance(run, "latest", "Huddinge")
    assert _bullet(text, "* Huddinge 2024: net cost") == (
        f"* Huddinge 2024: net cost grew 6.6 % on the previous year, as printed "
        f"[{HUDDINGE}:461].")


def test_a_named_top_up_stands_where_the_one_offs_are_listed(run):
    # Huddinge 2024 names no one-off cost but a 20 mnkr budget top-up at line 680
    # ("Socialnämnden har fått en budgetförstärkning om 20 miljoner kronor"): +4 488 tkr
    # becomes −15 512 tkr on a budget of 481 533 tkr without it (deviation_adjusted.csv)
    line = (paths.RAW / HUDDINGE).read_text(encoding="utf-8").splitlines()[679]
    assert line.startswith("Socialnämnden har fått en budgetförstärkning om 20 miljoner kronor")
    text = _finance(run, "latest", "Huddinge")
    bullet = _bullet(text, "* Huddinge 2024: the report names no one-off")
    assert bullet == (
        "* Huddinge 2024: the report names no one-off cost item but a budget top-up – budget "
        "reinforcement 'Omställning av socialtjänsten' (20 mnkr), +20.0 mnkr "
        f"[{HUDDINGE}:680]; without it the deviation would be -15.5 mnkr (-3.2 % of the "
        "budget less the top-up) instead of +4.5 mnkr.")
    assert "one-off items not reported" not in text


def test_a_buffer_named_beside_a_one_off_is_listed_with_it(run):
    # Haninge 2024: the one-off (+39.7 mnkr, line 353) and the unspent reserve (+8.7 mnkr,
    # line 374, amount at 368); without both −71.9 mnkr becomes −120.3 mnkr (−10.27 %)
    text = _finance(run, "latest", "Haninge")
    bullet = _bullet(text, "* Haninge 2024: the report names a one-off item")
    assert bullet.endswith(
        "It also names a buffer – unspent committee reserve (nämndreserv budgeted at 10.0 "
        "mnkr), +8.7 mnkr [000_7601200e7e1b7bea.txt:368, 374]; without all the items it "
        "names the deviation would be -120.3 mnkr (-10.3 % of the budget) instead of "
        "-71.9 mnkr.")
