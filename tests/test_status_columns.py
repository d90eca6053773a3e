"""Status carried by the tables (issue 14, item 4): every measure table says, row by row,
whether it holds the report's figure and, where it does not, why – written where the
measure is computed, so that sentences and figures read ``status`` and ``reason`` and never
work out themselves why a value is missing. The columns were added without changing a value
(the committed tables were compared before and after, column for column); here the rule
itself is checked on every committed row, a few real rows are pinned with their lines, and
a committee no crosswalk covers yet is followed from the measures to the sentences."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from socialstudy import paths
from socialstudy.core import schemas
from socialstudy.core.registry import load_registry
from socialstudy.core.scope import resolve
from socialstudy.measures import compare, outcomes, staffing
from socialstudy.measures.finance_tables import BUILDERS, finance_tables
from socialstudy.measures.tabular import HAS_VALUE, NOT_MAPPED, load_facts
from socialstudy.narrative import findings_cost, findings_finance, findings_outcomes, summary

PROCESSED = paths.ROOT / "data" / "processed"
HANINGE, HANINGE_2020 = "000_7601200e7e1b7bea.txt", "001_9c5091bf1d1e3ae2.txt"
HUDDINGE = "002_ed79cea0b5e49fc0.txt"
STRANGNAS = "004_2f72d566b296dc43.txt"

# per table: the columns whose emptiness means the row lacks (part of) its figure
VALUE_COLUMNS = {"cost_by_type": ("value_tkr|share_pct",),
                 "cost_by_activity": ("net_cost_tkr", "budget_tkr", "deviation_tkr"),
                 "budget_deviation": ("deviation_pct",),
                 "goals": ("rank",),
                 "indicators": ("value",),
                 "staffing": ("value",)}


def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / f"{name}.csv", dtype=str, keep_default_na=False)


def _lacks(row: pd.Series, column: str) -> bool:
    return all(row[c] == "" for c in column.split("|"))


@pytest.mark.parametrize("name", sorted(VALUE_COLUMNS))
def test_every_row_without_its_value_has_a_status_and_a_reason(name):
    table = _table(name)
    assert schemas.columns(name)[-2:] == ["status", "reason"] or name == "staffing"
    missing = table[[any(_lacks(r, c) for c in VALUE_COLUMNS[name])
                     for _, r in table.iterrows()]]
    assert not missing.status.isin(HAS_VALUE).any(), missing.head()
    assert (missing.reason != "").all(), missing.head()
    # and the other way round: a row that holds its figure gives no reason (nothing to explain)
    full = table[table.status.isin(HAS_VALUE)]
    assert (full.reason == "").all() and len(full)


def test_the_status_words_of_the_committed_tables():
    assert set(_table("cost_by_type").status) == {"reported"}
    assert set(_table("cost_by_activity").status) == {"reported", "partly reported"}
    assert set(_table("budget_deviation").status) == {"derived", "reported", "not reported"}
    assert set(_table("goals").status) == {"reported", "not assessed"}
    assert set(_table("indicators").status) == {"reported"}


def _row(name: str, **key) -> pd.Series:
    table = _table(name)
    for column, value in key.items():
        table = table[table[column] == str(value)]
    assert len(table) == 1, key
    return table.iloc[0]


def test_cost_by_type_rows_with_their_lines():
    # Haninge 2024 income statement: "Kostnader för bidrag -156,4" (mnkr) at line 346
    row = _row("cost_by_type", doc_id="haninge_2024_ar", fiscal_year=2024,
               category="grants_paid")
    assert (row.value_tkr, row.raw, row.source_file, row.source_line) == (
        "156400", "-156,4", HANINGE, "346")
    assert (row.status, row.reason) == ("reported", "")
    # Strängnäs 2022: only a share in running text, "25 procent" at line 572 – reported,
    # though it has no amount
    row = _row("cost_by_type", doc_id="strangnas_2023_ar", fiscal_year=2022,
               category="purchased_services")
    assert (row.value_tkr, row.share_pct, row.value_status, row.source_line) == (
        "", "25", "share only (prose)", "572")
    assert (row.status, row.reason) == ("reported", "")


def test_cost_by_activity_rows_with_their_lines():
    # Haninge's Jan–Apr 2020 report prints only a 2020 budget for the common administration
    # (62 145 tkr, line 284): partly reported, the reason naming what is missing
    row = _row("cost_by_activity", doc_id="haninge_2020_d1", period="full_year",
               source_line=284)
    assert (row.budget_tkr, row.net_cost_tkr, row.status) == ("62145", "", "partly reported")
    assert row.reason == row.note == ("not reported: net cost, deviation (the table prints "
                                      "none for 2020 full-year)")
    # Huddinge 2024 "Årets resultat", line 505: net cost 497 046, budget 501 533, +4 488
    row = _row("cost_by_activity", doc_id="huddinge_2024_vb", fiscal_year=2024,
               source_line=505)
    assert (row.net_cost_tkr, row.budget_tkr, row.deviation_tkr) == ("497046", "501533", "4488")
    assert (row.status, row.reason, row.source_file) == ("reported", "", HUDDINGE)


def test_budget_deviation_rows_with_their_lines():
    # computed from Haninge's 2024 total at line 372: −71 900 of 1 171 500 = −6.14 %
    row = _row("budget_deviation", doc_id="haninge_2024_ar", fiscal_year=2024)
    assert (row.deviation_pct, row.source_line, row.status) == ("-6.14", "372", "derived")
    # Huddinge prints only the 2023 percentage (−1 %) at line 341
    row = _row("budget_deviation", doc_id="huddinge_2024_vb", fiscal_year=2023)
    assert (row.deviation_pct, row.pct_source, row.source_line, row.status) == (
        "-1", "printed by the report", "341", "reported")


def test_goal_and_indicator_rows_with_their_lines():
    # Haninge Jan–Apr 2020 assesses contributions, not attainment (line 46): no rank
    row = _row("goals", goal_id="haninge_2020_kf1")
    assert (row.level, row["rank"], row.source_line, row.status) == (
        "not_assessed", "", "46", "not assessed")
    assert "'Nämnden bedöms bidra till samtliga fyra mål'" in row.reason
    row = _row("goals", goal_id="huddinge_2024_a1")
    assert (row.status_text, row["rank"], row.source_line, row.status) == (
        "Klart", "4", "157", "reported")
    # Huddinge 2024: 43 % against an interim target of 90 % (line 203)
    row = _row("indicators", doc_id="huddinge_2024_vb", fiscal_year=2024,
               indicator="Andel vuxna som fullföljt insats för att lämna en kriminell bana (%) *")
    assert (row.value, row.target, row.attainment, row.source_line, row.status) == (
        "43", "90", "not met", "203", "reported")


def test_comparable_core_says_why_a_figure_is_missing():
    core = _table("comparable_core")
    lacking = core[((core.row_kind == "core") & ((core.core_low_tkr == "")
                                                  | (core.per_inhabitant_low_kr == "")))
                   | ((core.row_kind == "line") & (core.net_cost_tkr == ""))]
    assert len(lacking) and (lacking.reason != "").all()
    # Strängnäs 2023: core 2.0–415.3 mnkr (only the committee's own line 397 in; the office
    # and administration lines 398, 404 serve all six areas, IFO 400 may carry economic
    # assistance, 004:572) from the total at line 405, but no population for 2023, so no
    # per-inhabitant figure – said in reason
    row = _row("comparable_core", doc_id="strangnas_2023_ar", row_kind="core")
    assert (row.core_low_tkr, row.core_high_tkr, row.source_line, row.status) == (
        "2000", "415300", "405", "range")
    assert row.reason == "population on 31 December 2023 not available"
    # Huddinge 2024: complete, 406.8 mnkr of 497.0 (line 505), 3 559 kr per inhabitant
    row = _row("comparable_core", doc_id="huddinge_2024_vb", row_kind="core")
    assert (row.core_low_tkr, row.per_inhabitant_low_kr, row.source_line, row.reason) == (
        "406803", "3559", "505", "")


def test_deviation_adjusted_rows_with_their_lines():
    """Every row is computed from the printed deviation and the item's amount: 'derived'."""
    assert schemas.columns("deviation_adjusted")[-2:] == ["status", "reason"]
    table = _table("deviation_adjusted")
    assert set(table.status) == {"derived"} and set(table.reason) == {""}
    # Huddinge 2024: a 20 mnkr budget top-up ("budgetförstärkning om 20 miljoner kronor",
    # line 680), spent in full (line 678: Budget 20 000, Utfall 20 000); without it +4 488
    # tkr becomes −15 512, −3.09 % of the printed budget 501 533 (the one denominator)
    row = _row("deviation_adjusted", doc_id="huddinge_2024_vb", fiscal_year=2024)
    assert (row.kind, row.effect_tkr, row.source_file, row.source_line, row.amount_line) == (
        "budget top-up", "20000", HUDDINGE, "680", "680")
    assert (row.deviation_tkr, row.deviation_without_tkr, row.budget_without_tkr,
            row.deviation_without_pct, row.status, row.reason) == (
        "4488", "-15512", "481533", "-3.09", "derived", "")
    assert (row.effect_is, row.remark_line, row.deviation_without_is) == ("exact", "678", "exact")
    assert row.remark == "spent in full: budget 20 000 tkr, outcome 20 000 tkr"
    # Strängnäs 2023: 19.7 mnkr is the whole Socialkontoret surplus (line 398); line 423
    # credits it to "buffertarna på ledning samt vakanta tjänster": an upper bound
    row = _row("deviation_adjusted", doc_id="strangnas_2023_ar", fiscal_year=2023)
    assert (row.effect_tkr, row.effect_is, row.amount_line, row.remark_line,
            row.deviation_without_tkr, row.deviation_without_is, row.deviation_without_pct) == (
        "19700", "at most", "398", "423", "-55200", "at least", "-6.37")


def test_an_unreadable_cost_cell_keeps_its_reason_out_of_raw():
    assert "not reported" not in set(_table("cost_by_type").raw)
    assert "reason" in schemas.columns("cost_by_type")


# --- a committee no crosswalk covers yet: 'not mapped' from the measure to the sentence ------

@pytest.fixture(scope="module")
def renamed():
    """Huddinge's report under a name no crosswalk knows ('Nyköping'), so that every
    crosswalk keyed by municipality has no row for it: the measures must say 'not mapped'."""
    reports = load_registry()
    facts = load_facts(PROCESSED)
    old = next(r for r in reports if r.doc_id == "huddinge_2024_vb")
    new = dataclasses.replace(old, municipality="Nyköping")
    reports = [new if r is old else r for r in reports]
    facts.loc[facts.doc_id == old.doc_id, "municipality"] = "Nyköping"
    built = {"goals": outcomes.goals(reports), "indicators": outcomes.indicators(facts),
             "cost_by_type": compare.cost_by_type(facts, reports),
             "staffing": staffing.staffing(facts, reports),
             "cost_by_activity": compare.cost_by_activity(facts, reports)}
    built["budget_deviation"] = compare.budget_deviation(built["cost_by_activity"], facts)
    for name, frame in built.items():
        schemas.validate(frame, name)
    tables = {n: pd.read_csv(pd.io.common.StringIO(schemas.csv_text(f)), dtype=str,
                             keep_default_na=False).assign(fiscal_year=lambda t: t.fiscal_year
                                                           .astype(int))
              for n, f in built.items()}
    return reports, facts, tables


@pytest.mark.parametrize("name,crosswalks", [
    ("cost_by_type", "cost_types.csv has"), ("cost_by_activity", "activities.csv has"),
    ("budget_deviation", "activities.csv has"), ("goals", "goal_assessments.csv has"),
    ("staffing", "staffing_map.csv and prose_facts.csv have")])
def test_a_committee_without_crosswalk_rows_is_not_mapped_in_the_table(renamed, name,
                                                                        crosswalks):
    table = renamed[2][name]
    mine = table[table.municipality == "Nyköping"]
    gone = mine[mine.status == NOT_MAPPED]
    assert len(gone) and 2024 in set(gone.fiscal_year)
    assert set(gone.reason) == {f"not mapped yet – {crosswalks} no row for Nyköping; see "
                                "`python -m socialstudy review huddinge_2024_vb`"}
    assert "not reported" not in set(mine.status)


@pytest.fixture(scope="module")
def renamed_finance():
    """Huddinge's report as Nyköping's under its own doc_id (nykoping_2024_vb): the finance
    crosswalks' rows written for huddinge_2024_vb (must_match_in) no longer apply to it."""
    reports = load_registry()
    facts = load_facts(PROCESSED)
    old = next(r for r in reports if r.doc_id == "huddinge_2024_vb")
    new = dataclasses.replace(old, municipality="Nyköping", doc_id="nykoping_2024_vb")
    reports = [new if r is old else r for r in reports]
    facts.loc[facts.doc_id == old.doc_id, ["municipality", "doc_id"]] = [
        "Nyköping", "nykoping_2024_vb"]
    built = finance_tables(facts, reports)
    for name, frame in built.items():
        schemas.validate(frame, name)
    return reports, facts, {n: f.assign(fiscal_year=f.fiscal_year.astype(int))
                            for n, f in built.items()}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_committee_without_finance_crosswalk_rows_is_not_mapped(renamed_finance, name):
    """The finance tables say 'not mapped' themselves (issue 14 item 4): a committee that
    finance_tables.csv and finance_prose.csv (staffing_detail.csv for staffing detail) do
    not cover has no 'not reported' row, which would claim its report lacks the figure."""
    table = renamed_finance[2][name]
    mine = table[table.municipality == "Nyköping"]
    crosswalks = ("staffing_detail.csv has" if name == "staffing_detail"
                  else "finance_tables.csv and finance_prose.csv have")
    assert len(mine) and set(mine.status) == {NOT_MAPPED}, mine[["status", "reason"]]
    assert set(mine.reason) == {f"not mapped yet – {crosswalks} no row for Nyköping; "
                                "add its rows as the README's 'Adding a report' describes"}
    # the real Huddinge, mapped, keeps its figures and its 'not reported' rows
    assert NOT_MAPPED not in set(_table(name).status)


def test_the_finance_sentences_read_not_mapped_from_the_tables(renamed_finance):
    reports, facts, tables = renamed_finance
    scope = resolve("latest", "Nyköping", reports, facts)
    why = ("not mapped yet – finance_tables.csv and finance_prose.csv have no row for "
           "Nyköping; add its rows as the README's 'Adding a report' "
           "describes.")
    text = findings_finance.finance(scope, tables, reports).splitlines()
    assert text == [f"* Nyköping 2024: {what} {why}" for what in (
        "budget per cost type", "revenue as a share of gross cost", "net-cost growth",
        "one-off items", "investment budget and outcome", "forecast accuracy",
        "net cost per inhabitant")]
    assert findings_finance.staffing_detail(scope, tables, reports) == (
        "* Nyköping 2024: no staffing detail; not mapped yet – staffing_detail.csv has no row "
        "for Nyköping; add its rows as the README's 'Adding a report' "
           "describes.")


def test_the_sentences_read_not_mapped_from_the_tables(renamed):
    reports, facts, tables = renamed
    scope = resolve("latest", "Nyköping", reports, facts)
    why = "has no row for Nyköping; see `python -m socialstudy review huddinge_2024_vb`."
    assert findings_cost.cost_types(scope, tables, reports) == (
        f"* Nyköping 2024: not mapped yet – cost_types.csv {why}")
    assert findings_cost.activities(scope, tables, reports) == (
        f"* Nyköping 2024: not mapped yet – activities.csv {why}")
    assert findings_cost.deviation(scope, tables, reports).startswith(
        f"* Nyköping 2024: not mapped yet – activities.csv {why}")
    goals = findings_outcomes.goals(scope, tables, reports)
    assert goals == f"* Nyköping 2024: not mapped yet – goal_assessments.csv {why}"
    # the prose figures stay (facts.csv holds them); the rest of staffing is not mapped
    assert "own resignations not mapped yet – staffing_map.csv and prose_facts.csv have no " \
        "row for Nyköping" in findings_outcomes.staffing(scope, tables, reports)


def test_the_key_figures_read_not_mapped_from_the_tables(renamed):
    reports, facts, tables = renamed
    sel = resolve("latest", "Nyköping", reports, facts).selections["Nyköping"]
    pick = {n: summary._pick(t, sel) for n, t in tables.items()}
    for name in ("cost_by_activity", "budget_deviation", "cost_by_type", "goals", "staffing"):
        assert summary._absent(sel, pick[name]) == summary.NOT_MAPPED_YET, name
    # the seed's Huddinge, mapped, has no 'not mapped' row: a gap there is 'not reported'
    real = resolve("latest", "Huddinge", load_registry(), load_facts(PROCESSED))
    huddinge = real.selections["Huddinge"]
    assert summary._absent(huddinge, summary._pick(_table("goals").assign(
        fiscal_year=lambda t: t.fiscal_year.astype(int)), huddinge)) == "not reported"


SENTENCES_AND_FIGURES = sorted([*(paths.PACKAGE / "narrative").glob("*.py"),
                                *(paths.PACKAGE / "figures").glob("*.py")])
DECIDES = re.compile(r"\bunmapped\(|import[^\n]*\bunmapped\b|\(\s*\n?\s*unmapped,|"
                     r"(startswith|endswith)\(\s*[\"']not (mapped|reported)|"
                     r"[\"']not (mapped|reported)[^\"']*[\"'] in \w")


@pytest.mark.parametrize("path", SENTENCES_AND_FIGURES, ids=lambda p: p.name)
def test_no_sentence_or_figure_decides_why_a_value_is_missing(path: Path):
    """They read status and reason; none asks the crosswalks (``unmapped``) nor recognises
    a case from a reason's wording – findings_finance.py included, now that the finance
    tables write 'not mapped' themselves."""
    assert "findings_finance.py" in {p.name for p in SENTENCES_AND_FIGURES}
    assert DECIDES.findall(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_display_time_decision():
    assert DECIDES.search("from socialstudy.crosswalks.loader import unmapped")
    assert DECIDES.search("    why = unmapped(sel.municipality, sel.doc_id, 'x.csv')")
    assert DECIDES.search('    if reason.startswith("not mapped yet"):')
    assert not DECIDES.search('    return words if row.fit == "unmapped" else words')


def test_a_year_with_net_cost_and_no_deviation_says_why():
    """Haninge's 2024 report prints 2023's outcome (line 372: '-1 154,0' in the Utfall 2023
    column) but no 2023 budget or deviation: budget_deviation says 'not reported' with that
    line, where before the year had no row and the 2023 run's Figure 3 said 'not reported'
    without a reason."""
    table = _table("budget_deviation")
    row = table[(table.municipality == "Haninge") & (table.fiscal_year == "2023")]
    assert row[["status", "source_line", "deviation_pct"]].values.tolist() == [
        ["not reported", "372", ""]]
    assert "2023 net cost (line 372) but no budget or deviation" in row.reason.iloc[0]
    line = (paths.RAW / row.source_file.iloc[0]).read_text(encoding="utf-8").splitlines()[371]
    assert "-1 154,0" in line and "Socialnämnden" in line
