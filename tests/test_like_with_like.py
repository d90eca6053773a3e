"""The caveats that travel with a cross-committee comparison are built from the remit and
definition tables, name committee, activity or definition and amount, cite their lines, and
change with the selection."""

from __future__ import annotations

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures.like_with_like import definitions, remit_differences
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import findings
from socialstudy.narrative.caveats import comparison_caveat
from socialstudy.narrative.findings_finance import finance

ACTIVITY = findings.read(paths.Outputs().processed, "cost_by_activity")


def test_definitions_are_quoted_at_their_lines(reports):
    defs = definitions(reports).set_index(["doc_id", "topic", "aspect"])
    row = defs.loc[("huddinge_2024_vb", "sick_leave", "period and basis")]
    assert (row.source_file, row.source_line) == ("002_ed79cea0b5e49fc0.txt", 782)
    assert "(R12) fram till och med november 2024" in row.quote
    row = defs.loc[("haninge_2024_ar", "turnover", "who is counted")]
    assert (row.source_line, row.quote) == (421, "minst 40 procent av heltid")
    row = defs.loc[("strangnas_2023_ar", "grants", "base")]
    assert (row.source_line, row.quote) == (471, "exklusive bidrag från Migrationsverket")


def test_remit_differences_name_the_activity_and_its_net_cost(reports):
    diffs = remit_differences(remit_by_report(reports), ACTIVITY,
                              {"haninge_2024_ar": 2024, "huddinge_2024_vb": 2024,
                               "strangnas_2023_ar": 2023})
    elderly = diffs[(diffs.doc_id == "strangnas_2023_ar")
                    & (diffs.category == "elderly_care")].iloc[0]
    assert (elderly.net_cost_tkr, elderly.cost_labels, elderly.cost_lines) == (
        "281400", "Äldreomsorg", "401")
    assert elderly.others == "Haninge:no;Huddinge:no" and elderly.source_line == 419
    lss = diffs[(diffs.doc_id == "haninge_2024_ar")
                & (diffs.category == "disability_support")].iloc[0]
    assert (lss.net_cost_tkr, lss.cost_lines, lss.others) == ("562600", "371", "Huddinge:partial")


def test_the_caveat_changes_with_the_selection(reports, facts):
    two = resolve("latest", "Haninge,Huddinge", reports, facts)
    text = comparison_caveat(two, ACTIVITY, reports, "sick_leave")
    assert ("economic assistance (Försörjningsstöd, 145.7 mnkr net cost) "
            "[000_7601200e7e1b7bea.txt:369, 376], run only in part by Huddinge") in text
    assert "disability support (Funktionshinderomsorg, 562.6 mnkr net cost)" in text
    assert "Strängnäs" not in text and "elderly care" not in text
    turnover = comparison_caveat(two, ACTIVITY, reports, "turnover")
    assert ("Huddinge 2024: everyone who left the committee since November of the year before; "
            "retirements included [002_ed79cea0b5e49fc0.txt:814, 816]") in turnover


def test_grant_shares_on_different_bases_are_not_ranked(reports, facts):
    scope = resolve("latest", "all", reports, facts)
    text = finance(scope, findings.load(paths.Outputs().processed), reports)
    assert ("Grant base: targeted grants applied for (table Extern finansiering) only "
            "[002_ed79cea0b5e49fc0.txt:686]; on another base in this run") in text
    assert text.count("so the grant shares are not ranked") == 3


def test_the_amount_is_the_selected_years(reports, facts):
    """A 2023 run names Haninge's 2023 disability-care net cost (470.8 mnkr, line 371)."""
    scope = resolve("2023", "Haninge,Huddinge", reports, facts)
    text = comparison_caveat(scope, ACTIVITY, reports, "sick_leave")
    assert ("disability support (Funktionshinderomsorg, 470.8 mnkr net cost) "
            "[000_7601200e7e1b7bea.txt:371, 758]") in text


def test_goal_and_indicator_names_carry_an_english_gloss(reports, facts):
    """Verbatim Swedish, then the gloss from crosswalks/translations.csv (Haninge's goal
    judged not met at 000_7601200e7e1b7bea.txt:246)."""
    from socialstudy.narrative import findings_outcomes
    scope = resolve("latest", "Haninge", reports, facts)
    tables = findings.load(paths.Outputs().processed)
    text = findings_outcomes.goals(scope, tables, reports)
    assert ("Judged not met: “Nämndens verksamheter drivs inom givna ekonomiska ramar” "
            "(The committee's services are run within the given financial limits)") in text
    for name in ("goals", "indicators"):
        column = "goal_text" if name == "goals" else "indicator"
        for swedish in set(tables[name][column]):
            assert findings.glossed(swedish) != f"“{swedish}”", f"no gloss for {swedish!r}"


def test_per_inhabitant_names_what_the_whole_committee_total_includes(reports, facts):
    """Issue 17's example: Haninge 12 324 kr vs Huddinge 4 348 kr per inhabitant, although
    Haninge's LSS line (562,6, line 371) and economic assistance (145,7, line 369) are
    activities Huddinge runs only in part (lines 502, 624)."""
    from socialstudy.narrative import summary
    tables = findings.load(paths.Outputs().processed)
    scope = resolve("latest", "Haninge,Huddinge", reports, facts)
    cell = summary.key_figures(scope, tables).filter(like="whole-committee").iloc[:, 0]
    assert cell["Haninge"] == (
        "12324; includes disability support (Funktionshinderomsorg, 562.6 mnkr net cost) "
        "[000_7601200e7e1b7bea.txt:371, 758], run only in part by Huddinge; economic "
        "assistance (Försörjningsstöd, 145.7 mnkr net cost) [000_7601200e7e1b7bea.txt:369, "
        "376], run only in part by Huddinge")
    assert cell["Huddinge"] == "4348"
    text = finance(scope, tables, reports)
    haninge = next(x for x in text.splitlines() if "Haninge 2024: whole-committee" in x)
    assert "unlike another committee in this run, it runs disability support" in haninge
    alone = finance(resolve("latest", "Haninge", reports, facts), tables, reports)
    assert "unlike another committee" not in alone


def test_personnel_shares_carry_the_remit_difference(reports, facts):
    from socialstudy.narrative import findings_cost
    tables = findings.load(paths.Outputs().processed)
    text = findings_cost.cost_types(resolve("latest", "all", reports, facts), tables, reports)
    last = text.splitlines()[-1]
    assert last.startswith("* Own staff take more than half of gross cost")
    assert ("Strängnäs 2023 runs disability support (Funktionshinder, 126.7 mnkr net cost)"
            in last and "elderly care (Äldreomsorg, 281.4 mnkr net cost)" in last)


def test_long_term_shares_and_goal_counts_state_their_definitions(reports, facts):
    from socialstudy.narrative.caveats import definitions_differ
    scope = resolve("latest", "all", reports, facts)
    long = definitions_differ(scope, reports, "sick_leave_long_share", "day limits")
    assert "[000_7601200e7e1b7bea.txt:470]" in long and "[004_2f72d566b296dc43.txt:632]" in long
    assert "longer than 59 days" in long
    goals = definitions_differ(scope, reports, "goal_scale", "own scales")
    assert goals.count("[") == 3 and "two steps" in goals
    assert definitions_differ(resolve("latest", "Huddinge", reports, facts), reports,
                              "goal_scale", "own scales") == ""


def test_growth_names_the_one_off_it_contains(reports, facts):
    """Haninge's 7.7 % (line 331) is net of the 39.7 mnkr refugee grants for earlier years
    (line 353): 11.2 % without it; Huddinge names no one-off, so its growth carries no such
    clause."""
    text = finance(resolve("latest", "all", reports, facts),
                   findings.load(paths.Outputs().processed), reports)
    haninge = next(x for x in text.splitlines() if "Haninge 2024: net cost grew 7.7 %" in x)
    assert ("one-off item the report names (one-off refugee grants for earlier years "
            "(Migrationsverket) booked as revenue in 2024, +39.7 mnkr "
            "[000_7601200e7e1b7bea.txt:353]) the net cost would have grown 11.2 %") in haninge
    huddinge = next(x for x in text.splitlines() if "Huddinge 2024: net cost grew" in x)
    assert "one-off" not in huddinge
