"""Interim periods end to end (issue 16, item 3): every period the registry allows passes
every schema (one declaration, ``registry.PERIODS``); ``--year`` takes a municipality's
newest interim report of that year where it has no full-year figures and says so; a
forecast column is stored as a forecast; an annual budget minus part-year cost is never a
surplus; goal assessments marked '(prognos)' are forecasts. The interim reports are
generated from Huddinge's 2024 report by tests/synthetic.py and registered in a temp corpus
beside the real reports (their lines are the generated report's, recorded in planted.json).
"""

import shutil
from types import SimpleNamespace

import pytest
import synthetic
import yaml
from conftest import one
from repo_copy import committed_tree

from socialstudy.core import registry, schemas
from socialstudy.core.registry import Report, load_registry, period_covered
from socialstudy.core.scope import resolve
from socialstudy.extract.clean import CleanResult
from socialstudy.extract.columns import load_measures
from socialstudy.extract.extraction import extract_and_clean, extract_report
from socialstudy.measures import compare, finance_tables, outcomes
from socialstudy.measures.finance import period_deviation
from socialstudy.narrative import findings, summary

SEED = "huddinge_2024_vb"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The real reports, Huddinge's Jan–Aug 2025 report and (registered too) its Jan–Apr
    2025 report: (reports, numbered facts, planted Jan–Aug, planted Jan–Apr)."""
    tmp = tmp_path_factory.mktemp("interim")
    path = synthetic.interim_report(SEED, tmp / "aug", period="jan_aug")
    april = synthetic.interim_report(SEED, tmp / "apr", period="jan_apr")
    planted_april = synthetic.planted(april)
    shutil.copyfile(april.parent / planted_april["file"], path.parent / planted_april["file"])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["reports"].append(next(e for e in yaml.safe_load(april.read_text(encoding="utf-8"))[
        "reports"] if e["doc_id"] == planted_april["doc_id"]))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    reports = load_registry(path)
    facts = extract_and_clean(reports).facts
    return (reports, facts.assign(number=facts.value.astype(float)), synthetic.planted(path),
            planted_april)


# ---- one declaration of the periods ---------------------------------------------------------

def test_every_period_column_accepts_every_registry_period():
    for name in schemas.names():
        for field in schemas.get(name)["fields"]:
            if "full_year" in field.get("constraints", {}).get("enum", []):
                assert set(registry.PERIODS) <= set(field["constraints"]["enum"]), (
                    name, field["name"])


def test_a_period_added_to_the_registry_is_accepted_by_every_schema(monkeypatch):
    monkeypatch.setitem(registry.PERIODS, "jan_jun", ("01-01", "06-30"))
    schemas.get.cache_clear()
    try:
        facts = schemas.categories("facts", "period")
        assert facts["jan_jun"]["words"] == "January–June"
        assert "January–June of the fiscal year (interim report" in facts["jan_jun"]["label"]
        assert "jan_jun" in schemas.field("deviation_adjusted", "period")["constraints"]["enum"]
    finally:
        monkeypatch.undo()
        schemas.get.cache_clear()


# ---- a header names its own period; a forecast deviation in two header rows ----------------

def _constructed(tmp_path, text: str, period: str) -> list:
    """The facts of a constructed report (one tab-separated table) of fiscal year 2025."""
    path = tmp_path / "constructed.txt"
    path.write_text(text, encoding="utf-8")
    report = Report(doc_id="testby_2025", file=path.name, municipality="Testby",
                    kommun_code="9999", document_type=registry.document_type_of(period),
                    title="t", fiscal_year=2025, period=period,
                    period_covered=period_covered(2025, period), money_unit="tkr",
                    cost_sign="costs_negative", sha256="0" * 64, path=path)
    result = CleanResult()
    extract_report(report, [], load_measures(), [], result)
    return result.facts


@pytest.mark.parametrize(("months", "period"), [
    ("jan-aug", "jan_aug"), ("jan–aug", "jan_aug"), ("jan–apr", "jan_apr"),
    ("jan-okt", "jan_oct"), ("jan–oct", "jan_oct"), ("jan-nov", "jan_nov")])
def test_a_part_year_header_gives_its_columns_its_own_period(tmp_path, months, period):
    """'Budget jan-aug' is the budget of January–August, not the full-year budget; the
    report itself is registered as full-year so that only the header can name the period."""
    facts = _constructed(tmp_path, "Driftredovisning (tkr)\n"
                         f"\tBudget {months}\tUtfall {months}\n"
                         "Individ- och familjeomsorg\t-120 000\t-126 500\n"
                         "Äldreomsorg\t-80 000\t-78 200\n", "full_year")
    read = sorted((f.source_line, f.measure, f.period, f.value) for f in facts)
    assert read == [(3, "actual", period, "-126500"), (3, "budget", period, "-120000"),
                    (4, "actual", period, "-78200"), (4, "budget", period, "-80000")]


def test_a_part_year_the_registry_has_no_name_for_is_unspecified_never_full_year(tmp_path):
    facts = _constructed(tmp_path, "Driftredovisning (tkr)\n\tBudget jan-jun\n"
                         "Äldreomsorg\t-80 000\n", "full_year")
    assert [(f.measure, f.period) for f in facts] == [("budget", "unspecified")]


def test_prognos_above_avvikelse_is_a_forecast_deviation_not_a_budget_deviation(tmp_path):
    """A two-row header: 'Prognos' spans the forecast and its deviation, 'Avvikelse'
    stands in the row below; the column is the forecast's deviation."""
    facts = _constructed(tmp_path, "Driftredovisning (tkr)\n"
                         "\tBudget\tPrognos\t\n"
                         "\t2025\t2025\tAvvikelse\n"
                         "Individ- och familjeomsorg\t-120 000\t-125 000\t-5 000\n",
                         "jan_aug")
    read = {f.column_label: (f.measure, f.period, f.value) for f in facts}
    assert read == {"Budget | 2025": ("budget", "full_year", "-120000"),
                    "Prognos | 2025": ("forecast", "full_year", "-125000"),
                    "Prognos | Avvikelse": ("forecast_deviation", "full_year", "-5000")}


# ---- --year selects the newest interim report and says so -----------------------------------

def test_year_takes_the_newest_interim_report_and_says_it_is_part_year(corpus):
    reports, facts, august, april = corpus
    scope = resolve("2025", "all", reports, facts)
    huddinge = scope.selections["Huddinge"]
    assert (huddinge.doc_id, huddinge.period, huddinge.part_year) == (
        august["doc_id"], "jan_aug", True)  # Jan–Aug, not the older Jan–Apr report
    assert april["doc_id"] == "huddinge_2025_d1"
    assert "January–August" in huddinge.note and "part-year" in huddinge.note
    assert scope.selections["Haninge"].doc_id is None
    row = one(scope.table(), municipality="Huddinge")
    assert row.note == huddinge.note
    # a committee without a report for the year: the README's words, not "not reported"
    assert one(scope.table(), municipality="Haninge").fiscal_year == (
        "no report for this selection")
    text = findings.scope_text(scope, reports)
    assert "fiscal year 2025, January–August only" in text
    assert "not comparable with full years" in text
    # the year of an annual report still takes the annual report
    assert resolve("2024", "Huddinge", reports, facts).selections["Huddinge"].doc_id == SEED


# ---- forecasts stay forecasts ---------------------------------------------------------------

def test_a_forecast_deviation_is_not_a_budget_deviation(corpus):
    reports, facts, august, _ = corpus
    cell = august["cells"]["Verksamhet|Barn & ungdomsvård"]
    at_line = facts[(facts.doc_id == august["doc_id"]) & (facts.source_line == cell["line"])]
    by_column = dict(zip(at_line.column_label, zip(at_line.measure, at_line.period,
                                                   at_line.number)))
    assert by_column["Avvikelse prognos mot budget"] == (
        "forecast_deviation", "full_year", cell["forecast_deviation"])
    assert by_column["Prognos helår"] == ("forecast", "full_year", cell["forecast"])
    assert by_column["Utfall jan-aug"] == ("actual", "jan_aug", cell["part_year"])
    activity = compare.cost_by_activity(facts, reports)
    interim = activity[activity.doc_id == august["doc_id"]]
    assert set(interim.deviation_tkr) == {""}
    row = one(interim, report_label="Barn & ungdomsvård", period="jan_aug")
    assert (row.net_cost_tkr, row.budget_tkr, row.source_line) == (
        str(cell["part_year"]), "", cell["line"])
    assert august["doc_id"] not in set(compare.budget_deviation(activity, facts).doc_id)


def test_an_annual_budget_minus_part_year_cost_is_never_a_surplus(corpus):
    reports, facts, august, _ = corpus
    frame = finance_tables.finance_tables(facts, reports, ("budget_by_cost_type",))[
        "budget_by_cost_type"]
    cell = august["cells"]["Resultaträkning|Personal"]
    row = one(frame, doc_id=august["doc_id"], report_label="Personal")
    assert (row.budget_tkr, row.outcome_tkr, row.source_line) == (
        str(-cell["budget"]), str(-cell["part_year"]), cell["line"])
    assert row.deviation_tkr == "" and row.driver_rank == ""
    assert row.reason.startswith("no deviation: a full-year budget against a January–August")
    assert set(frame[frame.doc_id == august["doc_id"]].deviation_tkr) == {""}
    schemas.validate(frame, "budget_by_cost_type")


def test_the_guard_computes_a_deviation_only_within_one_period():
    budget = SimpleNamespace(number=-304032.0, period="full_year")
    same = SimpleNamespace(number=-297706.0, period="full_year")
    part = SimpleNamespace(number=-198471.0, period="jan_aug")
    assert period_deviation(budget, same, True, -1) == (6326.0, "")
    value, why = period_deviation(budget, part, True, -1)
    assert value is None and "no surplus" in why
    assert period_deviation(None, part, True) == (None, "")


def test_prognos_goal_assessments_are_forecasts(corpus):
    reports, _, august, _ = corpus
    goals = outcomes.goals(reports)
    interim = goals[goals.doc_id == august["doc_id"]]
    # the seed's goal table, each status now marked '(prognos)': one forecast per goal
    seed = goals[(goals.doc_id == SEED) & (goals.assessment_kind == "year_end_attainment")]
    assert sorted(interim.goal_text) == sorted(seed.goal_text) and len(seed) > 0
    assert set(interim.assessment_kind) == {"year_end_forecast"}
    assert all(text.endswith("(prognos)") for text in interim.status_text)
    schemas.validate(goals, "goals")


def test_the_summary_counts_a_part_year_reports_goal_forecasts_not_results(corpus):
    """The key-figures cell of a part-year report with '(prognos)' goals says it gives
    forecasts (as many as the seed's goal rows it was made from), never 'no goals'."""
    reports, facts, august, _ = corpus
    goals = outcomes.goals(reports)
    seed = goals[(goals.doc_id == SEED) & (goals.assessment_kind == "year_end_attainment")]
    sel = resolve("2025", "all", reports, facts).selections["Huddinge"]
    every = goals[goals.doc_id == sel.doc_id]
    cell = summary._goals(every[every.assessment_kind == "year_end_attainment"], sel, every)
    met = seed.level.isin(["met", "largely_met"]).sum()
    assert cell == (f"not reported (a part-year report: it gives {len(seed)} forecasts of the "
                    f"year-end assessment instead, {met} forecast met or largely met)")


def test_the_interim_reports_pass_every_schema(corpus):
    reports, facts, _, _ = corpus
    schemas.validate(facts.drop(columns="number"), "facts")
    for name, frame in finance_tables.finance_tables(facts, reports).items():
        schemas.validate(frame, name)


# a run of other parameters, one notebook at a time (runner.KERNELS = 1, as on one core):
# the path the forced rebuild, with steps side by side, does not take
ONE_AT_A_TIME = ("import sys; from socialstudy.engine import runner; runner.KERNELS = 1; "
                 "from socialstudy.__main__ import main; sys.exit(main(sys.argv[1:]))")


@pytest.mark.slow
def test_year_runs_on_an_interim_report_added_through_the_cli(tmp_path):
    """In a copy of the repository: add-report --period jan_aug, then run --year 2025 (one
    notebook at a time); the summary names the interim report and says it is part-year.
    The run of other parameters writes its own tree, never the default study's."""
    repo = synthetic.copy_repository(tmp_path / "repo")
    generated = synthetic.interim_report(SEED, tmp_path / "gen", period="jan_aug")
    text = tmp_path / "interim.txt"
    shutil.copyfile(generated.parent / synthetic.planted(generated)["file"], text)
    added = synthetic.run_in(repo, "-m", "socialstudy", "add-report", str(text), "--period",
                             "jan_aug", "--municipality", "Huddinge", "--kommun-code", "0126",
                             "--fiscal-year", "2025", "--money-unit", "tkr")
    assert added.returncode == 0, added.stderr
    before = committed_tree(repo)
    run = synthetic.run_in(repo, "-c", ONE_AT_A_TIME, "run", "--year", "2025")
    assert run.returncode == 0, run.stderr[-3000:]
    tree = repo / "build" / "year=2025"
    summary = (tree / "notebooks" / "05_summary.ipynb").read_text(encoding="utf-8")
    assert "fiscal year 2025, January–August only" in summary
    assert "(January–August, huddinge_2025_d2) – part-year, not comparable" in summary
    log = run.stderr
    assert log.index("02_cost_structure: done") < log.index("03_staffing: running")
    assert log.index("03_staffing: done") < log.index("04_goals: running")
    assert (tree / "reports/html/index.html").exists()
    assert committed_tree(repo) == before
    again = synthetic.run_in(repo, "-m", "socialstudy", "run", "--year", "2025")
    assert "nothing to run" in again.stderr
