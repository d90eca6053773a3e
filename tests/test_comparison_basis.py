"""Issue 17: definitions and remit differences as one processed table (comparison_basis),
per report, each row quoted at its line; and the remit of a run is the selected report's."""

from __future__ import annotations

import committed
import pandas as pd
import pytest

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures import like_with_like
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import caveats

H24, H20 = "000_7601200e7e1b7bea.txt", "001_9c5091bf1d1e3ae2.txt"
HU, ST = "002_ed79cea0b5e49fc0.txt", "004_2f72d566b296dc43.txt"


@pytest.fixture(scope="module")
def basis(reports):
    return like_with_like.comparison_basis(like_with_like.definitions(reports),
                                           remit_by_report(reports)).set_index(
        ["doc_id", "topic", "aspect"])


@pytest.mark.parametrize("key,file,line,quote", [
    (("haninge_2024_ar", "sick_leave", "period and basis"), H24, 466,
     "Total sjukfrånvaro i procent av ordinarie arbetstid"),
    (("huddinge_2024_vb", "turnover", "who is counted"), HU, 814, "medarbetare har slutat"),
    (("strangnas_2023_ar", "grants", "base"), ST, 471, "exklusive bidrag från Migrationsverket"),
    (("strangnas_2023_ar", "goal_scale", "steps and wording"), ST, 138,
     "sex av tio mål är helt uppfyllda"),
    (("haninge_2020_d1", "period", "period"), H20, 268, "Socialnämndens utfall för perioden"),
    (("strangnas_2023_ar", "sick_leave_long_share", "definition"), ST, 632,
     "det vill säga hade pågått längre än 59 dagar"),
    (("huddinge_2024_vb", "remit", "disability_support"), HU, 502,
     "Insatser till personer med funktionsnedsättning (ej LSS/SFB)"),
    (("haninge_2020_d1", "remit", "elderly_care"), H20, 288,
     "Avdelning Beställare funktionsnedsättning och äldre"),
])
def test_each_row_is_quoted_at_its_line(basis, key, file, line, quote):
    row = basis.loc[key]
    assert (row.status, row.source_file, int(row.source_line), row.quote) == (
        "quoted", file, line, quote)
    assert quote in (paths.RAW / file).read_text(encoding="utf-8").splitlines()[line - 1]


def test_remit_status_is_per_report(basis):
    """Haninge 2020 had a purchaser department for disability and older people (line 288);
    Haninge 2024 runs no elderly care (line 103)."""
    assert basis.loc[("haninge_2020_d1", "remit", "elderly_care")].in_remit == "partial"
    assert basis.loc[("haninge_2024_ar", "remit", "elderly_care")].in_remit == "no"
    assert basis.loc[("huddinge_2024_vb", "remit", "economic_assistance")].in_remit == "partial"


def test_a_topic_the_report_does_not_define_says_so(basis):
    row = basis.loc[("strangnas_2023_ar", "turnover", "")]
    assert row.status == "not stated" and row.quote == "" and row.reason
    assert ("haninge_2020_d1", "sick_leave", "") in basis.index


def test_the_table_is_in_the_package_and_the_dictionary():
    package = (paths.Outputs().processed / "datapackage.json").read_text(encoding="utf-8")
    assert '"name": "comparison_basis"' in package
    dictionary = (paths.ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert "comparison_basis" in dictionary
    written = pd.read_csv(paths.Outputs().processed / "comparison_basis.csv", dtype=str,
                          keep_default_na=False)
    assert len(written[(written.doc_id == "haninge_2024_ar") & (written.topic == "remit")]) == 8


def test_a_prior_year_run_names_the_report_whose_remit_it_uses(reports, facts):
    """A 2023 run takes Haninge's 2023 column from the 2024 report: its remit is that
    report's, and the reorganisation the report names (line 101) is cited beside it."""
    remit = remit_by_report(reports)
    defs = like_with_like.definitions(reports)
    scope = resolve("2023", "all", reports, facts)
    note = caveats.remit_year_note(remit, defs, scope.selections["Haninge"])
    assert note == (" (as the 2024 report describes the committee; new organisation from "
                    "1 January 2024; the prior-year columns were earned under the earlier one "
                    f"[{H24}:101])")
    assert caveats.remit_year_note(remit, defs, scope.selections["Strängnäs"]) == ""
    figures = committed.key_figures(scope, committed.tables())
    assert figures.loc["Haninge", "remit"].endswith(f"[{H24}:101])")
    latest = resolve("latest", "all", reports, facts).selections["Haninge"]
    assert caveats.remit_year_note(remit, defs, latest) == ""


def test_a_2020_run_uses_the_2020_reports_remit(reports, facts):
    scope = resolve("2020", "all", reports, facts)
    figures = committed.key_figures(scope, committed.tables())
    # what the partial remit covers (remit_scope.csv: 001:288 purchaser department, 001:464)
    assert figures.loc["Haninge", "remit"].startswith(
        "partly: elderly care (case work for older people only, as a purchaser department; "
        "the care itself is the elderly-care committee's), health care (HSL in LSS settings "
        "only); other: labour-market measures, family law and unaccompanied minors "
        "[001_9c5091bf1d1e3ae2.txt:382]")
