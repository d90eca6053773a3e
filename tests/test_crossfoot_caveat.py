"""Issue 15: a value that contradicts its own table's arithmetic (quality.csv, crossfoot
mismatch) is used in a finding only with that caveat in the same sentence."""

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures import crossfoot
from socialstudy.narrative import findings, findings_cost

HANINGE = "000_7601200e7e1b7bea.txt"


def test_the_haninge_2023_total_is_flagged_from_quality_csv():
    found = crossfoot.load(paths.Outputs().processed)
    caveat = found[("haninge_2024_ar", 372, 2023, "full_year", "actual")]
    assert caveat == (f"the report's own lines 367–371 sum to 1149.6 mnkr against the printed "
                      f"total of 1154.0 mnkr [{HANINGE}:372]")
    assert ("haninge_2024_ar", 372, 2024, "full_year", "actual") not in found, \
        "the 2024 column adds up: no caveat"


def test_the_2023_activity_finding_carries_the_caveat_in_its_sentence(reports, facts):
    tables = findings.load(paths.Outputs().processed)
    text = findings_cost.activities(resolve("2023", "all", reports, facts), tables, reports)
    haninge = next(line for line in text.splitlines() if "Haninge 2023: the largest line" in line)
    sentence = haninge.split(". ")[0]
    assert "% of net cost" in sentence
    assert ("(net cost total: the report's own lines 367–371 sum to 1149.6 mnkr against the "
            f"printed total of 1154.0 mnkr [{HANINGE}:372])") in sentence
    latest = findings_cost.activities(resolve("latest", "all", reports, facts), tables, reports)
    assert "net cost total:" not in latest, "no caveat where the total adds up"
