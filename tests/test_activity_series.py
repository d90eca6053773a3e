"""Activity series and the derived prior-year total: real values pinned with the raw lines
they stand on (issue 17, items 4 and 5; hand-read in research/issue17/activity_series.csv
and derived.csv, each re-checked against its line)."""

import pytest

from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare
from socialstudy.measures.activity_series import activity_series
from socialstudy.measures.growth import net_cost_growth

H24, HU, ST = "haninge_2024_ar", "huddinge_2024_vb", "strangnas_2023_ar"
HUDDINGE_LINES = ["Nämnd- & styrelseverksamhet", "Barn & ungdomsvård",
                  "Familjerätt & familjerådgivning", "Vård för vuxna med missbruksproblem",
                  "Ekonomiskt bistånd", "Övriga insatser till vuxna",
                  "Insatser till personer med funktionsnedsättning (ej LSS/SFB)",
                  "Flyktningmottagande"]


@pytest.fixture(scope="module")
def series(numbered_facts, reports):
    return activity_series(numbered_facts, compare.cost_by_activity(numbered_facts, reports),
                           reports)


def _row(series, doc_id, label, year, measure, category=None):
    rows = series[(series.doc_id == doc_id) & (series.report_label == label)
                  & (series.fiscal_year == year) & (series.measure == measure)]
    if category is not None:
        rows = rows[rows.category == category]
    assert len(rows) == 1, (doc_id, label, year, measure, len(rows))
    return rows.iloc[0]


def _on_line(reports, doc_id, line, text):
    path = next(r.path for r in reports if r.doc_id == doc_id)
    assert text in read_lines(path)[line - 1], (doc_id, line, text)


@pytest.mark.parametrize("label, year, value, line, raw", [
    ("Barn & ungdomsvård", 2022, "256611", 519, "256 611"),
    ("Barn & ungdomsvård", 2023, "299437", 497, "299 437"),   # also at 519
    ("Barn & ungdomsvård", 2024, "304133", 497, "304 133"),
    ("Vård för vuxna med missbruksproblem", 2022, "65206", 583, "65 206"),
    ("Insatser till personer med funktionsnedsättning (ej LSS/SFB)", 2022, "73668", 650,
     "73 668"),
    ("Flyktningmottagande", 2022, "-3990", 668, "-3 990"),   # a net revenue
    ("Flyktningmottagande", 2023, "-1162", 503, "-1 162")])
def test_huddinge_prints_three_years_per_activity(series, reports, label, year, value, line,
                                                  raw):
    row = _row(series, HU, label, year, "net_cost")
    assert (row.value, int(row.source_line), row.status) == (value, line, "printed")
    _on_line(reports, HU, line, raw)


def test_every_huddinge_line_has_2022_to_2024(series):
    net = series[(series.doc_id == HU) & (series.measure == "net_cost")
                 & (series.category != "total")]
    assert sorted(set(net.report_label)) == sorted(HUDDINGE_LINES)
    years = {label: sorted(g.fiscal_year) for label, g in net.groupby("report_label")}
    assert all(y == [2022, 2023, 2024] for y in years.values()), years


def test_a_value_printed_twice_is_kept_once_with_both_lines(series):
    row = _row(series, HU, "Barn & ungdomsvård", 2023, "net_cost")
    assert row.also_printed_at == "519"


@pytest.mark.parametrize("label, year, computed, printed, line, prior_line", [
    ("Barn & ungdomsvård", 2023, "16.69", "17", 497, 519),      # printed "17 %" at 520
    ("Vård för vuxna med missbruksproblem", 2024, "20.06", "20", 499, 499),
    ("Övriga insatser till vuxna", 2024, "27.46", "27", 501, 501)])
def test_huddinge_growth_per_activity(series, label, year, computed, printed, line,
                                      prior_line):
    row = _row(series, HU, label, year, "growth_pct_computed")
    assert (row.value, row.status, int(row.source_line), int(row.prior_source_line)) == (
        computed, "computed", line, prior_line)
    assert row.check.startswith(f"agrees with the printed {printed} %")
    assert _row(series, HU, label, year, "growth_pct_printed").value == printed


def test_growth_from_a_net_revenue_is_not_computed(series, reports):
    row = _row(series, HU, "Flyktningmottagande", 2024, "growth_pct_computed")
    assert (row.status, row.value) == ("not computed", "")
    assert "net revenue" in row.reason
    printed = _row(series, HU, "Flyktningmottagande", 2024, "growth_pct_printed")
    assert (printed.value, int(printed.source_line)) == ("-193", 669)
    _on_line(reports, HU, 669, "-193 %")


@pytest.mark.parametrize("doc_id, label, year, printed, computed, line, raw", [
    (HU, "Barn & ungdomsvård", 2024, "2.1", "2.14", 497, "2,1 %"),
    (HU, "Övriga insatser till vuxna", 2024, "-16", "-16.31", 501, "-16 %"),
    # Haninge prints an overrun positive ("10,0%" for −13,3 of −132,4): turned
    (H24, "Försörjningsstöd", 2024, "-10", "-10.05", 369, "10,0%"),
    (ST, "Myndighet", 2023, "-21.7", "-21.71", 478, "-21.7%"),
    (ST, "Funktionshinder", 2023, "5.5", "5.45", 482, "5.5%")])   # printed "Funktionshinderomsorg"
def test_printed_deviation_pct_beside_the_computed_one(series, reports, doc_id, label, year,
                                                       printed, computed, line, raw):
    shown = _row(series, doc_id, label, year, "deviation_pct_printed")
    assert (shown.value, int(shown.source_line), shown.raw) == (printed, line, raw)
    _on_line(reports, doc_id, line, raw)
    made = _row(series, doc_id, label, year, "deviation_pct_computed")
    assert made.value == computed and made.check.startswith("agrees")


def test_haninge_turned_sign_is_said(series):
    row = _row(series, H24, "Försörjningsstöd", 2024, "deviation_pct_printed")
    assert "sign turned" in row.note


@pytest.mark.parametrize("label, gross, revenue, net, line", [
    ("Myndighet", "339600", "29500", "310100", 399),
    ("Äldreomsorg", "410300", "128800", "281400", 401),
    ("Funktionshinder", "151300", "24600", "126700", 403)])
def test_strangnas_gross_cost_and_revenue_per_activity(series, reports, label, gross, revenue,
                                                       net, line):
    got = [_row(series, ST, label, 2023, m) for m in ("gross_cost", "revenue", "net_cost")]
    assert [r.value for r in got] == [gross, revenue, net]
    assert {int(r.source_line) for r in got} == {line}
    assert abs(float(gross) - float(revenue) - float(net)) <= 100   # printed to 0,1 mkr
    _on_line(reports, ST, line, f"-{float(gross) / 1000:.1f}\t")


def test_strangnas_committee_and_total_stay_apart(series):
    own = _row(series, ST, "Socialnämnden", 2023, "deviation_pct_printed", "administration")
    total = _row(series, ST, "Socialnämnden", 2023, "deviation_pct_printed", "total")
    assert (own.value, int(own.source_line)) == ("6.4", 476)
    assert (total.value, int(total.source_line)) == ("-4.1", 484)


def test_huddinge_2022_total_is_derived_not_reported(numbered_facts, reports):
    growth = net_cost_growth(numbered_facts, reports)
    row = growth[(growth.doc_id == HU) & (growth.fiscal_year == 2023)].iloc[0]
    assert (row.prior_net_cost_tkr, row.net_cost_tkr, row.change_pct, row.status) == (
        "420111", "466299", "10.99", "derived")
    assert row.prior_source_lines == "511;519;568;583;618;630;650;668"
    assert row.prior_basis.startswith("derived: sum of every activity line")
    assert row.prior_source_line == ""


def test_a_percentage_off_only_by_the_rounding_of_small_amounts(series, reports):
    """Strängnäs's own committee: 0.1 of 2.2 mkr is 4.55 %, printed 6.4 % (line 476): the
    amounts, printed to 0,1 mkr, allow anything from about 2 to 7 %."""
    row = _row(series, ST, "Socialnämnden", 2023, "deviation_pct_computed", "administration")
    assert row.value == "4.55"
    assert row.check.startswith("agrees with the printed 6.4 % (line 476) within the rounding")
    _on_line(reports, ST, 397, "-2.2\t● 0.1")


H20 = "haninge_2020_d1"
NET_REVENUE_BUDGETS = [  # line, label, net cost, budget, deviation (tkr, January–April 2020)
    (289, "Avdelning Boende och boendestöd funktionsnedsättning", "482", "-2555", "-3037",
     "482\t-2 555\t-3 037"),
    (290, "Avdelning Stöd och serviceinsatser", "-400", "-82", "318", "-400\t-82\t318")]


@pytest.mark.parametrize("line, label, net, budget, deviation, raw", NET_REVENUE_BUDGETS)
def test_a_net_revenue_budget_gets_no_deviation_percentage(series, numbered_facts, reports,
                                                           line, label, net, budget, deviation,
                                                           raw):
    """Haninge's January–April 2020 table budgets two provider units as net revenue (lines
    289–290): 100 × deviation / |budget| gave −118.86 % and 387.8 %, which measure nothing.
    The activity table and the series leave the percentage empty and say why; the line
    before them (288: 10 927 / 160 916) keeps its 6.79 %."""
    _on_line(reports, H20, line, raw)
    activity = compare.cost_by_activity(numbered_facts, reports)
    rows = activity[(activity.doc_id == H20) & (activity.period == "jan_apr")]
    row = rows[rows.source_line.astype(int) == line].iloc[0]
    assert (row.report_label, row.net_cost_tkr, row.budget_tkr, row.deviation_tkr) == (
        label, net, budget, deviation)
    assert row.deviation_pct == ""
    assert row.deviation_pct_reason == (
        f"not meaningful: the budget is net revenue ({budget} tkr), and a percentage of a "
        "revenue does not measure a cost's deviation")
    before = rows[rows.source_line.astype(int) == 288].iloc[0]
    assert (before.deviation_pct, before.deviation_pct_reason) == ("6.79", "")
    computed = _row(series, H20, label, 2020, "deviation_pct_computed")
    assert (computed.value, computed.status) == ("", "not computed")
    assert computed.reason.startswith("not meaningful: the budget is net revenue")
