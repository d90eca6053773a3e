"""Issue 15: a value that contradicts its own table's arithmetic (quality.csv, crossfoot
mismatch) is used in a finding only with that caveat in the same sentence."""

import committed
import pandas as pd

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures import crossfoot
from socialstudy.narrative import caveats, findings_cost, summary

HANINGE = "000_7601200e7e1b7bea.txt"


def test_the_haninge_2023_total_is_flagged_from_quality_csv():
    found = crossfoot.load(paths.Outputs().processed)
    caveat = found[("haninge_2024_ar", 372, 2023, "full_year", "actual")]
    assert caveat == (f"the report's own lines 367–371 sum to 1149.6 mnkr against the printed "
                      f"total of 1154.0 mnkr [{HANINGE}:372]")
    assert ("haninge_2024_ar", 372, 2024, "full_year", "actual") not in found, \
        "the 2024 column adds up: no caveat"


def test_the_2023_activity_finding_carries_the_caveat_in_its_sentence(reports, facts):
    tables = committed.tables()
    text = findings_cost.activities(resolve("2023", "all", reports, facts), tables, reports)
    haninge = next(line for line in text.splitlines() if "Haninge 2023: the largest line" in line)
    sentence = haninge.split(". ")[0]
    assert "% of net cost" in sentence
    assert ("(net cost total: the report's own lines 367–371 sum to 1149.6 mnkr against the "
            f"printed total of 1154.0 mnkr [{HANINGE}:372])") in sentence
    latest = findings_cost.activities(resolve("latest", "all", reports, facts), tables, reports)
    assert "net cost total:" not in latest, "no caveat where the total adds up"


CAVEAT_2023 = (f"the report's own lines 367–371 sum to 1149.6 mnkr against the printed total "
               f"of 1154.0 mnkr [{HANINGE}:372]")


def test_the_same_figure_elsewhere_is_flagged_by_its_amount():
    # Haninge prints its 2023 net cost 1 154,0 in the income statement (line 331, which adds
    # up) and in the per-department table (line 372, whose parts sum to 1 149,6)
    found = crossfoot.load(paths.Outputs().processed)
    assert crossfoot.for_amounts(found, "haninge_2024_ar",
                                 [(2023, "full_year", "actual", "1154000")]) == [CAVEAT_2023]
    assert crossfoot.for_amounts(found, "haninge_2024_ar",
                                 [(2024, "full_year", "actual", "1243400")]) == []
    # the change column of line 372: printed 89,4, the parts' changes sum to 93,7
    assert crossfoot.for_amounts(found, "haninge_2024_ar", [(2024, "full_year", "change", 89400)]
                                 ) == [f"the report's own lines 367–371 sum to 93.7 mnkr against "
                                       f"the printed total of 89.4 mnkr [{HANINGE}:372]"]


def test_growth_and_per_inhabitant_findings_carry_the_caveat(reports, facts):
    tables = committed.tables()
    text = committed.finance(resolve("latest", "all", reports, facts), tables, reports)
    growth = next(line for line in text.splitlines() if "Haninge 2024: net cost grew" in line)
    assert f"(the previous year's net cost: {CAVEAT_2023}; change in net cost:" in growth
    assert "Huddinge 2024: net cost" in text and "sum to" not in text.split("Huddinge 2024")[1]
    text = committed.finance(resolve("2023", "all", reports, facts), tables, reports)
    per = next(line for line in text.splitlines() if "Haninge 2023: whole-committee" in line)
    assert f"[{HANINGE}:331] (net cost: {CAVEAT_2023})" in per


def test_key_figure_cells_carry_the_caveat(reports, facts):
    tables = committed.tables()
    figures = committed.key_figures(resolve("2023", "all", reports, facts), tables)
    haninge = figures.loc["Haninge"]
    assert haninge[summary.NET_COST] == f"1154.0 (net cost: {CAVEAT_2023})"
    per_inhabitant = next(c for c in figures.columns
                          if c.startswith("whole-committee net cost per inhabitant"))
    assert haninge[per_inhabitant].startswith(f"11569 (net cost: {CAVEAT_2023}); includes")
    assert "sum to" not in figures.loc["Strängnäs"][summary.NET_COST]
    latest = committed.key_figures(resolve("latest", "all", reports, facts), tables)
    assert latest.loc["Haninge"][summary.NET_COST] == "1243.4", "2024 adds up: no caveat"


def test_a_deviation_resting_on_the_contradicted_total_carries_it(reports, facts):
    # no seed report prints a 2023 budget for Haninge; a deviation whose outcome (budget −
    # deviation) is the contradicted 1 154,0 must carry the caveat in the finding and the cell
    tables = committed.tables()
    sel = resolve("2023", "all", reports, facts).selections["Haninge"]
    row = pd.Series({"fiscal_year": 2023, "period": "full_year", "deviation_tkr": "-4000",
                     "budget_tkr": "1150000"})
    assert caveats.contradicted(tables, sel, caveats.deviation_figures(row)) == \
        f" (net cost: {CAVEAT_2023})"
    row["budget_tkr"] = "1160000"
    assert caveats.contradicted(tables, sel, caveats.deviation_figures(row)) == ""
