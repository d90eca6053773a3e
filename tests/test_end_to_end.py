"""End to end, as a new user, on a growing corpus (issue 16, item 7): four reports the
study has never seen are added with the real CLI (`python -m socialstudy add-report`) to a
temporary copy of the repository (never the real data/raw), the English and crosswalk rows
a user adds then, and the default study runs through every notebook, figure and the
summary. The corpus-reading test modules (``MODULES``) then run in that copy and stay
green. One corpus, one run.

The reports are generated at test time (tests/synthetic.py): next year's Haninge report
(every amount x the seeded factor, one activity line renamed), a fourth municipality,
Flen (Huddinge's 2024 report under another name), and next year's Huddinge and Strängnäs
reports. Flen gets the crosswalk rows its review proposes, except remit.csv and the
finance crosswalks, so its remit must show as unknown and its finance measures as not
mapped. The run also carries markup in every field that reaches a page
(tests/test_hostile_pages.py): one run shows both. Counts are computed from the
registries, not typed in.
"""

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import synthetic
from repo_copy import CliSession, repo_env, seed_bytecode
from test_hostile_pages import LABEL, ROW_LABEL, markup_never_runs, plant, plant_label

from socialstudy.core.registry import load_registry
from socialstudy.crosswalks import loader as crosswalk
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.measures import compare, staffing
from socialstudy.narrative.summary import NET_COST
from socialstudy.publish.translations import TRANSLATIONS

ROOT = Path(__file__).resolve().parent.parent
PASTE = re.compile(r"^\s+paste into socialstudy/crosswalks/(\S+):\n\s+(.+)$", re.M)
NEW, NEW_CODE, DOC = "Flen", "0482", "flen_2024_ar"  # the fourth municipality
EXTRA = {  # seed, generator, its keywords, add-report arguments; added in this order
    "haninge": ("haninge_2024_ar", synthetic.next_year_report, {"seed": 7},
                ["--municipality", "Haninge", "--kommun-code", "0136", "--fiscal-year",
                 "2025", "--money-unit", "mnkr", "--title",
                 "Årsredovisning 2025, Socialnämnden"]),
    "new": ("huddinge_2024_vb", synthetic.new_municipality_report,
            {"name": NEW, "kommun_code": NEW_CODE},
            ["--municipality", NEW, "--kommun-code", NEW_CODE, "--fiscal-year", "2024",
             "--money-unit", "tkr"]),
    "huddinge": ("huddinge_2024_vb", synthetic.next_year_report, {"seed": 11},
                 ["--municipality", "Huddinge", "--kommun-code", "0126", "--fiscal-year",
                  "2025", "--money-unit", "tkr"]),
    "strangnas": ("strangnas_2023_ar", synthetic.next_year_report, {"seed": 12},
                  ["--municipality", "Strängnäs", "--kommun-code", "0486", "--fiscal-year",
                   "2024", "--money-unit", "mkr"]),
}
# corpus-reading modules that select the reports they pin
MODULES = ("tests/test_new_reports.py", "tests/test_schemas.py", "tests/test_layout.py",
           "tests/test_compare.py", "tests/test_registry.py", "tests/test_finance.py",
           "tests/test_findings.py", "tests/test_foundation_values.py",
           "tests/test_outputs.py")


def _cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "socialstudy", *args], cwd=repo,
                          capture_output=True, text=True, env=repo_env(repo))


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """The copy grown by the four reports (what each add-report printed, its review, is
    kept), with the new committee's proposals pasted and markup planted; then its default
    study run, quietly."""
    tmp = tmp_path_factory.mktemp("e2e")
    repo = synthetic.copy_repository(tmp / "repo")
    reviews, planted = {}, {}
    with CliSession(repo, repo_env(repo)) as cli:  # one command after the other
        for key, (seed, generate, keywords, arguments) in EXTRA.items():
            registry = generate(seed, tmp / key, **keywords)
            planted[key] = synthetic.planted(registry)
            text = tmp / f"{key}.txt"
            shutil.copyfile(registry.parent / planted[key]["file"], text)
            if key == "haninge":  # the likeliest real addition carries the markup
                plant_label(text, repo)
            done = cli("add-report", str(text), "--period", "full_year", *arguments)
            assert done.returncode == 0, done.stderr
            reviews[key] = done.stdout
    _translate(repo, planted)
    # the finance proposals stay unpasted: the summary must then say they are not mapped
    _paste_proposals(repo, reviews["new"], skip=("remit.csv", "finance_tables.csv",
                                                 "finance_prose.csv"))
    plant(repo)
    run = _cli(repo, "run", "--quiet")
    assert run.returncode == 0, run.stderr[-3000:]
    return {"repo": repo, "planted": planted, "run": run.stderr, **reviews}


def _translate(repo: Path, planted: dict) -> None:
    """The English a user adds as the translation test asks: of each renamed row ('X m.m.'
    is 'X etc.'), of last year's wordings with the new year in them ('Nämnden bedömer att
    målet för 2025 uppfylls'), of the seed's wordings with the new committee's name in
    them, and of the planted row label."""
    path = repo / "socialstudy" / "crosswalks" / TRANSLATIONS
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    english = dict(rows)
    for key, (_, generate, _, arguments) in EXTRA.items():
        if generate is synthetic.next_year_report:
            year = arguments[arguments.index("--fiscal-year") + 1]
            last = str(int(year) - 1)
            english = {**{sv.replace(last, year): en.replace(last, year)
                          for sv, en in english.items() if last in sv}, **english}
        else:
            english = {**{sv.replace("Huddinge", NEW): en.replace("Huddinge", NEW)
                          for sv, en in english.items() if "Huddinge" in sv}, **english}
        renamed = planted[key].get("renamed")
        if renamed:
            english[renamed["to"]] = f"{english[renamed['from']]} etc."
    english[ROW_LABEL] = english[LABEL]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *sorted(english.items())])


def _paste_proposals(repo: Path, review: str, skip: tuple[str, ...]) -> None:
    for name, row in PASTE.findall(review):
        if name not in skip:
            with (repo / "socialstudy/crosswalks" / name).open("a", encoding="utf-8") as fh:
                fh.write(row + "\n")


@pytest.mark.slow
def test_more_reports_are_registered(added):
    before = load_registry(ROOT / "data/raw/reports.yml")
    after = load_registry(added["repo"] / "data/raw/reports.yml")
    assert len(after) == len(before) + len(EXTRA)
    assert {r.municipality for r in after} - {r.municipality for r in before} == {NEW}


@pytest.mark.slow
def test_corpus_reading_tests_stay_green_in_the_grown_corpus(added):
    # (nbval is not loaded: no notebook is collected here, and its import costs a second)
    done = synthetic.run_in(added["repo"], "-m", "pytest", "-p", "no:cacheprovider", "-p",
                            "no:nbval", "-q", "-m", "not slow", *MODULES)
    tail = done.stdout[-3000:]
    assert done.returncode == 0, tail
    assert " passed" in tail and " failed" not in tail and " error" not in tail, tail


def _report(repo: Path, doc_id: str):
    return next(r for r in load_registry(repo / "data/raw/reports.yml") if r.doc_id == doc_id)


@pytest.mark.slow
def test_the_renamed_line_needs_a_decision_in_the_review_printed_by_add_report(added):
    renamed = added["planted"]["haninge"]["renamed"]
    review = added["haninge"]
    assert "registered haninge_2025_ar" in review
    assert "cost_sign costs_negative: carried over from haninge_2024_ar" in review
    decide = review.split("NEEDS A DECISION (1)")[1].split("NOT IN THE REPORT")[0]
    assert f"'{renamed['to']}' has no row in activities.csv" in decide
    assert f"renamed from '{renamed['from']}'" in decide
    assert f"Haninge,{renamed['to']},,{renamed['category']},partial," in decide
    # the seed's total, 1 243,4 mnkr (000_7601200e7e1b7bea.txt), scaled by the planted factor
    net = synthetic.scale("1 243,4", added["planted"]["haninge"]["money_factor"]) * 1000
    assert f"net cost: {net:.0f} tkr" in review


@pytest.mark.slow
def test_the_renamed_line_is_unmapped_in_cost_by_activity_never_mapped_silently(added):
    report = _report(added["repo"], "haninge_2025_ar")
    facts = extract_and_clean([report]).facts
    activity = compare.cost_by_activity(facts.assign(number=facts.value.astype(float)), [report])
    renamed = added["planted"]["haninge"]["renamed"]
    row = activity[(activity.report_label == renamed["to"]) & (activity.fiscal_year == 2025)]
    assert list(row.category) == ["unmapped"] and list(row.fit) == ["unmapped"]
    assert renamed["category"] not in set(activity[activity.fiscal_year == 2025].category)


@pytest.mark.slow
def test_a_committee_without_crosswalk_rows_is_not_mapped_yet_not_absent(added):
    report = _report(added["repo"], DOC)
    assert f"ASSUMED (no earlier annual_report of {NEW})" in added["new"]
    assert "remit: unknown" in added["new"]
    facts = extract_and_clean([report]).facts
    staff = staffing.staffing(facts.assign(number=facts.value.astype(float)), [report])
    assert staffing.NOT_REPORTED not in set(staff.status)
    reasons = set(staff[staff.status == staffing.NOT_MAPPED].reason)
    assert reasons == {"not mapped yet – staffing_map.csv and prose_facts.csv have no row "
                       f"for {NEW}; see `python -m socialstudy review {DOC}`"}
    assert crosswalk.unmapped("Huddinge", "huddinge_2024_vb", "activities.csv") is None


@pytest.mark.slow
def test_the_review_proposes_a_known_committees_prose_wording_for_a_new_one(added):
    # Huddinge's sentence on sick leave by sex (002_ed79cea0b5e49fc0.txt:785) stands in the
    # new committee's text too: proposed for prose_facts.csv, not called absent
    review = added["new"]
    assert ("sick_leave_women_pct: the text at line 785 has Huddinge's wording "
            "'Kvinnornas totala sjukfrånvaro ligger på {n} procent") in review
    assert (f"{NEW},annual_report,Kvinnornas totala sjukfrånvaro ligger på {{n}} procent och "
            "männens på {_} procent,,0,r12_nov,staffing,sick_leave_women_pct,") in review
    assert "sick_leave_women_pct: not found" not in review


@pytest.mark.slow
def test_every_finance_measure_of_a_new_committee_is_in_the_review_never_left_out(added):
    # a measure with neither a finding nor a proposal once stood under no heading at all
    review = added["new"]
    declared = {f"finance {r.measure}" for r in crosswalk.read_crosswalk("finance_tables.csv")}
    declared |= {f"finance {r.topic}" for r in crosswalk.read_crosswalk("finance_prose.csv")}
    declared |= {f"staffing detail {r.variable} ({r.breakdown})"
                 for r in crosswalk.read_crosswalk("staffing_detail.csv")}
    listed = {line.strip().split(": ")[0] for line in review.splitlines()
              if line.startswith("  ") and not line.startswith("    ")}
    assert declared <= listed, sorted(declared - listed)
    unmapped = review.split("NOT MAPPED YET")[1]
    assert (f"  finance forecast: finance_tables.csv has no row for {NEW}, and no other "
            f"committee's label or wording for it stands in {DOC}.txt") in unmapped


KEY_FIGURES = """
import json
from socialstudy.narrative import summary
from socialstudy.study.context import open_run
run = open_run("05_summary", "{year}", "{municipalities}", "")
print(summary.key_figures(run.scope, summary.load(run.outputs.processed)).to_json())
"""


def _key_figures(root: Path, year="latest", municipalities="all") -> dict:
    done = subprocess.run([sys.executable, "-c", KEY_FIGURES.format(
        year=year, municipalities=municipalities)], cwd=root, capture_output=True, text=True,
        env=repo_env(root))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_default_run_takes_the_new_reports_through_figures_and_summary(added):
    repo = added["repo"]
    # markup in every field that reaches a page (issue 15 item 4): the same run shows
    # the pages safe, and every figure below unchanged by it
    assert added["run"] == ""  # (run --quiet)
    figures = _key_figures(repo)
    net = synthetic.scale("1 243,4", added["planted"]["haninge"]["money_factor"])
    budget = synthetic.scale("1 171,5", added["planted"]["haninge"]["money_factor"])
    # the newer report is Haninge's latest; its planted net cost and deviation come through
    assert figures["year"]["Haninge"] == 2025
    assert figures[NET_COST]["Haninge"] == f"{net:.1f}"
    assert figures["budget deviation (%)"]["Haninge"] == f"{100 * (budget - net) / budget:.2f}"
    # the fourth municipality equals its seed (Huddinge 2024, 002_ed79cea0b5e49fc0.txt), as
    # the committed study shows it (in the copy, Huddinge's latest is the 2025 report)
    seed = _key_figures(ROOT)
    for column in (NET_COST, "budget deviation (%)", "personnel share of gross cost (%)",
                   "sick leave (%)"):
        # (Huddinge's sick-leave cell adds its own definition, cited; the copy has none)
        assert figures[column][NEW] == seed[column]["Huddinge"].split(";")[0], column
    assert figures[NET_COST][NEW] == "497.0"
    # goal counts on scales with a different number of steps are never set side by side
    # (issue 17): Huddinge's 3-wording scale beside Haninge's 4 and Strängnäs's 2
    assert figures["goals met or largely met"][NEW].startswith(
        "not counted here: own scale of 3 wordings")
    assert figures["remit"][NEW] == (
        "unknown (no row in crosswalks/remit_reports.csv or remit.csv)")
    summary = (repo / "notebooks/05_summary.ipynb").read_text(encoding="utf-8")
    assert f"{NEW} 2024: the committee stayed within budget, 0.9 %" in summary
    assert f"the largest line is “{added['planted']['haninge']['renamed']['to']}” " \
           "(unmapped line: see the review)" in summary
    # measures whose crosswalks have no row for the new committee say so, never "the report
    # prints none" (finance_tables.csv and finance_prose.csv were not filled in)
    assert (f"{NEW} 2024: net cost per inhabitant not mapped yet – "
            f"finance_tables.csv and finance_prose.csv have no row for {NEW}") in summary
    for svg in sorted((repo / "figures").glob("*.svg")):
        assert NEW in svg.read_text(encoding="utf-8"), svg.name
    assert "Traceback" not in summary and '"name": "stderr"' not in summary
    markup_never_runs(repo)


# --- hard inputs through the CLI: one line naming file, line and fix; nothing written -----

@pytest.fixture
def fresh(tmp_path):
    repo = tmp_path / "repo"
    for name in ("socialstudy", "data", "notebooks"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    seed_bytecode(ROOT, repo, ("socialstudy",))
    return repo


def _one_line_error(done: subprocess.CompletedProcess, *parts: str) -> None:
    assert done.returncode == 2, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("error: ") and "Traceback" not in done.stderr, done.stderr
    for part in parts:
        assert part in done.stderr, (part, done.stderr)


@pytest.mark.slow  # the CLI in a copy of the repository
@pytest.mark.parametrize("row, message", [
    ("Haninge,Försörjningsstöd,,other,exact,,,again,",
     "duplicate key (municipality='Haninge', report_label='Försörjningsstöd', "
     "occurrence=''), letter case aside"),
    ('Haninge,"Försörjningsstöd,,other,exact,open', "unbalanced quote")])
def test_a_damaged_crosswalk_stops_the_run_before_any_step(fresh, row, message):
    path = fresh / "socialstudy/crosswalks/activities.csv"
    line = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with path.open("a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    done = _cli(fresh, "run")
    _one_line_error(done, f"activities.csv:{line}: {message}", "fix:")
    assert ": running" not in done.stderr
    assert [p.name for p in (fresh / "build").iterdir()] == [".run.lock"]  # no stage, no step


@pytest.mark.slow  # the CLI in a copy of the repository, five times
def test_hard_registry_inputs_fail_before_anything_is_written(fresh, tmp_path):
    raw = fresh / "data/raw"
    registry = (raw / "reports.yml").read_text(encoding="utf-8")
    add = ["--municipality", "Haninge", "--kommun-code", "0136", "--fiscal-year", "2025",
           "--period", "full_year", "--money-unit", "mnkr"]
    seed = raw / "000_7601200e7e1b7bea.txt"
    _one_line_error(_cli(fresh, "add-report", str(seed), *add),
                    "reports.yml:", "registered already, as haninge_2024_ar", "Fix:")
    prose = tmp_path / "prose.txt"  # only the prose lines of the seed: no table of any shape
    prose.write_text("".join(t for t in seed.read_text(encoding="utf-8").splitlines(True)
                             if "\t" not in t and not any(c.isdigit() for c in t)),
                     encoding="utf-8")
    _one_line_error(_cli(fresh, "add-report", str(prose), *add),
                    "prose.txt: no table found in the text", "Fix:")
    assert (raw / "reports.yml").read_text(encoding="utf-8") == registry
    assert sorted(p.name for p in raw.iterdir()) == sorted(
        p.name for p in (ROOT / "data/raw").iterdir())
    (raw / "reports.yml").write_text(
        registry.replace('kommun_code: "0136"', "kommun_code: 0136", 1), encoding="utf-8")
    _one_line_error(_cli(fresh, "run"), "reports.yml:29: kommun_code is the int 94", "fix:")
    (raw / "reports.yml").write_text(registry.replace("file: 000_7601200e7e1b7bea.txt",
                                                      "file: link.txt"), encoding="utf-8")
    (raw / "link.txt").symlink_to(seed)
    _one_line_error(_cli(fresh, "run"), "file 'link.txt' is a symbolic link", "fix:")
    assert not (fresh / "build").exists()  # stopped before the run took its lock


def test_a_duplicate_cost_type_row_is_refused_not_last_wins(tmp_path):
    folder = tmp_path / "crosswalks"
    shutil.copytree(ROOT / "socialstudy/crosswalks", folder)
    path = folder / "cost_types.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1].replace("exact", "approximate", 1)]) + "\n",
                    encoding="utf-8")
    with pytest.raises(crosswalk.CrosswalkError, match=r"duplicate key .*: also at line 2\b"):
        crosswalk.check_all(folder)


def test_the_benchmark_corpus_is_a_valid_registry_with_the_seeds_facts(tmp_path, facts):
    from socialstudy.tools import scale
    reports = load_registry(scale.write_corpus(8, tmp_path))  # the same bytes twice: refused
    assert len({r.sha256 for r in reports}) == 8
    # the seeds' facts: the session's extraction of the registry (tests/conftest.py)
    assert len(extract_and_clean(reports).facts) == 2 * len(facts)


def test_a_one_row_staffing_figure_keeps_its_legend_clear_of_the_axis_label(reports, facts):
    # a single municipality (Strängnäs 2023: sick leave 9.4 %, 004_2f72d566b296dc43.txt:630)
    # gives one row; the legend was placed by a share of the axes' height and hit the label
    from socialstudy import figures, paths
    from socialstudy.core.scope import resolve
    from socialstudy.narrative import findings
    scope = resolve("latest", "Strängnäs", reports, facts)
    staff = findings.load(paths.Outputs().processed, ("staffing",))["staffing"]
    fig = figures.staffing_panel(staff, scope, reports, {"sick_leave_total_pct": "total"},
                                 "staffing_sick_leave", "Sick leave (%)")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    label = ax.xaxis.label.get_window_extent(renderer)
    legend = ax.get_legend().get_window_extent(renderer)
    assert [t.get_text().strip() for t in ax.texts] == ["9.4"]
    assert legend.y1 < label.y0, (legend, label)
