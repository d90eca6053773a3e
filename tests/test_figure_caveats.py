"""Every figure that sets committees side by side carries, under it, what differs between
them (``narrative.figure_notes``, built from the remit and definition tables): it names the
committee, the activity and the amount, cites the report lines, and changes with the
selection. Values are the reports' own: Haninge 2024 Funktionshinderomsorg 562,6 mnkr
(000_….txt line 371), Huddinge 2024 socialpsykiatri 87,5 mnkr (002_….txt line 502) and
emergency economic assistance 2,7 mnkr (line 500, described at 624), Strängnäs 2023
Funktionshinder 126,7 mnkr (004_….txt line 403) and Äldreomsorg 281,4 mnkr (line 401)."""

import committed
import pytest

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.narrative import figure_notes, findings_outcomes

HANINGE, HUDDINGE, STRANGNAS = ("000_7601200e7e1b7bea.txt", "002_ed79cea0b5e49fc0.txt",
                                "004_2f72d566b296dc43.txt")
SICK = {"sick_leave_total_pct": "sick leave, total"}


@pytest.fixture(scope="module")
def tables():
    return committed.tables()


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


def test_activity_figure_names_what_each_bar_holds(figures, scopes, tables, reports):
    """One line per activity whose content differs, each committee's amount and remit in a
    few words (crosswalks/remit_gists.csv); the full list, cited, is the table under it."""
    activity = tables["cost_by_activity"]
    note = figure_notes.activity_shares(scopes["default"], activity, reports)
    lines = note.split("\n")
    assert len(lines) == 6  # the heading and five differences (was 22 drawn lines)
    # disability support holds three different contents
    assert lines[2] == (
        "disability support – Haninge 562.6 + part of Individ- och familjeomsorg (IFO) 474.6: "
        "LSS; socialpsykiatri in IFO · Huddinge 87.5, in part: socialpsykiatri; no LSS · "
        "Strängnäs 126.7 + part of Myndighet 310.1: plus LSS placements bought via Myndighet")
    # Huddinge's economic assistance is emergency aid only (2.7 mnkr, line 500)
    assert lines[1] == (
        "economic assistance – Haninge 145.7 + part of Individ- och familjeomsorg (IFO) 474.6: "
        "payments; case work in IFO · Huddinge 2.7, in "
        "part: emergency aid · Strängnäs: no separate line")
    # Strängnäs's own lines are lower bounds: Myndighet (399) also holds both (N3)
    assert lines[3] == ("elderly care – Strängnäs 281.4 + part of Myndighet 310.1: plus home "
                        "care bought via Myndighet · not in remit: Haninge and Huddinge")
    # administration: Haninge's staff units serve a shared administration (000:103)
    assert lines[5].startswith(
        "administration – Haninge 60.4: incl. overhead of elderly care run for another "
        "committee · Huddinge 1.3: political costs only")
    fig = figures.activity_shares(activity, scopes["default"], reports, note)
    assert all(flat(line) in drawn(fig) for line in lines[1:])


def test_the_table_under_figure_2_holds_the_full_list_cited(scopes, tables, reports):
    table = figure_notes.activity_table(scopes["default"], tables["cost_by_activity"], reports)
    assert len(table) == 15  # five activities × three committees
    row = table[(table.activity == "disability support")
                & (table.committee == "Huddinge 2024")].iloc[0]
    assert (row.remit, row["own lines (net cost)"], row.source) == (
        "only in part", "Insatser till personer med funktionsnedsättning (ej LSS/SFB) 87.5 mnkr "
        "(exact fit)", f"{HUDDINGE}:502")
    assert row["what it holds"] == "Only SoL socialpsykiatri; no LSS/SFB."
    row = table[(table.activity == "administration")
                & (table.committee == "Haninge 2024")].iloc[0]
    assert "also runs äldreomsorg for another committee (line 103)" in row["what it holds"]
    assert row.source == f"{HANINGE}:367, 368, 374"
    # line 367 is labelled exact, but its staff units serve the whole administration
    # (000:103, core_reach.csv): the core counts it as touching, the table says so (F1)
    assert row["own lines (net cost)"].startswith(
        "Förvaltningsdirektör och staber 57.8 mnkr (exact fit as a label; its cost also serves "
        "disability support, economic assistance and elderly care (line 103), so the "
        "comparable core counts it as touching)")
    row = table[(table.activity == "elderly care")
                & (table.committee == "Strängnäs 2023")].iloc[0]
    assert (row["own lines (net cost)"], row.source) == (
        "Äldreomsorg 281.4 mnkr (partial fit)", f"{STRANGNAS}:401, 419")
    assert figure_notes.activity_table(scopes["one"], tables["cost_by_activity"],
                                       reports).empty


def test_activity_note_changes_with_the_selection(scopes, tables, reports):
    activity = tables["cost_by_activity"]
    pair = figure_notes.activity_shares(scopes["pair"], activity, reports)
    assert "Strängnäs" not in pair and "\nelderly care" not in pair  # neither runs it
    assert "\ndisability support – Haninge 562.6" in pair
    assert "\neconomic assistance – Haninge 145.7" in pair
    assert pair != figure_notes.activity_shares(scopes["default"], activity, reports)
    assert figure_notes.activity_shares(scopes["one"], activity, reports) == ""


def test_whole_committee_figures_name_the_remit_gap_with_amounts(figures, scopes, tables, reports):
    activity = tables["cost_by_activity"]
    pair = figure_notes.whole_committee(scopes["pair"], activity, reports)
    assert ("Haninge 2024 runs disability support (Funktionshinderomsorg, 562.6 mnkr net cost, "
            "plus an unknown part of 'Individ- och familjeomsorg (IFO)' 474.6 mnkr (a mixed "
            f"line)) [{HANINGE}:370, 371, 380, 758], run only in part by Huddinge (only SoL "
            "support") in pair
    assert ("economic assistance (Försörjningsstöd, 145.7 mnkr net cost, plus an unknown part "
            "of 'Individ- och familjeomsorg (IFO)' 474.6 mnkr (a mixed line))") in pair
    assert "Äldreomsorg" not in pair
    default = figure_notes.whole_committee(scopes["default"], activity, reports)
    # Strängnäs buys home care and LSS placements through Myndighet (mixed, 399; 564: internal
    # dealings between Myndighet and elderly care; 413: LSS for adults): its Äldreomsorg and
    # Funktionshinder amounts are lower bounds (review N3)
    assert ("elderly care (Äldreomsorg, 281.4 mnkr net cost, plus an unknown part of "
            "'Myndighet' 310.1 mnkr (a mixed line)) "
            f"[{STRANGNAS}:399, 401, 419, 564], not run by Haninge and not run by Huddinge"
            ) in default
    assert ("disability support (Funktionshinder, 126.7 mnkr net cost, plus an unknown part "
            f"of 'Myndighet' 310.1 mnkr (a mixed line)) [{STRANGNAS}:399, 403, 413, 572]"
            ) in default
    fig = figures.cost_type_shares(tables["cost_by_type"], scopes["pair"], reports, pair)
    assert flat(pair) in drawn(fig)


def test_deviation_figure_shows_the_deviation_without_named_items(figures, scopes, tables, reports):
    note = figure_notes.budget_deviation(scopes["pair"], tables, reports)
    assert f"+39.7 mnkr [{HANINGE}:353]" in note
    assert "-120.3 mnkr (-10.3 % of the printed budget)" in note
    # Huddinge's top-up was spent in full (line 678: Budget 20 000, Utfall 20 000); its %
    # is on the printed budget 501 533 tkr like the others: -15 512 / 501 533 = -3.1 %
    assert (f"+20.0 mnkr – spent in full: budget 20 000 tkr, outcome 20 000 tkr "
            f"[{HUDDINGE}:678, 680]") in note and "-15.5 mnkr (-3.1 % of the printed" in note
    assert "Strängnäs" not in note
    default = figure_notes.budget_deviation(scopes["default"], tables, reports)
    # Strängnäs's 19.7 mnkr is the whole Socialkontoret surplus (line 398), which line 423
    # credits to buffers and vacant posts: an upper bound, so the deviation is a bound
    assert "at most +19.7 mnkr – the whole Socialkontoret surplus" in default
    assert f"without a split [{STRANGNAS}:398, 423]" in default
    assert "at least -55.2 mnkr (-6.4 % of the printed budget)" in default
    fig = figures.budget_deviation(tables["budget_deviation"], scopes["pair"], reports, note)
    assert "-120.3 mnkr (-10.3 % of the printed budget)" in drawn(fig)


def test_sick_leave_note_says_what_each_report_states(figures, scopes, tables, reports):
    """Figure 5: a short title; under it one line a committee – its own basis and what it
    runs that another here does not, with the net cost (was a four-line title and a
    ten-line note that repeated the bases)."""
    title = figure_notes.sick_leave_title(scopes["default"], reports)
    assert title == "Sick leave in the selected year (%) as each report states it"
    note = figure_notes.staffing(scopes["default"], tables, reports, "sick_leave")
    lines = note.split("\n")
    assert lines[1:] == [
        "Haninge 2024: calendar year, % of ordinary working time · runs disability support "
        "562.6 + part of Individ- och familjeomsorg (IFO) 474.6 and economic assistance 145.7 "
        "+ part of Individ- och familjeomsorg (IFO) 474.6 "
        "(in part by Huddinge)",
        "Huddinge 2024: rolling 12 months (R12) to November of the year, not the calendar year",
        "Strängnäs 2023: average over the year; basis (share of working time) not stated · runs "
        "disability support 126.7 + part of Myndighet 310.1 and economic assistance (no "
        "separate line) (in part by Huddinge); elderly care 281.4 + part of Myndighet 310.1 "
        "(not run by Haninge and Huddinge); health care 79.2 (in "
        "part by Haninge; not run by Huddinge)"]
    assert "% of working time)" not in note  # Strängnäs does not state its basis (004:630)
    pair = figure_notes.staffing(scopes["pair"], tables, reports, "sick_leave")
    assert "Strängnäs" not in pair and "elderly care" not in pair
    fig = figures.staffing_panel(tables["staffing"], scopes["default"], reports, SICK,
                                 "staffing_sick_leave", title, note)
    assert flat(f"Figure 5. {title}") in drawn(fig) and flat(note) in drawn(fig)


def test_turnover_goal_and_indicator_notes_name_each_committee(scopes, tables, reports):
    turnover = figure_notes.staffing(scopes["pair"], tables, reports, "turnover")
    # line 443: "Personalomsättningen inom nämndens verksamhetsområden var totalt 14 procent";
    # line 450: the table's caption names the committee's two areas (IFO, disability care)
    assert ("\nHaninge 2024: all leavers among staff employed at least 40 % of full time; "
            "the committee's two activity areas (individual and family care, disability care)"
            in turnover)
    assert "not a committee total" not in turnover
    assert turnover.endswith("\nHuddinge 2024: everyone who left the committee since November "
                             "of the year before; retirements included")
    # the caption under the figure gives the same caveat with its lines
    caption = findings_outcomes.staffing_caption(scopes["pair"], tables, reports, "turnover")
    assert f"[{HANINGE}:421, 443, 450]" in caption
    assert f"retirements included [{HUDDINGE}:814, 816]" in caption
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


def test_printed_percentage_annotation_names_its_committee(figures, reports, facts, tables):
    """2023 run: Huddinge's deviation % is printed by its report, not computed; the
    annotation under its bar says whose it is (finding 13)."""
    scope = resolve("2023", "all", reports, facts)
    fig = figures.budget_deviation(tables["budget_deviation"], scope, reports)
    printed = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))
               if "percentage printed by the report" in t.get_text()]
    assert printed and all(t.strip().split(":")[0] in {"Haninge", "Huddinge", "Strängnäs"}
                           for t in printed)


def test_turnover_figure_keeps_notebook_width(figures, reports, facts, tables, tmp_path):
    """Figure 4 of the 2023 run: Strängnäs's long 'not reported' reason is wrapped inside
    the axes, and the legend (wider than the axes) no longer sticks out past the figure:
    the saved PNG is at most 1 800 px wide at 200 dpi (it was 1 843 px, so its 8-pt note
    shrank to 7.8 pt at 900 px)."""
    from PIL import Image
    rates = {"turnover_total_pct": "all leavers", "turnover_voluntary_pct": "own resignations"}
    fig = figures.staffing_panel(tables["staffing"], resolve("2023", "all", reports, facts),
                                 reports, rates, "staffing_turnover", "Staff turnover")
    with Image.open(figures.save(fig, "staffing_turnover", tmp_path)[0]) as png:
        assert png.size[0] <= 1800 and png.info["dpi"][0] >= 199


def test_turnover_figure_labels_haninge_by_its_activity_areas(figures, scopes, tables, reports):
    """Haninge's turnover (14.00 %, table at line 446 captioned at 450 'Social- och
    Äldreförvaltningen, Individ- och familjeomsorg, Funktionshinderomsorg'; prose at 443
    'inom nämndens verksamhetsområden') covers the committee's two activity areas: the row
    label says so, not 'whole committee'; staffing.csv carries that scope."""
    rates = {"turnover_total_pct": "all leavers", "turnover_voluntary_pct": "own resignations"}
    fig = figures.staffing_panel(tables["staffing"], scopes["default"], reports, rates,
                                 "staffing_turnover", "Staff turnover")
    text = drawn(fig)
    assert ("Haninge 2024 · all leavers the committee's activity areas: IFO and "
            "funktionshinderomsorg") in text
    assert "Haninge 2024 · all leavers whole committee" not in text
    staff = tables["staffing"]
    row = staff[(staff.doc_id == "haninge_2024_ar") & (staff.variable == "turnover_total_pct")
                & (staff.fiscal_year.astype(int) == 2024) & (staff.source_kind == "table")]
    assert (row.value.iloc[0], int(row.source_line.iloc[0]), row.scope_class.iloc[0]) == (
        "14", 446, "committee")
    assert row.scope.iloc[0].startswith("the committee's activity areas: IFO and "
                                        "funktionshinderomsorg (table caption: ")


def test_cost_type_figure_says_what_each_cost_type_line_holds(scopes, tables, reports):
    """Figure 1 (review F5/N4): one line a committee whose cost-type lines hold unlike
    things – from crosswalks/cost_types.csv, each on the line that says so."""
    note = figure_notes.cost_types(scopes["default"], tables["cost_by_activity"], reports)
    lines = note.split("\n")
    assert lines[-2] == ("Haninge 2024: 'Kostnader för bidrag' (grants paid) also holds "
                         "payments to personal-assistance providers besides försörjningsstöd "
                         f"and other grants [{HANINGE}:357]")
    assert lines[-1] == ("Strängnäs 2023: 'Kostnader och utgifter' (purchased services) also "
                         "holds grants paid, incl. economic assistance, besides purchased "
                         f"placements [{STRANGNAS}:572]; 'Övriga kostnader' (other costs) also "
                         "holds premises and housing rents, hired staff and financial items "
                         f"[{STRANGNAS}:574]")
    assert "lämnade bidrag" in _raw(STRANGNAS, 572)
    assert "inhyrd personal" in _raw(STRANGNAS, 574)
    assert "ersättning till utförare inom personlig assistans" in _raw(HANINGE, 357)
    assert "Haninge" not in figure_notes.cost_types(scopes["one"], tables["cost_by_activity"],
                                                    reports)


def _raw(file: str, line: int) -> str:
    return (paths.RAW / file).read_text(encoding="utf-8").splitlines()[line - 1]


def test_activity_figure_shows_the_whole_mixed_bar_of_2020(figures, reports, facts, tables):
    """Review N5: the 2020 run's mixed lines hold 92.6 % of Haninge's Jan–Apr net cost
    (three mixed lines, the largest 'Avdelning Beställare funktionsnedsättning och äldre' at
    001:288); the x-limit comes from the data, and disability support, mostly inside 288,
    says so."""
    from socialstudy.figures.cost import _xmax
    activity = tables["cost_by_activity"]
    scope = resolve("2020", "all", reports, facts)
    rows = scope.filter(activity)
    rows = rows[rows.share_of_total_pct != ""]
    mixed = rows[rows.category == "mixed"].share_of_total_pct.astype(float).sum()
    assert round(mixed, 1) == 92.6 and _xmax(rows) == 110
    fig = figures.activity_shares(activity, scope, reports)
    assert "Haninge: also inside a mixed line" in drawn(fig)
    assert fig.axes[0].get_xlim()[1] == 110


def test_a_mixed_line_described_only_for_the_whole_committee_says_so(tables):
    """Review N7: Strängnäs's IFO line (004:400) has no description of its own; 004:116
    lists the whole committee's services, so the text does not say the line is described."""
    from socialstudy.narrative.findings_cost import _components
    rows = tables["cost_by_activity"]
    ifo = rows[(rows.doc_id == "strangnas_2023_ar") & (rows.report_label ==
               "Individ och familjeomsorg") & (rows.fiscal_year == 2023)].iloc[0]
    assert int(ifo.source_line) == 400 and int(ifo.description_line) == 116
    assert _components(ifo) == (
        "children and young people, adults: substance abuse and other (the report describes "
        f"only the whole committee [{STRANGNAS}:116]), no split printed")
    assert _raw(STRANGNAS, 116).startswith("Socialnämndens verksamheter vänder sig")
    myndighet = rows[(rows.doc_id == "strangnas_2023_ar") & (rows.report_label == "Myndighet")
                     & (rows.fiscal_year == 2023)].iloc[0]
    assert f"(described [{STRANGNAS}:413])" in _components(myndighet)


def test_goal_figure_says_why_a_committee_has_no_panel(figures, reports, facts, tables):
    """2023 run: only Strängnäs's own 2023 report assesses goals for 2023 (lines 141–150);
    Haninge's and Huddinge's 2023 come from their 2024 reports, which assess 2024 only.
    Figure 6 draws one panel and says why the other two have none."""
    fig = figures.goal_levels(tables["goals"], resolve("2023", "all", reports, facts), reports)
    text = drawn(fig)
    assert "Strängnäs 2023: 10 goals, 2 wordings used" in text
    assert ("No panel: Haninge 2023: no year-end goal assessment for this year in the report "
            "read (a report assesses only its own year); Huddinge 2023: no year-end goal "
            "assessment") in text
    default = drawn(figures.goal_levels(tables["goals"], resolve("latest", "all", reports,
                                                                   facts), reports))
    assert "No panel" not in default
