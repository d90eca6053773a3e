"""Volumes and unit costs: real values pinned with their raw lines (issue 17, item 4;
hand-read in research/issue17/volumes.csv, each re-checked against its line), the
'not reported' rows with their reasons, and the drivers finding's caveat."""

import pytest

from socialstudy.core.scope import Selection
from socialstudy.extract.tables import read_lines
from socialstudy.measures.volumes import volumes
from socialstudy.narrative import findings_drivers

H20, H24 = "haninge_2020_d1", "haninge_2024_ar"
HU, ST = "huddinge_2024_vb", "strangnas_2023_ar"


@pytest.fixture(scope="module")
def table(numbered_facts, reports):
    return volumes(numbered_facts, reports)


def _row(table, doc_id, measure, year):
    rows = table[(table.doc_id == doc_id) & (table.measure == measure)
                 & (table.fiscal_year == year)]
    assert len(rows) == 1, (doc_id, measure, year, len(rows))
    return rows.iloc[0]


def _line(reports, doc_id, line):
    return read_lines(next(r.path for r in reports if r.doc_id == doc_id))[line - 1]


@pytest.mark.parametrize("doc_id, measure, year, value, line, printed", [
    (H20, "households_economic_assistance", 2020, "1239", 590, "1 239"),
    (H20, "households_economic_assistance", 2016, "978", 590, "978"),
    (H20, "lss_users", 2020, "699", 626, "699"),
    (H20, "children_placed", 2020, "217", 725, "217"),
    (H20, "adult_care_days", 2019, "11333", 790, "11 333"),
    (H24, "households_economic_assistance", 2024, "40", 376, "cirka 40 hushåll"),
    (H24, "lss_users", 2024, "16", 380, "16 fler brukare"),
    (HU, "children_placements_average", 2024, "191.2", 526, "191,2 antal placeringar"),
    (HU, "hvb_placements_children", 2024, "-5.3", 544, "minskning med -5,3 procent"),
    (HU, "adult_institutional_care", 2024, "-9", 601, "minskat med 9 procent"),
    (HU, "adults_placed", 2024, "9.5", 591, "9,5 fler placerade"),
    (HU, "protected_housing_placed", 2024, "22", 635, "varit 22,0"),
    (ST, "lvu_institution_placements", 2023, "19", 156, "till 19 ungdomar")])
def test_volumes_with_their_lines(table, reports, doc_id, measure, year, value, line, printed):
    row = _row(table, doc_id, measure, year)
    assert (row.value, int(row.source_line), row.status) == (value, line, "printed")
    assert printed in _line(reports, doc_id, line)


def test_printed_unit_cost_beside_its_volume(table, reports):
    cost = _row(table, H20, "assistance_per_household_month", 2019)
    assert (cost.kind, cost.value, cost.unit_cost, int(cost.source_line)) == (
        "unit_cost", "10337", "printed", 591)
    # the thousands are wrapped onto the next line of the text: "10" at 591, "337" at 592
    assert _line(reports, H20, 591).rstrip().endswith("10\t10")
    assert _line(reports, H20, 592).split() == ["337", "385"]
    households = _row(table, H20, "households_economic_assistance", 2019)
    assert households.unit_cost == "printed" and households.period == "jan_apr"


@pytest.mark.parametrize("doc_id, measure, year, line, words", [
    (H24, "hvb_sis_placements", 2024, 378, "kostnad per dygn"),
    (H24, "persons_lss_housing", 2024, 66, "Antal personer som bor i bostad med särskild"),
    (ST, "home_care_hour_cost", 2023, 702, "Kostnad per hemtjänsttimme")])
def test_a_volume_without_a_number_is_not_reported(table, reports, doc_id, measure, year, line,
                                                   words):
    row = _row(table, doc_id, measure, year)
    assert (row.status, row.value, int(row.source_line)) == ("not reported", "", line)
    assert row.reason and words in _line(reports, doc_id, line)


def test_no_unit_cost_is_computed_without_both_amounts(table):
    """Computed only where cost and volume are printed for the same scope and year: in
    these reports no such pair exists, so every row is printed or says why not."""
    assert set(table.unit_cost) <= {"printed", "not reported"}
    external = _row(table, HU, "external_placements", 2024)
    assert (external.value, external.unit_cost) == ("7.7", "not reported")
    assert "191,3 mnkr" in external.unit_cost_reason


def test_a_repeated_paragraph_is_kept_once(table, reports):
    row = _row(table, ST, "lvu_institution_placements", 2023)
    assert row.also_printed_at == "202"
    assert "till 19 ungdomar" in _line(reports, ST, 202)


def test_drivers_finding_cites_and_does_not_rank(table, numbered_facts, reports):
    from socialstudy.measures import compare
    from socialstudy.measures.activity_series import activity_series
    series = activity_series(numbered_facts, compare.cost_by_activity(numbered_facts, reports),
                             reports)
    chosen = [Selection("Haninge", 2024, H24, "full_year", ""),
              Selection("Huddinge", 2024, HU, "full_year", ""),
              Selection("Strängnäs", 2023, ST, "full_year", "")]
    text = findings_drivers.drivers(chosen, series, table)
    assert "Vård för vuxna med missbruksproblem" in text and "+20.1 %" in text
    assert "[002_ed79cea0b5e49fc0.txt:499]" in text
    assert "+16 persons" in text and "[000_7601200e7e1b7bea.txt:380]" in text
    assert "defined differently" in text and "not ranked" in text


@pytest.mark.parametrize("measure, year, value, raw", [
    ("protected_housing_placed", 2022, "19", "19,0"),
    ("protected_housing_placed", 2023, "12", "12,0"),
    ("family_counselling_sessions", 2023, "1672", "1 672"),
    ("family_counselling_sessions", 2024, "1817", "1 817")])
def test_earlier_years_from_one_sentence(table, reports, measure, year, value, raw):
    """A sentence that prints earlier years gives each its own year (year_offset)."""
    row = _row(table, HU, measure, year)
    line = 635 if measure == "protected_housing_placed" else 571
    assert (row.value, int(row.source_line), row.raw) == (value, line, raw)
    assert raw in _line(reports, HU, line)


def test_a_subset_of_reports(numbered_facts, reports):
    huddinge = [r for r in reports if r.municipality == "Huddinge"]
    frame = volumes(numbered_facts, huddinge)
    assert set(frame.municipality) == {"Huddinge"}
    assert _row(frame, HU, "children_placements_average", 2024).value == "191.2"


def test_a_wording_in_no_report_stops_naming_the_crosswalk_row(numbered_facts, reports,
                                                               tmp_path):
    import dataclasses

    from socialstudy.errors import CrosswalkError
    seed = next(r for r in reports if r.doc_id == ST)
    text = tmp_path / "other.txt"
    text.write_text("Socialnämnden\n\nEn rapport utan volymer.\n", encoding="utf-8")
    other = dataclasses.replace(seed, file="other.txt", path=text)
    with pytest.raises(CrosswalkError) as info:
        volumes(numbered_facts.iloc[0:0], [other])
    assert "volumes.csv" in str(info.value) and "Strängnäs" in str(info.value)


def test_households_against_budget_say_why_no_count_is_derived(table, reports):
    """Haninge 2024, line 376: "ökade med cirka 40 hushåll, motsvarande 4,8 procent mot
    budget". 40 ÷ 4.8 % = 833 budgeted households, but 'cirka 40' moves that by 21 per
    household and the rounded 4.8 % alone spans 4.75–4.85 % (842–825): no count is derived;
    the row says so, with both numbers and the line, and the finding carries it."""
    assert "cirka 40 hushåll, motsvarande 4,8 procent mot budget" in _line(reports, H24, 376)
    share = _row(table, H24, "households_economic_assistance_pct", 2024)
    assert (share.kind, share.value, share.raw, int(share.source_line)) == (
        "volume_change_pct", "4.8", "4,8", 376)
    base = _row(table, H24, "households_economic_assistance_base", 2024)
    assert (base.status, base.value, int(base.source_line)) == ("not derived", "", 376)
    assert base.reason == (
        "not derived: 40 ÷ 4.8 % gives 833 households as the number the change is measured "
        "against, but the report says 'cirka 40', and each one more or fewer moves that by "
        "21, while the share is rounded (4.75–4.85 % alone spans 825–842): no count a reader "
        "could cite")
    text = findings_drivers._volumes(table[(table.doc_id == H24)
                                           & (table.fiscal_year == 2024)])
    assert ("more households receiving economic assistance than budgeted (average): about "
            "+40 households [000_7601200e7e1b7bea.txt:376]") in text
    assert "(average; in % of the budgeted number): +4.8 %" in text
    assert "No count of households is derived: 40 ÷ 4.8 % gives 833 households" in text
