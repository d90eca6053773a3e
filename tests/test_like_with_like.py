"""The caveats that travel with a cross-committee comparison are built from the remit and
definition tables, name committee, activity or definition and amount, cite their lines, and
change with the selection."""

from __future__ import annotations

import committed

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.measures.like_with_like import definitions, remit_differences
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import findings
from socialstudy.narrative.caveats import comparison_caveat

ACTIVITY = findings.read(paths.Outputs().processed, "cost_by_activity")

IFO24 = ("plus an unknown part of 'Individ- och familjeomsorg (IFO)' 474.6 mnkr "
         "(a mixed line))")


def test_definitions_are_quoted_at_their_lines(reports):
    defs = definitions(reports).set_index(["doc_id", "topic", "aspect"])
    row = defs.loc[("huddinge_2024_vb", "sick_leave", "period and basis")]
    assert (row.source_file, row.source_line) == ("002_ed79cea0b5e49fc0.txt", 782)
    assert "(R12) fram till och med november 2024" in row.quote
    row = defs.loc[("haninge_2024_ar", "turnover", "who is counted")]
    assert (row.source_line, row.quote) == (421, "minst 40 procent av heltid")
    # the 14 % is the committee's (line 443 "inom nämndens verksamhetsområden"), not a table
    # of the administration's only
    row = defs.loc[("haninge_2024_ar", "turnover", "scope")]
    assert row.source_line == 443 and row.definition.startswith("the committee's two activity")
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
    # the case work sits in Haninge's IFO line (370; its reception at 733, 730): 145.7 is
    # a lower bound
    assert ("economic assistance (Försörjningsstöd, 145.7 mnkr net cost, "
            f"{IFO24} [000_7601200e7e1b7bea.txt:369, 370, 376, 730, 733], run only in part by "
            "Huddinge") in text
    # Haninge's IFO line (370) also holds socialpsykiatri: 562.6 is a lower bound (N3)
    assert ("disability support (Funktionshinderomsorg, 562.6 mnkr net cost, "
            f"{IFO24}") in text
    assert "Strängnäs" not in text and "elderly care" not in text
    turnover = comparison_caveat(two, ACTIVITY, reports, "turnover")
    assert ("Huddinge 2024: everyone who left the committee since November of the year before; "
            "retirements included [002_ed79cea0b5e49fc0.txt:814, 816]") in turnover


def test_grant_shares_on_different_bases_are_not_ranked(reports, facts):
    scope = resolve("latest", "all", reports, facts)
    text = committed.finance(scope, committed.tables(), reports)
    assert ("Grant base: targeted grants applied for (table Extern finansiering) only "
            "[002_ed79cea0b5e49fc0.txt:686]; on another base in this run") in text
    assert text.count("so the grant shares are not ranked") == 3


def test_the_amount_is_the_selected_years(reports, facts):
    """A 2023 run names Haninge's 2023 disability-care net cost (470.8 mnkr, line 371)."""
    scope = resolve("2023", "Haninge,Huddinge", reports, facts)
    text = comparison_caveat(scope, ACTIVITY, reports, "sick_leave")
    assert ("disability support (Funktionshinderomsorg, 470.8 mnkr net cost, plus an unknown "
            "part of 'Individ- och familjeomsorg (IFO)' 487.1 mnkr (a mixed line)) "
            "[000_7601200e7e1b7bea.txt:370, 371, 380, 758]") in text


def test_goal_and_indicator_names_carry_an_english_gloss(reports, facts):
    """Verbatim Swedish, then the gloss from crosswalks/translations.csv (Haninge's goal
    judged not met at 000_7601200e7e1b7bea.txt:246)."""
    from socialstudy.narrative import findings_outcomes
    scope = resolve("latest", "Haninge", reports, facts)
    tables = committed.tables()
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
    tables = committed.tables()
    scope = resolve("latest", "Haninge,Huddinge", reports, facts)
    cell = committed.key_figures(scope, tables).filter(
        like="whole-committee net cost per inhabitant").iloc[:, 0]
    # both sides (finding 6): Huddinge's own line 502 "(ej LSS/SFB)" and its emergency aid
    # only (2.7 mnkr, line 500; Socialjouren, line 624); LSS content of line 380, not 758
    assert cell["Haninge"] == (
        "12324; includes disability support (Funktionshinderomsorg, 562.6 mnkr net cost, "
        f"{IFO24} [000_7601200e7e1b7bea.txt:370, 371, 380, 758], run only in part by Huddinge "
        "(only SoL support "
        "for people with psychiatric disabilities, socialpsykiatri: no LSS, no personal "
        "assistance; 'Insatser till personer med funktionsnedsättning (ej LSS/SFB)' 87.5 mnkr "
        "[002_ed79cea0b5e49fc0.txt:502]); economic assistance (Försörjningsstöd, 145.7 mnkr "
        f"net cost, {IFO24} [000_7601200e7e1b7bea.txt:369, 370, 376, 730, 733], run only in part "
        "by Huddinge (only "
        "emergency aid paid by the social emergency service, Socialjouren: regular economic "
        "assistance lies with another committee; 'Ekonomiskt bistånd' 2.7 mnkr "
        "[002_ed79cea0b5e49fc0.txt:500, 624])")
    assert cell["Huddinge"] == "4348"
    text = committed.finance(scope, tables, reports)
    haninge = next(x for x in text.splitlines() if "Haninge 2024: whole-committee" in x)
    assert "unlike another committee in this run, it runs disability support" in haninge
    alone = committed.finance(resolve("latest", "Haninge", reports, facts), tables, reports)
    assert "unlike another committee" not in alone


def test_personnel_shares_carry_the_remit_difference(reports, facts):
    from socialstudy.narrative import findings_cost
    tables = committed.tables()
    text = findings_cost.cost_types(resolve("latest", "all", reports, facts), tables, reports)
    last = text.splitlines()[-1]
    assert last.startswith("* Own staff take more than half of gross cost")
    assert ("Strängnäs 2023 runs disability support (Funktionshinder, 126.7 mnkr net cost, "
            "plus an unknown part of 'Myndighet' 310.1 mnkr (a mixed line))" in last
            and "elderly care (Äldreomsorg, 281.4 mnkr net cost, plus an unknown part" in last)


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
    text = committed.finance(resolve("latest", "all", reports, facts),
                   committed.tables(), reports)
    haninge = next(x for x in text.splitlines() if "Haninge 2024: net cost grew 7.7 %" in x)
    assert ("one-off item the report names (a one-off: refugee grants for earlier years "
            "(Migrationsverket) booked as revenue in 2024, +39.7 mnkr "
            "[000_7601200e7e1b7bea.txt:353]) the net cost would have grown 11.2 %") in haninge
    huddinge = next(x for x in text.splitlines() if "Huddinge 2024: net cost grew" in x)
    assert "one-off" not in huddinge


def test_remit_text_says_what_a_partial_remit_and_other_hold():
    """Both sides of a remit caveat (findings 6, 7): Huddinge's disability line is "(ej
    LSS/SFB)" (002:502), its economic assistance emergency aid via Socialjouren (002:624);
    Strängnäs's remit names housing adaptation and transport service (004:118)."""
    from socialstudy.narrative.summary import remit_text
    remits = remit_by_report()
    huddinge = remit_text(remits, "huddinge_2024_vb")
    assert huddinge.startswith("partly: disability support (only SoL support for people with "
                               "psychiatric disabilities, socialpsykiatri: no LSS, no personal "
                               "assistance), economic assistance (only emergency aid")
    strangnas = remit_text(remits, "strangnas_2023_ar")
    assert strangnas.startswith("all activity areas; other: housing adaptation grants and "
                                "transport service: bostadsanpassning, färdtjänst and "
                                "riksfärdtjänst")
    assert strangnas.endswith("[004_2f72d566b296dc43.txt:118]")


def test_other_in_the_core_names_what_each_committee_holds_there():
    from socialstudy.narrative import core_text
    core = findings.read(paths.Outputs().processed, "comparable_core")
    text = core_text.other_differs(core)
    assert "Huddinge 2024: family law and counselling, violence in close relationships" in text
    assert "Strängnäs 2023: housing adaptation grants and transport service" in text
    # Haninge: 730 names the IFO unit with economic assistance, integration and the
    # labour-market centre; family law ('familjerätten') is in 'Första linjen' at 733
    assert ("labour-market centre and integration (IFO unit "
            "'Andra linjen vuxen, ekonomiskt bistånd, integration och arbetsmarknadscenter', "
            "whose economic-assistance case work counts as economic assistance) and family law "
            "(IFO's 'Första linjen'), all inside the IFO line "
            "[000_7601200e7e1b7bea.txt:730, 733]") in text
    # Huddinge: family law 498 (Familjerätt & familjerådgivning), refugee reception 503,
    # violence in close relationships 633 – not 633 alone
    assert "no labour-market line [002_ed79cea0b5e49fc0.txt:498, 503, 633]" in text
    pair = core[core.doc_id != "strangnas_2023_ar"]
    assert "Strängnäs" not in core_text.other_differs(pair)


def test_goal_counts_are_not_set_side_by_side_in_any_run(reports, facts):
    """2023 run: Strängnäs's six goals met of ten (004:138, two steps) stood as '6 of 10'
    beside committees with no assessment; every multi-committee run now gives the scale."""
    tables = committed.tables()
    cell = committed.key_figures(resolve("2023", "all", reports, facts), tables)[
        "goals met or largely met"]
    assert cell["Strängnäs"].startswith(
        "not counted here: own scale of 2 wordings (Uppfyllt, Delvis uppfyllt)")
    assert "6 of 10" not in " ".join(cell)
    alone = committed.key_figures(resolve("latest", "Strängnäs", reports, facts), tables)
    assert alone.loc["Strängnäs", "goals met or largely met"] == "6 of 10"


def test_goal_counts_stand_under_each_committees_own_wordings():
    """Notebook 04's table: Huddinge 2 × “😊 I mycket hög grad uppfyllt”, Strängnäs
    6 × “Uppfyllt”, each with its English gloss – no common 'met … not met' columns."""
    from socialstudy.narrative.findings_outcomes import own_wording_counts
    goals = findings.read(paths.Outputs().processed, "goals")
    year_end = goals[goals.assessment_kind == "year_end_attainment"]
    table = own_wording_counts(year_end).set_index(["municipality", "status_text"])
    assert table.loc[("Strängnäs", "Uppfyllt"), ["status_text (English)", "goals"]].tolist() \
        == ["Met", 6]
    assert table.loc[("Huddinge", "😊 I mycket hög grad uppfyllt"), "goals"] == 2
    assert table.loc[("Haninge", "Nämnden bedömer att målet inte uppfylls"),
                     "own_scale"] == "4 wordings used"
    assert "met" not in table.columns and "not met" not in table.columns


def test_per_inhabitant_table_says_what_the_total_includes(reports, facts):
    """Notebook 02's per-inhabitant table (finding 3): Haninge's 12 324 kr includes its
    LSS line (562.6 mnkr, 000:371) that Huddinge runs only in part (002:502)."""
    from socialstudy.narrative import core_text
    tables = committed.tables()
    scope = resolve("latest", "Haninge,Huddinge", reports, facts)
    frame = core_text.includes(scope, scope.filter(tables["per_inhabitant"]),
                               tables["cost_by_activity"], reports).set_index("municipality")
    assert frame.loc["Haninge", "includes"].startswith(
        "the whole remit (partly: health care (HSL only in disability and socialpsykiatri")
    assert ("it runs disability support (Funktionshinderomsorg, 562.6 mnkr net cost, "
            f"{IFO24} [000_7601200e7e1b7bea.txt:370, 371, 380, 758], run only in part by "
            "Huddinge") in \
        frame.loc["Haninge", "includes"]
    assert frame.loc["Huddinge", "includes"].startswith(
        "the whole remit (partly: disability support (only SoL support")


def test_a_caveat_states_the_other_side_once(reports, facts):
    """Default run: Huddinge's SoL-only disability support (002:502) is said once, though
    both Haninge and Strängnäs run LSS."""
    from socialstudy.narrative import caveats
    scope = resolve("latest", "all", reports, facts)
    text = caveats.remits_differ(scope, ACTIVITY, reports)
    assert text.count("only SoL support for people with psychiatric disabilities") == 1


def test_2020_run_says_why_revenue_is_missing_and_how_much_is_mixed(reports, facts):
    """Haninge's Jan–Apr 2020 report: the revenue share's own reason (no revenue and gross
    cost totals), not the grants'; its largest common category (administration) beside the
    mixed department lines that hold most of its net cost (001:284-291)."""
    from socialstudy.narrative import findings_cost
    tables = committed.tables()
    scope = resolve("2020", "all", reports, facts)
    text = committed.finance(scope, tables, reports)
    assert ("revenue as a share of gross cost not reported – the report prints no revenue and "
            "gross-cost totals for a full year") in text
    cost = findings_cost.activities(scope, tables, reports)
    assert "by common category administration is largest with 6.9 %, though mixed lines" in cost
    assert "hold 92.6 % of net cost" in cost


def test_notebook_02_carries_the_caveats_of_the_summary():
    """Stored notebook 02 (default run): the staff-share sentence carries the remit caveat
    the summary's does (finding 4), and the per-inhabitant table says what each total
    includes (finding 3: Haninge 12 324 kr with Funktionshinderomsorg, 000:371)."""
    text = (paths.ROOT / "notebooks" / "02_cost_structure.ipynb").read_text(encoding="utf-8")
    assert ("and half or less in Haninge. Not like with like – the remits differ: Haninge 2024 "
            "runs disability support (Funktionshinderomsorg, 562.6 mnkr net cost, plus an "
            "unknown part of") in text
    assert "<th>includes</th>" in text and "the whole remit (partly: health care" in text


def test_goal_findings_count_on_each_reports_own_wordings(reports, facts):
    """Strängnäs's six goals met of ten (004:138) stay under its own two wordings; no
    'met / largely met' counts stand beside Huddinge's (002:87-93)."""
    from socialstudy.narrative import findings_outcomes
    tables = committed.tables()
    text = findings_outcomes.goals(resolve("latest", "all", reports, facts), tables, reports)
    assert "Strängnäs 2023: of 10 goals, 6 “Uppfyllt” (Met) and 4 “Delvis uppfyllt” " \
           "(Partly met)" in text
    assert "Huddinge 2024: of 7 goals, 2 “😊 I mycket hög grad uppfyllt” (😊 Met to a very " \
           "high degree)" in text
    assert " met and " not in text and "largely met" not in text
