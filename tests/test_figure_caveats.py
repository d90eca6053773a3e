"""Every figure that sets committees side by side carries, under it, what differs between
them (``narrative.figure_notes``, built from the remit and definition tables): it names the
committee, the activity and the amount, cites the report lines, and changes with the
selection. Values are the reports' own: Haninge 2024 Funktionshinderomsorg 562,6 mnkr
(000_….txt line 371), Huddinge 2024 socialpsykiatri 87,5 mnkr (002_….txt line 502) and
emergency economic assistance 2,7 mnkr (line 500, described at 624), Strängnäs 2023
Funktionshinder 126,7 mnkr (004_….txt line 403) and Äldreomsorg 281,4 mnkr (line 401)."""

import pytest

from socialstudy import figures, paths
from socialstudy.core.scope import resolve
from socialstudy.narrative import figure_notes, findings

HANINGE, HUDDINGE, STRANGNAS = ("000_7601200e7e1b7bea.txt", "002_ed79cea0b5e49fc0.txt",
                                "004_2f72d566b296dc43.txt")
SICK = {"sick_leave_total_pct": "sick leave, total"}


@pytest.fixture(scope="module")
def tables():
    return findings.load(paths.Outputs().processed)


@pytest.fixture(scope="module")
def scopes(reports, facts):
    return {"default": resolve("latest", "all", reports, facts),
            "pair": resolve("latest", "Haninge,Huddinge", reports, facts),
            "one": resolve("latest", "Strängnäs", reports, facts)}


def drawn(fig) -> str:
    """All the figure's texts, whitespace made single (titles and notes are wrapped)."""
    return " ".join(" ".join(t.get_text() for t in fig.findobj(
        lambda a: hasattr(a, "get_text"))).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def test_activity_figure_names_what_each_bar_holds(scopes, tables, reports):
    activity = tables["cost_by_activity"]
    note = figure_notes.activity_shares(scopes["default"], activity, reports)
    # disability support holds three different contents
    assert "Haninge 2024, in remit: Funktionshinderomsorg 562.6 mnkr – LSS/SFB" in note
    assert "SoL socialpsykiatri inside the IFO line (line 370)" in note
    assert ("Huddinge 2024, only in part: Insatser till personer med funktionsnedsättning "
            f"(ej LSS/SFB) 87.5 mnkr – Only SoL socialpsykiatri; no LSS/SFB [{HUDDINGE}:502]"
            in note)
    assert "Strängnäs 2023, in remit: Funktionshinder 126.7 mnkr" in note
    # Huddinge's economic assistance is emergency aid only
    assert ("Huddinge 2024, only in part: Ekonomiskt bistånd 2.7 mnkr – Only emergency aid"
            in note and f"[{HUDDINGE}:624]" in note)
    # administration: Haninge's staff units serve a shared administration (000:103)
    assert "Förvaltningsdirektör och staber 57.8 mnkr" in note
    assert "also runs äldreomsorg for another committee (line 103)" in note
    assert "management overhead is inside the RS lines" in note
    assert "Äldreomsorg 281.4 mnkr" in note
    fig = figures.activity_shares(activity, scopes["default"], reports, note)
    assert flat(note.split("\n")[1]) in drawn(fig)


def test_activity_note_changes_with_the_selection(scopes, tables, reports):
    activity = tables["cost_by_activity"]
    pair = figure_notes.activity_shares(scopes["pair"], activity, reports)
    assert "Strängnäs" not in pair and "elderly care:" not in pair  # neither runs it
    assert "disability support: Haninge 2024" in pair and "economic assistance: Haninge" in pair
    assert pair != figure_notes.activity_shares(scopes["default"], activity, reports)
    assert figure_notes.activity_shares(scopes["one"], activity, reports) == ""


def test_whole_committee_figures_name_the_remit_gap_with_amounts(scopes, tables, reports):
    activity = tables["cost_by_activity"]
    pair = figure_notes.whole_committee(scopes["pair"], activity, reports)
    assert (f"Haninge 2024 runs disability support (Funktionshinderomsorg, 562.6 mnkr net cost) "
            f"[{HANINGE}:371, 380], run only in part by Huddinge (only SoL support" in pair)
    assert "economic assistance (Försörjningsstöd, 145.7 mnkr net cost)" in pair
    assert "Äldreomsorg" not in pair
    default = figure_notes.whole_committee(scopes["default"], activity, reports)
    assert (f"elderly care (Äldreomsorg, 281.4 mnkr net cost) [{STRANGNAS}:401, 419], "
            "not run by Haninge and not run by Huddinge") in default
    fig = figures.cost_type_shares(tables["cost_by_type"], scopes["pair"], reports, pair)
    assert flat(pair) in drawn(fig)


def test_deviation_figure_shows_the_deviation_without_named_items(scopes, tables, reports):
    note = figure_notes.budget_deviation(scopes["pair"], tables, reports)
    assert f"+39.7 mnkr [{HANINGE}:353]" in note and "-120.3 mnkr (-10.3 %)" in note
    assert f"+20.0 mnkr [{HUDDINGE}:680]" in note and "-15.5 mnkr (-3.2 %)" in note
    assert "Strängnäs" not in note
    default = figure_notes.budget_deviation(scopes["default"], tables, reports)
    assert f"+19.7 mnkr [{STRANGNAS}:398, 423]" in default and "-55.2 mnkr (-6.4 %)" in default
    fig = figures.budget_deviation(tables["budget_deviation"], scopes["pair"], reports, note)
    assert "-120.3 mnkr (-10.3 %)" in drawn(fig)


def test_sick_leave_title_says_what_each_report_states(scopes, tables, reports):
    title = figure_notes.sick_leave_title(scopes["default"], reports)
    assert "% of working time)" not in title  # Strängnäs does not state its basis (004:630)
    assert "Haninge 2024: calendar year, % of ordinary working time" in title
    assert "Huddinge 2024: rolling 12 months (R12) to November" in title
    assert "Strängnäs 2023: average over the year; basis (share of working time) not stated" \
        in title
    assert "Strängnäs" not in figure_notes.sick_leave_title(scopes["pair"], reports)
    tables = {**tables, "cost_by_activity": tables["cost_by_activity"]}
    note = figure_notes.staffing(scopes["default"], tables, reports, "sick_leave")
    assert f"average over the year; basis (share of working time) not stated [{STRANGNAS}:630]" \
        in note
    fig = figures.staffing_panel(tables["staffing"], scopes["default"], reports, SICK,
                                 "staffing_sick_leave", title, note)
    assert flat(f"Figure 5. {title}") in drawn(fig) and flat(note) in drawn(fig)


def test_turnover_goal_and_indicator_notes_name_each_committee(scopes, tables, reports):
    turnover = figure_notes.staffing(scopes["pair"], tables, reports, "turnover")
    # line 443: "Personalomsättningen inom nämndens verksamhetsområden var totalt 14 procent";
    # line 450: the table's caption names the committee's two areas (IFO, disability care)
    assert ("Haninge 2024: all leavers among staff employed at least 40 % of full time; "
            "the committee's two activity areas (individual and family care, disability care)"
            in turnover and f"[{HANINGE}:421, 443, 450]" in turnover)
    assert "not a committee total" not in turnover
    assert f"retirements included [{HUDDINGE}:814, 816]" in turnover
    goals = figure_notes.goal_levels(scopes["default"], reports)
    assert "Strängnäs 2023: two steps: met or partly met" in goals
    assert f"[{STRANGNAS}:138]" in goals and "Strängnäs" not in figure_notes.goal_levels(
        scopes["pair"], reports)
    assert figure_notes.goal_levels(scopes["one"], reports) == ""
    indicators = figure_notes.indicators(scopes["pair"], tables["indicators"])
    assert "Haninge 2024: 3 values of 3 indicators" in indicators
    assert "Huddinge 2024: 23 values of 23 indicators" in indicators


def test_caption_repeats_the_note_line_by_line():
    assert figure_notes.caption("a:\nb.") == "*a:*\n\n*b.*"
    assert figure_notes.caption("") == ""


def test_printed_percentage_annotation_names_its_committee(reports, facts, tables):
    """2023 run: Huddinge's deviation % is printed by its report, not computed; the
    annotation under its bar says whose it is (finding 13)."""
    scope = resolve("2023", "all", reports, facts)
    fig = figures.budget_deviation(tables["budget_deviation"], scope, reports)
    printed = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))
               if "percentage printed by the report" in t.get_text()]
    assert printed and all(t.strip().split(":")[0] in {"Haninge", "Huddinge", "Strängnäs"}
                           for t in printed)


def test_turnover_figure_keeps_notebook_width(scopes, tables, reports, tmp_path):
    """Figure 4 is drawn 9 inches wide at 200 dpi: Strängnäs's long 'not reported' reason
    is wrapped inside the axes, so the PNG stays 9 inches plus the save padding (1840 px)
    wide, as the other figures, and 8-pt text stays 8 pt at 900 px (it was 1910 px)."""
    from PIL import Image
    rates = {"turnover_total_pct": "all leavers", "turnover_voluntary_pct": "own resignations"}
    fig = figures.staffing_panel(tables["staffing"], scopes["default"], reports, rates,
                                 "staffing_turnover", "Staff turnover")
    fig.savefig(tmp_path / "t.png", dpi=200, bbox_inches="tight")
    assert Image.open(tmp_path / "t.png").size[0] <= 1840
