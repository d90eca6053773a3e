"""The review of a report whose rows name no social-services committee: it says so and
lists the committee rows it found, each with its line, and proposes no committee total
– another committee's row is never the social committee's total, in any path of
``total_line`` (committee total, activity lines of a new committee, activity lines of a
committee with rows but no total). Its headings tell the truth: *not in the report* holds
only what the report was read for and lacks; what no crosswalk row covers yet stands
under *not mapped yet*.

Real text: Gnesta's 2013 operating statement (tests/fixtures/real/gnesta_2013_ar_drift,
from https://www.gnesta.se/…/driftredovisning.html): Kommunstyrelsen line 12 (– 37 264
tkr), Miljö- och byggnämnden line 20 (– 11 705), Barn- och utbildningsnämnden line 26
(– 251 589); Haninge 2024 (000_7601200e7e1b7bea.txt), 'Socialnämnden' line 372, net cost
-1 243,4 mnkr, 'Socialnämnd' (the committee's own costs) line 368, -2,6."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest
import synthetic
from real_fixtures import Fixture, copy_repo, fixtures
from repo_copy import repo_env

from socialstudy.core import registry as reg
from socialstudy.core.registry import sha256_of
from socialstudy.tools import review
from socialstudy.tools.pdf_entry import entry_block
from socialstudy.tools.review_committees import total_line
from socialstudy.tools.review_common import DECIDE

GNESTA = next(f for f in fixtures() if f.slug == "gnesta_2013_ar_drift")
COMMITTEE_ROWS = "lines 12 (Kommunstyrelsen), 20 (Miljö- och byggnämnden), 26 (Barn- och " \
                 "utbildningsnämnden)"
STAFFING = ("headcount", "fte", "turnover_total_pct", "turnover_voluntary_pct",
            "sick_leave_total_pct", "sick_leave_long_share_pct", "sick_leave_short_share_pct",
            "sick_leave_women_pct", "sick_leave_men_pct")


def _cli(repo, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "socialstudy", *args], cwd=repo,
                          capture_output=True, text=True, env=repo_env(repo))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def gnesta(tmp_path_factory) -> str:
    """The review a user gets: add-report, then review, in a copy of the repository."""
    repo = copy_repo(tmp_path_factory.mktemp("gnesta") / "repo")
    _cli(repo, "add-report", str(GNESTA.report), "--municipality", "Gnesta", "--kommun-code",
         "0461", "--fiscal-year", "2013", "--period", "full_year", "--money-unit", "tkr")
    return _cli(repo, "review", "gnesta_2013_ar")


def _section(text: str, heading: str) -> list[str]:
    """The item lines under ``heading`` (up to the next heading)."""
    part = re.split(rf"(?m)^{re.escape(heading)} \(\d+\).*\n", text)[1]
    return re.split(r"(?m)^[A-Z][A-Z ,]+ \(\d+\)", part)[0].strip("\n").splitlines()


def _label_at(fx: Fixture, line: int) -> str:
    return re.sub(r"(\s+[-–]?\s?\d[\d\s,%–-]*)$", "", fx.lines[line - 1])


def test_gnesta_review_names_the_committee_rows_with_their_lines_and_proposes_no_total(
        gnesta):
    assert [(n, _label_at(GNESTA, n)) for n in (12, 20, 26)] == [
        (12, "Kommunstyrelsen"), (20, "Miljö- och byggnämnden"),
        (26, "Barn- och utbildningsnämnden")]
    (item,) = [ln for ln in _section(gnesta, "NEEDS A DECISION")
               if ln.startswith("  social committee: ")]
    assert item.startswith("  social committee: no row names a social-services committee "
                           "(none matches the names declared as `own` in socialstudy/reference/"
                           "finance_phrases.yaml); the report's committee rows are at "
                           f"{COMMITTEE_ROWS}, so none is proposed as the committee's total.")
    assert "if one of these rows is the committee's own, add it to activities.csv" in item
    for measure in ("net cost", "budget", "budget deviation"):
        assert f"  {measure}: no committee total: no activity table is mapped and no " \
               "sentence of the text is anchored; no row names a social-services committee " \
               "(see 'social committee' above)" in gnesta
    assert "proposed as its total" not in gnesta
    assert "names the committee itself" not in gnesta
    pasted = re.findall(r"(?m)^    (Gnesta,.*)$", gnesta)
    assert pasted == ["Gnesta,<category>,yes|partial|no,<quote from the report>,<note>"]


def test_not_in_the_report_lists_nothing_not_mapped_yet(gnesta):
    """Before: nine staffing measures stood under NOT IN THE REPORT with the reason 'not
    mapped yet – staffing_map.csv and prose_facts.csv have no row for Gnesta'."""
    absent = _section(gnesta, "NOT IN THE REPORT")
    assert not [ln for ln in absent if "not mapped" in ln or "no row for" in ln], absent
    assert "NOT IN THE REPORT (0): the report was read for these and does not give them" \
        in gnesta
    unmapped = _section(gnesta, "NOT MAPPED YET")
    names = [ln.split(":")[0].strip() for ln in unmapped]
    assert names[:len(STAFFING) + 2] == ["cost types", *STAFFING, "goals"]
    # then every finance-table, finance-prose and staffing-detail measure (Gnesta's page
    # holds none of the other committees' labels or wordings)
    assert names[len(STAFFING) + 2:] and all(
        n.startswith(("finance ", "staffing detail ")) for n in names[len(STAFFING) + 2:])
    assert "  finance net_cost_total: finance_tables.csv has no row for Gnesta" in gnesta
    assert unmapped[1] == (
        "  headcount: staffing_map.csv and prose_facts.csv have no row for Gnesta, and no "
        "other committee's label or wording for it stands in gnesta_2013_ar.txt: if the "
        "report gives it, add its row (README, 'Adding a report')")


def test_a_declared_absence_stays_under_not_in_the_report():
    """Strängnäs 2023 (004_…txt) prints no turnover figure (not_reported.csv): read and
    absent, never 'not mapped yet'."""
    text = review.review_text("strangnas_2023_ar")
    assert [ln for ln in _section(text, "NOT IN THE REPORT")
            if ln.startswith("  turnover_total_pct: no turnover figure in the 2023 report")]
    assert "NOT MAPPED YET (0)" in text


def test_total_line_takes_only_a_row_naming_the_social_committee():
    gnesta = [(_label_at(GNESTA, n), n) for n in range(4, 34) if n != 11]
    assert total_line(gnesta) is None
    assert total_line([("Socialnämnd", 368), ("Försörjningsstöd", 369),
                       ("Socialnämnden", 372), ("Barn- och utbildningsnämnden", 380)]) == 372
    assert total_line([("Social- och äldrenämnden", 7), ("Kommunstyrelsen", 9)]) == 7
    assert total_line([("Försörjningsstöd", 369)]) is None


def _seed(tmp_path, **replacements):
    return synthetic.new_municipality_report("haninge_2024_ar", tmp_path, name="Nyköping",
                                             kommun_code="0480", replacements=replacements)


def test_the_seeds_total_is_proposed_and_another_committees_never(tmp_path):
    registry = _seed(tmp_path)
    line = (tmp_path / "data/raw" / synthetic.planted(registry)["file"]).read_text(
        encoding="utf-8").split("\n")[371]
    assert line.startswith("<b>Socialnämnden</b>\t<b>-1 243,4</b>")
    _, items, _ = review.review("nykoping_2024_ar", registry)
    by = {i.measure: i for i in items}
    assert by["net cost"].detail.endswith("the row proposed as its total is line 372 (below)")
    assert by["activity line 372"].proposal.startswith("Nyköping,Socialnämnden,,total,exact,")
    assert "social committee" not in by
    # the same table under a name that is not a social-services committee's (line 368
    # 'Äldrenämnd', line 372 'Äldrenämnden', -1 243,4): before, line 372 was proposed as
    # the social committee's total
    registry = _seed(tmp_path / "other", **{"\nSocialnämnd\t-2,6": "\nÄldrenämnd\t-2,6",
                                  "<b>Socialnämnden</b>\t<b>-1 243,4":
                                  "<b>Äldrenämnden</b>\t<b>-1 243,4"})
    _, items, _ = review.review("nykoping_2024_ar", registry)
    by = {i.measure: i for i in items}
    assert "the report's committee rows are at lines 368 (Äldrenämnd), 372 (Äldrenämnden), " \
           "so none is proposed" in by["social committee"].detail
    assert by["net cost"].detail.endswith("(see 'social committee' above)")
    activity = [i for i in items if i.measure.startswith("activity line")]
    assert [(i.measure, i.status, i.proposal) for i in activity] == [
        ("activity line 367", DECIDE, "")]
    assert activity[0].detail.startswith("the table of lines 367-372 names committees (lines "
                                         "368, 372), none of them social")
    assert not [i for i in items if i.crosswalk == "activities.csv" and ",total," in i.proposal]


def _registered(tmp_path, text: str, doc_id="gnesta_2013_ar", municipality="Gnesta",
                kommun_code="0461", title="Driftredovisning", year=2013, unit="tkr"):
    """A registry holding ``text`` as one full-year annual report (costs negative): by
    default Gnesta's page (tkr)."""
    raw = tmp_path / "data/raw"
    raw.mkdir(parents=True)
    data = text.encode("utf-8")
    (raw / f"{doc_id}.txt").write_bytes(data)
    fields = {"doc_id": doc_id, "file": f"{doc_id}.txt", "municipality": municipality,
              "kommun_code": kommun_code, "document_type": "annual_report", "title": title,
              "fiscal_year": year, "period": "full_year",
              "period_covered": reg.period_covered(year, "full_year"), "money_unit": unit,
              "cost_sign": reg.COSTS_NEGATIVE, "sha256": hashlib.sha256(data).hexdigest()}
    (raw / "reports.yml").write_text("reports:\n" + entry_block(fields), encoding="utf-8")
    return raw / "reports.yml"


def _gnesta_as(tmp_path, name: str) -> dict:
    """The review's items for Gnesta's page with line 12 printed as committee ``name``'s
    ('<name> – 37 264 – 1 578 4,4 % – 37 500 236')."""
    text = GNESTA.report.read_text(encoding="utf-8").replace(
        "Kommunstyrelsen – 37 264", f"{name} – 37 264")
    _, items, _ = review.review("gnesta_2013_ar", _registered(tmp_path, text))
    return {i.measure: i for i in items}


def test_a_social_row_of_an_operating_statement_is_proposed_or_pointed_at(tmp_path):
    """'Socialnämnden' (a label activities.csv knows) at line 12: proposed as the total,
    its units (lines 13-19) as its activities, every other row left out."""
    by = _gnesta_as(tmp_path, "Socialnämnden")
    assert by["net cost"].detail.endswith("the row proposed as its total is line 12 (below)")
    assert by["activity line 12"].proposal.startswith("Gnesta,Socialnämnden,,total,exact,")
    assert by["activity line 4"].detail.startswith(
        "rows of other committees in a municipal operating statement (lines 4, 5, 6, 7, 8, 9, "
        "10, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33)")
    assert sorted(int(m.split()[-1]) for m in by if m.startswith("activity line")) == [
        4, *range(12, 20)]
    assert "social committee" not in by
    # 'Social- och omsorgsnämnden' (no crosswalk has it) at line 12: no table shares a
    # label with activities.csv, so nothing is proposed below, but the review points at
    # line 12 (before: 'see the activity lines … below', and none was listed)
    by = _gnesta_as(tmp_path / "other", "Social- och omsorgsnämnden")
    assert by["net cost"].detail.endswith(
        "line 12 ('Social- och omsorgsnämnden') names the committee, in a table that shares "
        "no label with activities.csv: add that row there with category total")
    assert "social committee" not in by
    assert not [m for m in by if m.startswith("activity line")]


def test_a_cell_that_could_not_be_read_stands_under_its_own_heading(raw):
    """Huddinge 2024 (002_…txt) line 454 'Verksamhetens intäkter 41 974 49 339' with a tab
    inside '49 339': the row is unread, so its cost type is neither found nor absent
    (before: the review stopped with 'Verksamhetens intäkter … not found in the facts')."""
    path = raw / "002_ed79cea0b5e49fc0.txt"
    before = sha256_of(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("intäkter\t41 974\t49 339\t", "intäkter\t41 974\t49\t339\t",
                                 1), encoding="utf-8")
    registry = raw / "reports.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(before, sha256_of(path)),
                        encoding="utf-8")
    out = review.review_text("huddinge_2024_vb", registry)
    assert _section(out, "IN THE REPORT, NOT READ") == [
        "  cost type total_revenue: line 454 'Verksamhetens intäkter': not reported — cell at "
        "line 454 could not be read (002_ed79cea0b5e49fc0.txt, printed '41 974'): row has 6 "
        "cells but the header has 5: a tab or a split inside a number shifts the row's cells, "
        "so none of its values is used"]
    assert "cost type total_revenue" not in "\n".join(_section(out, "FOUND AUTOMATICALLY"))


# Dagens Vimmerby, February 2024, on the social committee's 2023 accounts
# (https://www.dagensvimmerby.se/nyheter/politik/e/153845/), its figures kept, its prose
# in other words: a prose-only report whose wording no finance phrase knows
VIMMERBY_2023 = """Så blev socialens bokslut 2023
Under 2023 fick socialnämnden närmare 20 miljoner kronor i extra statsbidrag.
Då låg socialnämnden på ett minus på 14,1 miljoner kronor.
Det gör att bokslutet ser ut att bli drygt elva miljoner kronor i underskott gentemot budget.
"""


def test_a_prose_only_report_is_not_pointed_at_activity_lines_it_cannot_have(tmp_path):
    """Before: 'see the activity lines and the finance prose proposals below', and the
    review listed neither (no table; no sentence matched a finance wording)."""
    registry = _registered(tmp_path, VIMMERBY_2023, doc_id="vimmerby_2023_news",
                           municipality="Vimmerby", kommun_code="0884",
                           title="Så blev socialens bokslut 2023", year=2023, unit="mnkr")
    _, items, _ = review.review("vimmerby_2023_news", registry)
    by = {i.measure: i for i in items}
    assert not [m for m in by if m.startswith(("activity line", "finance prose"))]
    for measure in ("net cost", "budget", "budget deviation"):
        assert by[measure].status == DECIDE
        assert by[measure].detail.endswith(
            "the report has no table, so only a sentence can give it: see the finance prose "
            "proposals below; where none is listed, no sentence matched a wording of "
            "reference/finance_phrases.yaml, and the total goes into prose_facts.csv by hand")
