"""Issue 17: grant shares on one stated base or not ranked. All grants as a share of the
committee's funding (net budget plus revenue): computed where the report's grant row is all
grants (Haninge 2024: 222,6 ÷ (1 171,5 + 325,7), lines 341, 331, 329), printed where the
report states it (Strängnäs 2023: "Bidrag utgjorde 6 procent av nämndens intäkter 2023",
line 562), and 'not reported' with the reason where only targeted grants are itemised."""

from __future__ import annotations

import committed
import pytest

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures.revenue import ALL_GRANTS, revenue_dependence


@pytest.fixture(scope="module")
def shares(numbered_facts, reports):
    frame = revenue_dependence(numbered_facts, reports)
    return frame[frame.measure == ALL_GRANTS].set_index(["doc_id", "fiscal_year"])


def test_haninge_all_grants_share_is_computed_from_three_cited_lines(shares):
    row = shares.loc[("haninge_2024_ar", 2024)]
    assert (row.value, row.status, row.source_line, row.other_lines) == (
        "14.87", "derived", 341, "329;331")
    assert round(100 * 222_600 / (1_171_500 + 325_700), 2) == 14.87


def test_strangnas_prints_its_all_grants_share(shares):
    row = shares.loc[("strangnas_2023_ar", 2023)]
    assert (row.value, row.status, row.source_line, row.raw) == (
        "6", "derived", 562, "Bidrag utgjorde 6 procent av nämndens intäkter 2023")
    line = (paths.RAW / row.source_file).read_text(encoding="utf-8").splitlines()[561]
    assert row.raw in line


def test_targeted_grants_only_is_not_reported_with_the_reason(shares):
    row = shares.loc[("huddinge_2024_vb", 2024)]
    assert row.status == "not reported" and row.value == ""
    assert row.reason.startswith("the itemised grants are not all grants (targeted grants")
    assert shares.loc[("haninge_2024_ar", 2023)].reason == (
        "the report prints no net budget for 2023, the base of the share")


def test_the_finding_says_whether_all_grants_are_on_one_base(reports, facts):
    tables = committed.tables()
    two = committed.finance(resolve("latest", "Haninge,Strängnäs", reports, facts),
                                   tables, reports)
    assert "all grants 14.9 % of its funding (net budget plus revenue)" in two
    assert ("all grants 6 % of its funding (net budget plus revenue; printed, rounded to whole "
            "per cent) [004_2f72d566b296dc43.txt:405, 467, 562]") in two
    assert "on one base for every committee in this run" in two
    three = committed.finance(resolve("latest", "all", reports, facts), tables, reports)
    assert "not given for Huddinge, so they are not ranked either" in three
    assert three.count("All grants as a share of funding") == 1
