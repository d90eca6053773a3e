"""The comparison tables, tied to values printed in the reports."""

import pytest

from socialstudy import compare


@pytest.fixture(scope="module")
def cfacts(facts):
    return facts.assign(number=facts.value.astype(float))


@pytest.fixture(scope="module")
def activity(cfacts, reports):
    return compare.cost_by_activity(cfacts, reports)


def one(frame, **where):
    rows = frame
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.iloc[0]


def test_haninge_personnel_cost_and_share(cfacts, reports):
    types = compare.cost_by_type(cfacts, reports)
    # 000_…txt line 344: Löne- och personalkostnader -703,0 mnkr; gross cost 1 569,1 (line 350)
    row = one(types, municipality="Haninge", fiscal_year=2024, category="personnel")
    assert (row.value_tkr, row.source_line, row.share_pct) == ("703000", 344, "44.8")
    assert row.share_basis == "gross cost"
    shares = types[(types.municipality == "Haninge") & (types.fiscal_year == 2024)
                   & (types.flow == "cost")].share_pct.astype(float)
    assert shares.sum() == pytest.approx(100, abs=0.05)


def test_strangnas_cost_types_are_prose_shares(cfacts, reports):
    types = compare.cost_by_type(cfacts, reports)
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
    haninge = one(activity, municipality="Haninge", fiscal_year=2024, category="total")
    assert (haninge.net_cost_tkr, haninge.deviation_tkr, haninge.deviation_pct) == (
        "1243400", "-71900", "-6.14")  # an overrun printed as "6,1%" without a sign
    myndighet = one(activity, municipality="Strängnäs", fiscal_year=2023, report_label="Myndighet")
    assert (myndighet.net_cost_tkr, myndighet.deviation_tkr) == ("310100", "-55300")
    assert set(activity.deviation_sign_check) <= {"", "agrees", "too small to tell"}


def test_shares_of_total_net_cost(activity):
    huddinge = activity[(activity.municipality == "Huddinge") & (activity.fiscal_year == 2024)
                        & (activity.category != "total")]
    assert huddinge.share_of_total_pct.astype(float).sum() == pytest.approx(100, abs=0.05)


def test_budget_deviation_by_year(activity, cfacts):
    dev = compare.budget_deviation(activity, cfacts)
    printed = one(dev, municipality="Huddinge", fiscal_year=2023)
    assert (printed.deviation_pct, printed.pct_source, printed.source_line) == (
        "-1", "printed by the report", 341)
    partial = one(dev, municipality="Haninge", fiscal_year=2020)
    assert partial.period == "jan_apr"


def test_staffing_values_and_not_reported(cfacts, reports):
    staff = compare.staffing(cfacts, reports)
    turnover = one(staff, municipality="Haninge", fiscal_year=2024, variable="turnover_total_pct",
                   source_kind="table")
    assert (turnover.value, turnover.raw, turnover.source_line) == ("14", "14,00", 446)
    huddinge = staff[(staff.municipality == "Huddinge") & (staff.variable == "turnover_total_pct")
                     & (staff.scope_class == "committee")]
    assert huddinge.value.tolist() == ["11.9"] and huddinge.period.tolist() == ["r12_nov"]
    missing = one(staff, municipality="Strängnäs", variable="turnover_total_pct")
    assert missing.status == "not reported" and missing.value == "" and missing.reason
    sick = one(staff, municipality="Strängnäs", fiscal_year=2023, variable="sick_leave_total_pct")
    assert (sick.value, sick.source_kind, sick.source_line) == ("9.4", "prose", 630)


def test_goal_counts(reports):
    goals = compare.goals(reports)
    year_end = goals[goals.assessment_kind == "year_end_attainment"]
    counts = year_end.groupby("municipality").size().to_dict()
    assert counts == {"Haninge": 5, "Huddinge": 7, "Strängnäs": 10}
    strangnas = year_end[year_end.municipality == "Strängnäs"].level.value_counts().to_dict()
    assert strangnas == {"met": 6, "partly_met": 4}
    interim = goals[goals.doc_id == "haninge_2020_d1"]
    assert "year_end_attainment" not in set(interim.assessment_kind)


def test_goal_levels_agree_with_the_anchor_file(reports):
    from socialstudy.crosswalk import read_crosswalk
    anchors = {r["goal_id"]: r["level"] for r in read_crosswalk(
        "goal_assessments.csv", ("goal_id", "level"))}
    goals = compare.goals(reports)
    assert dict(zip(goals.goal_id, goals.level)) == anchors


def test_indicator_attainment_only_against_same_year_targets(cfacts):
    ind = compare.indicators(cfacts)
    sick = one(ind, municipality="Huddinge", indicator="Sjukfrånvaro, totalt (%)", fiscal_year=2024)
    assert (sick.value, sick.target, sick.direction, sick.attainment) == ("6.6", "7", "lower", "met")
    haninge = ind[ind.municipality == "Haninge"]
    assert set(haninge.attainment) == {"no target for this year"}  # targets are for 2026


def test_remit_matrix_states_the_differences():
    remit = compare.remit_matrix()
    assert remit.loc["elderly_care"].to_dict() == {"Haninge": "no", "Huddinge": "no",
                                                   "Strängnäs": "yes"}
    assert remit.loc["economic_assistance", "Huddinge"] == "partial"
