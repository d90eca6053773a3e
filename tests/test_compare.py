"""The comparison tables, tied to values printed in the reports."""

import shutil

import pytest
from conftest import one
from seeds import LATEST, of_seeds, seed_reports

from socialstudy import paths
from socialstudy.core.registry import by_doc_id
from socialstudy.crosswalks import loader as crosswalk
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare, outcomes, staffing


@pytest.fixture(scope="module")
def activity(numbered_facts, reports):
    return compare.cost_by_activity(numbered_facts, reports)


def test_haninge_personnel_cost_and_share(numbered_facts, reports):
    types = compare.cost_by_type(numbered_facts, reports)
    # 000_…txt line 344: Löne- och personalkostnader -703,0 mnkr; gross cost 1 569,1 (line 350)
    # (the report's own rows: a next year's report prints 2024 again, as its prior year)
    row = one(types, doc_id="haninge_2024_ar", fiscal_year=2024, category="personnel")
    assert (row.value_tkr, row.source_line, row.share_pct) == ("703000", 344, "44.8")
    assert row.share_basis == "gross cost"
    shares = types[(types.doc_id == "haninge_2024_ar") & (types.fiscal_year == 2024)
                   & (types.flow == "cost")].share_pct.astype(float)
    assert shares.sum() == pytest.approx(100, abs=0.05)


def test_strangnas_cost_types_are_prose_shares(numbered_facts, reports):
    types = compare.cost_by_type(numbered_facts, reports)
    row = one(types, municipality="Strängnäs", fiscal_year=2023, category="personnel")
    assert (row.share_pct, row.value_tkr, row.source_line) == ("55", "", 570)
    assert row.value_status == "share only (prose)"


def test_huddinge_children_and_youth(activity):
    # 002_…txt line 497: Barn & ungdomsvård, budget 310 779, outcome 304 133, deviation 6 647
    row = one(activity, municipality="Huddinge", fiscal_year=2024,
              report_label="Barn & ungdomsvård")
    assert (row.net_cost_tkr, row.budget_tkr, row.deviation_tkr) == ("304133", "310779", "6647")
    assert row.category == "children_young_people" and row.deviation_sign_check == "agrees"


def test_costs_positive_and_deviation_positive_is_better(activity):
    haninge = one(activity, doc_id="haninge_2024_ar", fiscal_year=2024, category="total")
    assert (haninge.net_cost_tkr, haninge.deviation_tkr, haninge.deviation_pct) == (
        "1243400", "-71900", "-6.14")  # an overrun printed as "6,1%" without a sign
    myndighet = one(activity, municipality="Strängnäs", fiscal_year=2023, report_label="Myndighet")
    assert (myndighet.net_cost_tkr, myndighet.deviation_tkr) == ("310100", "-55300")
    assert set(activity.deviation_sign_check) <= {"", "agrees", "too small to tell"}


def test_shares_of_total_net_cost(activity):
    huddinge = activity[(activity.doc_id == "huddinge_2024_vb") & (activity.fiscal_year == 2024)
                        & (activity.category != "total")]
    assert huddinge.share_of_total_pct.astype(float).sum() == pytest.approx(100, abs=0.05)


def test_budget_deviation_by_year(activity, numbered_facts):
    dev = compare.budget_deviation(activity, numbered_facts)
    printed = one(dev, municipality="Huddinge", fiscal_year=2023)
    assert (printed.deviation_pct, printed.pct_source, printed.source_line) == (
        "-1", "printed by the report", 341)
    partial = one(dev, municipality="Haninge", fiscal_year=2020)
    assert partial.period == "jan_apr"


def test_staffing_values_and_not_reported(numbered_facts, reports):
    staff = staffing.staffing(numbered_facts, reports)
    turnover = one(staff, doc_id="haninge_2024_ar", fiscal_year=2024,
                   variable="turnover_total_pct", source_kind="table")
    assert (turnover.value, turnover.raw, turnover.source_line) == ("14", "14,00", 446)
    huddinge = staff[(staff.doc_id == "huddinge_2024_vb") & (staff.variable == "turnover_total_pct")
                     & (staff.scope_class == "committee")]
    assert huddinge.value.tolist() == ["9.2", "11.9"] and huddinge.period.tolist() == [
        "r12_nov", "r12_nov"]
    # 2023 is derived from "11,9 procent, vilket är en ökning med 2,7 procentenheter" (line 773)
    assert huddinge.status.tolist() == ["derived", "reported"]
    assert huddinge.source_line.tolist() == [773, 773]
    missing = one(staff, doc_id="strangnas_2023_ar", variable="turnover_total_pct")
    assert missing.status == "not reported" and missing.value == "" and missing.reason
    sick = one(staff, doc_id="strangnas_2023_ar", fiscal_year=2023,
               variable="sick_leave_total_pct")
    assert (sick.value, sick.source_kind, sick.source_line) == ("9.4", "prose", 630)


def test_goal_counts(reports):
    goals = outcomes.goals(reports)
    year_end = goals[goals.assessment_kind == "year_end_attainment"]
    counts = of_seeds(year_end, LATEST).groupby("municipality").size().to_dict()
    assert counts == {"Haninge": 5, "Huddinge": 7, "Strängnäs": 10}
    strangnas = year_end[year_end.doc_id == "strangnas_2023_ar"].level.value_counts().to_dict()
    assert strangnas == {"met": 6, "partly_met": 4}
    interim = goals[goals.doc_id == "haninge_2020_d1"]
    assert "year_end_attainment" not in set(interim.assessment_kind)


def test_goal_status_found_by_code(reports):
    goals = outcomes.goals(reports).set_index("goal_id")
    # 000_…txt: heading line 157, assessment sentence line 179 of the 'Kommentar' prose
    row = goals.loc["haninge_2024_1.2"]
    assert (row.goal_line, row.source_line, row.level) == (157, 179, "largely_met")
    assert row.status_text == "Nämnden bedömer att nämndmålet i hög grad uppfylls"
    # the wording also stands inside a sentence at line 87; the heading at 206 has the status
    assert tuple(goals.loc["haninge_2024_4.1", ["goal_line", "source_line"]]) == (206, 216)
    # 002_…txt line 157: the status cell 'Klart' stands before the assignment's wording
    assert tuple(goals.loc["huddinge_2024_a1", ["status_text", "level"]]) == ("Klart", "met")
    # 001_…txt line 46: one shared statement for the four KF goals (status_quote)
    assert goals.loc["haninge_2020_kf4", "source_line"] == 46
    assert goals.loc["haninge_2020_kf4", "level"] == "not_assessed"
    # 004_…txt line 148: table row 'Låg sjukfrånvaro hos medarbetarna … Delvis uppfyllt'
    assert tuple(goals.loc["strangnas_2023_g8", ["status_text", "level"]]) == (
        "Delvis uppfyllt", "partly_met")


def test_every_goal_and_status_stands_on_its_found_line(reports):
    docs = by_doc_id(reports)
    goals = outcomes.goals(reports)
    for row in goals[goals.status != "not mapped"].itertuples():  # a committee not read yet
        lines = read_lines(docs[row.doc_id].path)
        assert row.goal_text in lines[row.goal_line - 1], row.goal_id
        assert row.status_text in lines[row.source_line - 1], row.goal_id


def test_indicator_attainment_only_against_same_year_targets(numbered_facts):
    ind = outcomes.indicators(numbered_facts)
    sick = one(ind, doc_id="huddinge_2024_vb", indicator="Sjukfrånvaro, totalt (%)",
               fiscal_year=2024)
    assert (sick.value, sick.target, sick.direction, sick.attainment) == \
        ("6.6", "7", "lower", "met")
    haninge = ind[ind.doc_id == "haninge_2024_ar"]
    assert set(haninge.attainment) == {"no target for this year"}  # targets are for 2026


def test_remit_matrix_states_the_differences(reports):
    remit = compare.remit_matrix(seed_reports(reports))
    assert remit.loc["elderly_care"].to_dict() == {"Haninge": "no", "Huddinge": "no",
                                                   "Strängnäs": "yes"}
    # every registered municipality has a column (a new one without remit rows: unknown)
    assert {r.municipality for r in reports} <= set(compare.remit_matrix())
    assert remit.loc["economic_assistance", "Huddinge"] == "partial"


@pytest.fixture
def crosswalks(tmp_path, monkeypatch):
    """A private copy of the crosswalk folder that the comparison reads instead."""
    folder = tmp_path / "crosswalks"
    shutil.copytree(paths.CROSSWALKS, folder)
    monkeypatch.setattr(crosswalk.read_crosswalk, "__defaults__", (folder,))
    return folder


def edit(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_repeated_label_without_occurrence_stops_the_run(crosswalks, numbered_facts, reports):
    # 004_…txt lines 397 and 405: 'Socialnämnden' is the committee's own unit and the total
    edit(crosswalks, "activities.csv", "Strängnäs,Socialnämnden,first,",
         "Strängnäs,Socialnämnden,,")
    with pytest.raises(CrosswalkError, match=r"activities.csv:\d+: duplicate key"):
        compare.cost_by_activity(numbered_facts, reports)
    edit(crosswalks, "activities.csv", "Strängnäs,Socialnämnden,,administration", "Strängnäs,"
         "Socialnämndens egna,,administration")
    edit(crosswalks, "activities.csv", "Strängnäs,Socialnämnden,last,",
         "Strängnäs,Socialnämnd,last,")
    with pytest.raises(CrosswalkError, match=r"activities.csv:\d+: label 'Socialnämnden' stands "
                                             r"in strangnas_2023_ar line 397 as the first row"):
        compare.cost_by_activity(numbered_facts, reports)


def test_a_line_without_crosswalk_row_is_kept_as_unmapped(crosswalks, numbered_facts, reports):
    # 002_…txt line 497: Barn & ungdomsvård 304 133; without its row it is not guessed
    edit(crosswalks, "activities.csv", "Huddinge,Barn & ungdomsvård,", "Huddinge,Barn och unga,")
    activity = compare.cost_by_activity(numbered_facts, reports)
    row = one(activity, municipality="Huddinge", report_label="Barn & ungdomsvård",
              fiscal_year=2024)
    assert (row.category, row.fit, row.net_cost_tkr, row.source_line) == (
        "unmapped", "unmapped", "304133", 497)


def test_staffing_row_matching_two_tables_stops_the_run(crosswalks, numbered_facts, reports):
    # 000_…txt: 'Funktionshinderomsorg' is a row of two tables (lines 371 and 394); the
    # error names the line the row was appended at (14 in the committed crosswalk)
    path = crosswalks / "staffing_map.csv"
    line = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with path.open("a", encoding="utf-8") as fh:
        fh.write("Haninge,Funktionshinderomsorg,,fte,whole committee,test,full_year\n")
    with pytest.raises(CrosswalkError, match=rf"staffing_map.csv:{line}: haninge_2024_ar: "
                                             r"'Funktionshinderomsorg' matches tables"):
        staffing.staffing(numbered_facts, reports)


def test_remit_evidence_must_stand_in_the_reports(crosswalks, reports):
    edit(crosswalks, "remit.csv", "Barn & ungdomsvård,\"Own",
         "Barn & ungdomsverksamhet,\"Own")
    with pytest.raises(CrosswalkError, match=r"remit.csv:10: evidence 'Barn & ungdomsverksamhet'"):
        compare.remit_matrix(reports)


def test_unknown_remit_for_a_municipality_absent_from_the_crosswalk(crosswalks, reports):
    edit(crosswalks, "remit.csv", "\nSträngnäs,", "\nStraengnaes,")
    remit = compare.remit_matrix(seed_reports(reports))
    assert set(remit["Strängnäs"]) == {"unknown"}
    assert remit.loc["elderly_care"].to_dict() == {"Haninge": "no", "Huddinge": "no",
                                                   "Straengnaes": "yes", "Strängnäs": "unknown"}


def test_cost_sign_enum_and_old_text_agree(numbered_facts, reports):
    import dataclasses
    enum = [dataclasses.replace(r, cost_sign={
        "costs negative": "costs_negative", "net costs positive": "net_costs_positive"}.get(
        r.cost_sign, "costs_negative_statement_net_positive_activity")) for r in reports]
    assert compare.cost_by_type(numbered_facts, enum).equals(
        compare.cost_by_type(numbered_facts, reports))


def test_occurrence_of_a_repeated_label():
    import pandas as pd

    from socialstudy.crosswalks.matching import occurrence
    facts = pd.DataFrame({"table_id": ["t"] * 5 + ["u"],
                          "row_label": ["A", "B", "A", "A", "A", "A"],
                          "source_line": [1, 2, 3, 3, 4, 9]})
    assert occurrence(facts).tolist() == ["first", "", "middle", "middle", "last", ""]
