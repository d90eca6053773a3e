"""Revenue as a share of gross cost stands per committee in the finance findings (notebooks
02 and 05); where two or more committees' shares stand together, one caveat says whether
they are on one definition of what revenue and gross cost hold. The three reports are not:
Haninge eliminates internal transactions (000:353), Strängnäs's revenue holds internal
dealings between Myndighet and elderly care (004:564), Huddinge says neither (002:467)."""

from __future__ import annotations

import committed

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures.like_with_like import definitions
from socialstudy.narrative import caveats

HANINGE, HUDDINGE, STRANGNAS = ("000_7601200e7e1b7bea.txt", "002_ed79cea0b5e49fc0.txt",
                                "004_2f72d566b296dc43.txt")
NOT_COMPARABLE = (" Revenue as a share of gross cost is not comparable across these committees: "
                  "their reports do not count internal transactions in revenue and gross cost "
                  "alike (Haninge 2024: committee-internal transactions are eliminated from "
                  f"revenue, and so from gross cost (revenue plus net cost) [{HANINGE}:353]; ")


def test_revenue_definitions_are_quoted_at_their_lines(reports):
    defs = definitions(reports)
    defs = defs[defs.topic == "revenue"].set_index("doc_id")
    assert (defs.loc["haninge_2024_ar"].source_line,
            defs.loc["haninge_2024_ar"].quote) == (353, "nämndinterna transaktioner eliminerade")
    assert defs.loc["strangnas_2023_ar"].source_line == 564
    assert "mellan myndighet och äldreomsorg" in defs.loc["strangnas_2023_ar"].quote
    assert defs.loc["huddinge_2024_vb"].source_line == 467
    assert defs.loc["huddinge_2024_vb"].definition.endswith("is not stated")


def test_the_default_run_says_the_revenue_shares_are_not_comparable(reports, facts):
    text = committed.finance(resolve("latest", "all", reports, facts),
                   committed.tables(), reports)
    # 325,7 / (325,7 + 1 243,4) at 000:329, 331; 49 339 / 546 385 at 002:454, 460;
    # 222,5 / 1 125,1 at 004:405
    assert "Haninge 2024: revenue covered 20.8 % of gross cost" in text
    assert "Huddinge 2024: revenue covered 9.0 % of gross cost" in text
    assert "Strängnäs 2023: revenue covered 19.8 % of gross cost" in text
    assert NOT_COMPARABLE in text and text.count("Revenue as a share of gross cost") == 1
    assert (f"Huddinge 2024: whether internal transactions between the committee's units are "
            f"included in revenue and costs is not stated [{HUDDINGE}:467]") in text
    assert (f"between Myndighet and elderly care, so they stand in both revenue and gross cost "
            f"[{STRANGNAS}:564]).") in text


def test_a_single_committee_carries_no_comparison_caveat(reports, facts):
    tables = committed.tables()
    scope = resolve("latest", "Haninge", reports, facts)
    assert caveats.revenue_base(tables, scope, reports) == ""
    assert "Revenue as a share of gross cost is" not in committed.finance(scope, tables, reports)


def test_one_definition_is_said_only_where_all_agree(reports, facts, monkeypatch):
    tables = committed.tables()
    scope = resolve("latest", "Haninge,Strängnäs", reports, facts)
    assert caveats.revenue_base(tables, scope, reports).startswith(NOT_COMPARABLE)
    real = definitions(reports)
    same = real.assign(definition=real.definition.where(
        real.topic != "revenue", "internal transactions eliminated"))
    monkeypatch.setattr(caveats, "definitions", lambda reps: same[same.doc_id.isin(
        [r.doc_id for r in reps])])
    assert caveats.revenue_base(tables, scope, reports) == (
        " Revenue as a share of gross cost is on one definition for every committee in this "
        f"run: internal transactions eliminated [{HANINGE}:353; {STRANGNAS}:564].")


def test_notebooks_carry_the_caveat_beside_the_shares():
    for name in ("02_cost_structure.ipynb", "05_summary.ipynb"):
        text = (paths.ROOT / "notebooks" / name).read_text(encoding="utf-8")
        assert "revenue covered 20.8 % of gross cost" in text
        assert "Revenue as a share of gross cost is not comparable across these" in text


def test_a_prior_year_column_says_which_year_the_definition_is_of(reports, facts):
    """The 2023 run reads Haninge's 2024 report's prior-year column: 000:353 speaks of 2024."""
    tables = committed.tables()
    text = caveats.revenue_base(tables, resolve("2023", "all", reports, facts), reports)
    assert ("Haninge 2023: committee-internal transactions are eliminated from revenue, and so "
            f"from gross cost (revenue plus net cost) (said of 2024) [{HANINGE}:353]") in text
    assert "Strängnäs 2023: internal transactions are included" in text
    assert "(said of 2023)" not in text
