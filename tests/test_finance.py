"""Finance measures and staffing detail, tied to values printed in the reports (file and
line), with the not-reported paths, subsets, a report with none of the measures and a
next-year report of a known committee."""

import dataclasses
import re
from decimal import Decimal

import pandas as pd
import pytest
from conftest import one
from seeds import of_seeds, seed_reports

from socialstudy import paths
from socialstudy.core.registry import by_doc_id
from socialstudy.core.scope import resolve
from socialstudy.crosswalks.specs import SPECS
from socialstudy.errors import CrosswalkError, PopulationError
from socialstudy.extract.tables import read_lines
from socialstudy.measures import finance_anchors, finance_events, finance_tables, per_inhabitant
from socialstudy.measures.staffing_detail import staffing_detail
from socialstudy.narrative import findings_finance

HANINGE, HUDDINGE, STRANGNAS = ("000_7601200e7e1b7bea.txt", "002_ed79cea0b5e49fc0.txt",
                                "004_2f72d566b296dc43.txt")


@pytest.fixture(scope="module")
def tables(numbered_facts, reports):
    return finance_tables.finance_tables(numbered_facts, reports)


def raw_line(file, line):
    return read_lines(paths.RAW / file)[int(line) - 1]


# --- budget per cost type ---------------------------------------------------------------------

def test_haninge_purchased_services_drive_the_deficit(tables):
    # 000_…txt line 347: Köp av tjänster -610,5 | -549,5 | -61,0; net deviation -71,9 (351)
    row = one(tables["budget_by_cost_type"], doc_id="haninge_2024_ar",
              report_label="Köp av tjänster")
    assert (row.budget_tkr, row.outcome_tkr, row.deviation_tkr) == ("549500", "610500", "-61000")
    assert (row.driver_rank, row.share_of_net_deviation_pct, row.source_line) == (1, "84.84", 347)
    assert row.raw_outcome == "-610,5" and row.raw_outcome in raw_line(HANINGE, 347)
    net = one(tables["budget_by_cost_type"], doc_id="haninge_2024_ar", category="net_result")
    assert (net.outcome_tkr, net.deviation_tkr) == ("1243400", "-71900")


def test_huddinge_revenue_and_personnel_drive_the_surplus(tables):
    # 002_…txt line 454: Verksamhetens intäkter 41 974 | 49 339 | 7 365; line 455 Personal
    frame = tables["budget_by_cost_type"]
    revenue = one(frame, doc_id="huddinge_2024_vb", report_label="Verksamhetens intäkter")
    personnel = one(frame, doc_id="huddinge_2024_vb", report_label="Personal")
    assert (revenue.driver_rank, revenue.deviation_tkr) == (1, "7365")
    assert (personnel.driver_rank, personnel.deviation_tkr, personnel.source_line) == (
        2, "6326", 455)
    assert set(frame[frame.status == "reported"].deviation_check) == {"agrees"}


def test_cost_types_without_budget_are_not_reported_with_reason(tables):
    frame = tables["budget_by_cost_type"]
    # 004_…txt line 396: the per-activity table's header; 001_…txt line 294: the caption of
    # the per-department table (its header row 'Budgetansvar' stands in six tables)
    for doc_id, cited in (("strangnas_2023_ar", "line 396"), ("haninge_2020_d1", "line 294")):
        row = one(frame, doc_id=doc_id)
        assert row.status == "not reported" and cited in row.reason
        assert row.budget_tkr == row.outcome_tkr == row.deviation_tkr == ""


# --- revenue, grants, growth ------------------------------------------------------------------

def test_revenue_and_grant_dependence(tables):
    frame = tables["revenue_dependence"]
    # Haninge 2024: revenue 325,7 (line 329) of gross cost 1 569,1 (line 330); grants 222,6 (341)
    assert one(frame, doc_id="haninge_2024_ar", fiscal_year=2024,
               measure="revenue_share_of_gross_cost_pct").value == "20.76"
    grants = one(frame, doc_id="haninge_2024_ar", fiscal_year=2024, measure="grants_tkr")
    assert (grants.value, grants.source_line) == ("222600", 341)
    assert one(frame, doc_id="haninge_2024_ar", fiscal_year=2024,
               measure="grants_share_of_gross_cost_pct").value == "14.19"
    # Huddinge: revenue 49 339 vs 63 622; the text says -22,4 procent (line 469)
    change = one(frame, doc_id="huddinge_2024_vb", fiscal_year=2024, measure="revenue_change_pct")
    assert change.value == "-22.45" and "-22,4 procent" in raw_line(HUDDINGE, 469)
    assert (change.printed_value, change.check, change.other_lines) == ("-22.4", "agrees", "469")
    # Haninge's text (line 355) says +16,6 %; its income statement gives 291,6 -> 325,7 (+11,7 %)
    haninge = one(frame, doc_id="haninge_2024_ar", fiscal_year=2024, measure="revenue_change_pct")
    assert (haninge.value, haninge.printed_value, haninge.check) == ("11.69", "16.6", "differs")
    assert "16,6 procent" in raw_line(HANINGE, 355)
    missing = one(frame, doc_id="strangnas_2023_ar", measure="revenue_change_pct")
    assert missing.status == "not reported" and "shares" in missing.reason and missing.value == ""


def test_net_cost_growth_agrees_with_the_printed_change(tables):
    frame = tables["net_cost_growth"]
    haninge = one(frame, doc_id="haninge_2024_ar")
    assert (haninge.net_cost_tkr, haninge.change_tkr, haninge.change_pct) == ("1243400", "89400",
                                                                               "7.75")
    assert haninge.change_check == "agrees" and "1 243,4" in raw_line(HANINGE, haninge.source_line)
    strangnas = one(frame, doc_id="strangnas_2023_ar")
    assert (strangnas.prior_net_cost_tkr, strangnas.change_pct, strangnas.source_line) == (
        "790500", "14.18", 428)
    # the 14.2 % is printed in the prose at 430, not in the table at 428 (review N7)
    assert (strangnas.printed_change_pct, strangnas.printed_source_line) == ("14.2", 430)
    assert "14,2 procent" in raw_line(STRANGNAS, 430)
    assert one(frame, doc_id="haninge_2020_d1").status == "not reported"


# --- one-off items and forecasts --------------------------------------------------------------

def test_haninge_one_off_grants_and_deviation_without_them(tables):
    row = one(tables["one_off_items"], doc_id="haninge_2024_ar")
    assert (row.amount_tkr, row.source_line, row.other_lines) == ("39700", 353, "378;386")
    assert row.quote in raw_line(HANINGE, 353) and "39,7" in raw_line(HANINGE, 378)
    assert (row.deviation_tkr, row.deviation_excl_one_offs_tkr) == ("-71900", "-111600")
    huddinge = one(tables["one_off_items"], doc_id="huddinge_2024_vb")
    assert huddinge.status == "not reported" and "vite" in huddinge.reason
    assert "vite om -1,0 miljoner" in raw_line(HUDDINGE, 487)


def test_forecast_accuracy(tables):
    frame = tables["forecast_accuracy"]
    # 000_…txt line 386: forecast 1 274,5, outcome 1 243,4, "31,1 miljoner kronor ... bättre"
    haninge = one(frame, doc_id="haninge_2024_ar")
    assert (haninge.forecast_deviation_tkr, haninge.error_tkr, haninge.error_check) == (
        "-103000", "31100", "agrees")
    august = one(frame, doc_id="strangnas_2023_ar", forecast_made="Augusti")
    assert (august.forecast_deviation_tkr, august.error_tkr, august.error_check) == (
        "-21100", "-14400", "agrees")
    assert august.source_line == 499 and "-21.1" in raw_line(STRANGNAS, 499)
    assert one(frame, doc_id="huddinge_2024_vb").status == "derived"
    interim = one(frame, forecast_doc_id="haninge_2020_d1")
    assert interim.status == "not reported" and "not in the registry" in interim.reason
    assert (interim.forecast_deviation_tkr, interim.error_tkr) == ("-26000", "")


def test_template_year_slot_and_signed_number_slot(monkeypatch, reports):
    """A finance template is a wording (crosswalks.wording): {year} is the fiscal year plus
    the row's year_offset, and {n} keeps its printed minus (Huddinge 2024, line 469:
    'Intäkterna har minskat med -22,4 procent jämfört med 2023 vilket beror …')."""
    row = SPECS["finance_prose.csv"].row(
        municipality="Huddinge", topic="t", item="x", unit="percent", sign="+",
        template="Intäkterna har minskat med {n} procent jämfört med {year} vilket beror",
        year_offset="-1", stated_value="", must_match_in="huddinge_2024_vb", definition="",
        line=9)
    monkeypatch.setattr(finance_anchors, "read_crosswalk", lambda *a, **k: [row])
    huddinge = [by_doc_id(reports)["huddinge_2024_vb"]]
    [anchor] = finance_anchors.prose_anchors(huddinge, "t")
    assert (anchor.value, anchor.line, anchor.year) == (Decimal("-22.4"), 469, 2023)
    assert "-22,4 procent" in raw_line(HUDDINGE, 469)
    monkeypatch.setattr(finance_anchors, "read_crosswalk", lambda *a, **k: [
        dataclasses.replace(row, year_offset="0")])  # 2024 is not printed there
    with pytest.raises(CrosswalkError, match="not found"):
        finance_anchors.prose_anchors(huddinge, "t")


def test_ambiguous_or_missing_template_stops_the_run(monkeypatch, reports):
    row = SPECS["finance_prose.csv"].row(
        municipality="Haninge", topic="one_off", item="x", template="{n} procent",
        year_offset="0", unit="percent", sign="+", stated_value="",
        must_match_in="haninge_2024_ar", definition="", line=9)
    monkeypatch.setattr(finance_anchors, "read_crosswalk", lambda *a, **k: [row])
    haninge = [by_doc_id(reports)["haninge_2024_ar"]]
    with pytest.raises(CrosswalkError, match="matches .* times"):
        finance_anchors.prose_anchors(haninge, "one_off")
    row = dataclasses.replace(row, template="ingen sådan mening {n} finns")
    with pytest.raises(CrosswalkError, match="not found"):
        finance_anchors.prose_anchors(haninge, "one_off")


# --- investments, per inhabitant --------------------------------------------------------------

def test_investments(tables):
    frame = tables["investments"]
    haninge = one(frame, doc_id="haninge_2024_ar")  # line 395: -2,9 | -17,7 | 14,7 | 16,5%
    assert (haninge.budget_tkr, haninge.outcome_tkr, haninge.printed_spent_pct) == (
        "17700", "2900", "16.5")
    interim = one(frame, doc_id="haninge_2020_d1")  # line 559: 1 437 of 13 903, Jan-Apr
    assert (interim.outcome_tkr, interim.outcome_period, interim.deviation_tkr) == (
        "1437", "jan_apr", "")
    strangnas = one(frame, doc_id="strangnas_2023_ar")  # line 583, the year's columns
    assert (strangnas.budget_tkr, strangnas.outcome_tkr, strangnas.deviation_tkr) == (
        "15100", "13600", "1500")


def test_net_cost_per_inhabitant(tables, reports):
    frame = tables["per_inhabitant"]
    # 1 243,4 mnkr (line 331) / 100 895 inhabitants (SCB, 31 Dec 2024)
    row = one(frame, doc_id="haninge_2024_ar", fiscal_year=2024)
    assert (row.population, row.net_cost_per_inhabitant_kr, row.source_line) == (100895, "12324",
                                                                                 331)
    gap = one(frame, doc_id="strangnas_2023_ar", fiscal_year=2023)
    assert gap.status == "not available" and gap.net_cost_per_inhabitant_kr == ""
    assert "Population data" in gap.reason
    codes = {r.municipality: r.kommun_code for r in reports}
    for (muni, _), pop in per_inhabitant.load_population().items():
        assert pop["kommun_code"] == codes[muni]


def test_population_file_errors_name_the_line(tmp_path):
    bad = tmp_path / "population.csv"
    bad.write_text("municipality,kommun_code,year,population,source\n"
                   "Haninge,136,2024,100895,SCB\n", encoding="utf-8")
    with pytest.raises(PopulationError, match=r"population.csv:2: kommun_code"):
        per_inhabitant.load_population(bad)


# --- staffing detail --------------------------------------------------------------------------

def test_staffing_detail_values(tables):
    frame = tables["staffing_detail"]
    own = one(frame, doc_id="haninge_2024_ar", variable="voluntary_resignations_pct",
              fiscal_year=2024)
    assert (own.value, own.source_line, own.raw) == ("7.77", 447, "7,77")
    assert one(frame, doc_id="haninge_2024_ar", variable="voluntary_resignations_count",
               fiscal_year=2024).value == "61"
    short = one(frame, doc_id="huddinge_2024_vb", variable="sick_leave_short_pct", breakdown="all")
    assert (short.value, short.source_line, short.period) == ("2.3", 782, "r12_nov")
    derived = one(frame, doc_id="haninge_2024_ar", variable="sick_leave_short_pct",
                  fiscal_year=2024)
    assert (derived.value, derived.status, derived.other_lines) == ("3.19", "derived", "466")
    old = one(frame, doc_id="huddinge_2024_vb", variable="hired_staff_cost_tkr", fiscal_year=2023)
    assert (old.value, old.source_line) == ("3300", 439) and old.raw in raw_line(HUDDINGE, 439)
    none = one(frame, doc_id="huddinge_2024_vb", variable="hired_staff_cost_tkr", fiscal_year=2024)
    assert none.value == "0" and "inte haft kostnader" in none.raw
    age = one(frame, doc_id="haninge_2024_ar", variable="sick_leave_by_age_pct",
              breakdown="50 and older", fiscal_year=2024)
    assert (age.value, age.source_line) == ("8.37", 479)


def test_staffing_detail_not_reported_with_reasons(tables):
    frame = tables["staffing_detail"]
    missing = frame[frame.status == "not reported"]
    assert (missing.value == "").all() and (missing.reason != "").all()
    assert "line 261" in one(frame, doc_id="haninge_2024_ar",
                             variable="hired_staff_cost_tkr").reason
    assert "line 628" in one(frame, doc_id="strangnas_2023_ar",
                             variable="sick_leave_by_sex_pct").reason


# --- every table: provenance, subsets, unseen reports, byte-stability ---------------------------

def test_every_cited_raw_text_stands_on_its_line(tables):
    for name, frame in tables.items():
        for column in ("raw", "raw_outcome", "raw_budget", "raw_deviation", "quote"):
            if column not in frame:
                continue
            for row in frame[frame[column] != ""].itertuples():
                text = getattr(row, column)
                assert text in raw_line(row.source_file, row.source_line), (name, row)


def test_not_reported_rows_never_carry_a_zero(tables):
    for name, frame in tables.items():
        gaps = frame[frame.status.isin(["not reported", "not available"])]
        assert (gaps.reason != "").all(), name
        for column in ("value", "budget_tkr", "outcome_tkr", "amount_tkr", "error_tkr"):
            if column in gaps:
                assert (gaps[column] == "").all(), (name, column)


def test_a_subset_of_reports(numbered_facts, reports):
    huddinge = [r for r in reports if r.municipality == "Huddinge"]
    tables = finance_tables.finance_tables(numbered_facts, huddinge)
    for name, frame in tables.items():
        assert set(frame.municipality) == {"Huddinge"}, name
    assert one(tables["net_cost_growth"], doc_id="huddinge_2024_vb",
               fiscal_year=2024).change_pct == "6.59"


def test_a_report_with_none_of_the_measures(numbered_facts, reports, tmp_path):
    text = tmp_path / "new.txt"
    text.write_text("Socialnämnden\n\nEn rapport utan ekonomiska tabeller.\n", encoding="utf-8")
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    new = dataclasses.replace(seed, doc_id="nykommun_2025_ar", municipality="Nykommun",
                              kommun_code="9999", fiscal_year=2025, file="new.txt", path=text)
    tables = finance_tables.finance_tables(numbered_facts.iloc[0:0], [new])
    # a committee the finance crosswalks do not cover yet: 'not mapped', never 'not reported'
    # (which would claim the report lacks the measure), each row saying which crosswalks
    for name, frame in tables.items():
        assert len(frame) > 0, name
        assert set(frame.status) == {"not mapped"}, (name, set(frame.status))
        assert frame.reason.str.startswith("not mapped yet – ").all(), name
        assert frame.reason.str.contains("no row for Nykommun").all(), name


def test_next_year_report_of_a_known_committee(numbered_facts, reports, tmp_path):
    """Haninge's wording with the years moved on: the {year} templates still find it."""
    seed = by_doc_id(reports)["haninge_2024_ar"]
    text = seed.path.read_text(encoding="utf-8").replace("2024", "2025").replace("2023", "2024")
    path = tmp_path / "haninge_2025.txt"
    path.write_text(text, encoding="utf-8")
    nxt = dataclasses.replace(seed, doc_id="haninge_2025_ar", fiscal_year=2025, path=path,
                              file=path.name)
    items = finance_events.one_off_items(numbered_facts.iloc[0:0], [nxt])
    row = one(items, doc_id="haninge_2025_ar")
    assert (row.amount_tkr, row.source_line, row.deviation_tkr) == ("39700", 353, "")


def test_byte_stable_output(tables, numbered_facts, reports, tmp_path):
    first = {k: v.to_csv(index=False) for k, v in tables.items()}  # the module's tables
    second = {k: v.to_csv(index=False) for k, v in
              finance_tables.finance_tables(numbered_facts.sample(frac=1, random_state=3),
                                            reports).items()}
    assert first == second
    noise = re.compile(r"-?\d+\.\d{5,}|-?\d+(?:\.\d+)?[eE][+-]?\d+|-0")
    for text in first.values():
        assert not any(noise.fullmatch(cell) for line in text.splitlines()
                       for cell in line.split(","))


def test_processed_facts_give_the_same_tables(reports, tables):
    """The functions take the facts as tabular.load_facts reads them from facts.csv."""
    from socialstudy.measures.tabular import load_facts
    loaded = finance_tables.finance_tables(load_facts(paths.Outputs().processed), reports)
    for name in tables:
        pd.testing.assert_frame_equal(loaded[name].astype(str), tables[name].astype(str),
                                      obj=name)


def test_reader_table_and_sentences(tables, reports, numbered_facts):
    shown = finance_tables.shown_drivers(tables["budget_by_cost_type"])
    top = shown[(shown.municipality == "Haninge") & (shown["rank"].astype(str) == "1")].iloc[0]
    assert (top["cost or revenue type (report's label)"],
            top["deviation as printed, mnkr (+ = better)"]) == ("Köp av tjänster", "-61")
    # line 341: Bidragsintäkter budget 179,1, outcome 222,6, deviation printed 43,4 (the
    # rounded figures give 43.5): the table shows the printed value beside the computed one
    grants = shown[(shown.municipality == "Haninge")
                   & (shown["cost or revenue type (report's label)"] == "Bidragsintäkter")].iloc[0]
    assert (grants["deviation as printed, mnkr (+ = better)"],
            grants["deviation computed (outcome − budget), mnkr"], int(grants["line"])) == (
        "43.4", "43.5", 341)
    as_read = {n: t.astype(str).assign(fiscal_year=t.fiscal_year.astype(int))
               for n, t in tables.items()}
    seeds = seed_reports(reports)  # 'latest' of the seed reports, whatever was added since
    scope = resolve("latest", "all", seeds, of_seeds(numbered_facts))
    text = findings_finance.finance(scope, as_read, seeds)
    # Haninge 2024, line 353: 39,7 mnkr of refugee grants belonging to earlier years
    assert ("-111.6 mnkr (-9.5 % of the printed budget) instead of -71.9 mnkr" in text
            and "[000_7601200e7e1b7bea.txt:353]" in text)
    # the August forecasts (Haninge line 386: 103 mnkr forecast deficit, outcome 71,9)
    assert "August forecast of the budget deviation (-103.0 mnkr)" in text
    assert "October" not in text  # Strängnäs's August forecast, not its latest
    assert "Strängnäs 2023: net cost per inhabitant not available" in text


def test_a_label_gone_missing_stops_the_run(numbered_facts, reports):
    """If the extraction renamed a row the crosswalk relies on, the run stops naming the
    crosswalk row instead of reporting the measure as missing."""
    renamed = numbered_facts.assign(row_label=numbered_facts.row_label.replace(
        "Avgångar externt på egen begäran i procent", "Avgångar (omdöpt)"))
    with pytest.raises(CrosswalkError, match="staffing_detail.csv:2: .* not found"):
        staffing_detail(renamed, reports)
    renamed = numbered_facts.assign(
        row_label=numbered_facts.row_label.replace("Summa investeringar", "Summa"))
    with pytest.raises(CrosswalkError, match="finance_tables.csv"):
        finance_tables.finance_tables(renamed, reports)
