"""Findings of notebooks 03 and 04 (and the summary): staffing figures with their scope and
period, goal assessments on each committee's own wording and the common level, and
indicators against a same-year target, for the selected reports only."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope
from socialstudy.measures.tabular import HAS_VALUE, NOT_MAPPED
from socialstudy.narrative import findings
from socialstudy.narrative.caveats import comparison_caveat
from socialstudy.narrative.findings import cite, glossed, names, num, who

STAFF_WORDS = {"turnover_total_pct": "staff turnover (all leavers)",
               "turnover_voluntary_pct": "own resignations",
               "sick_leave_total_pct": "sick leave"}
# what a sentence says when the table holds no row at all for the selection
NO_STAFFING = "not reported – the report gives no staffing figures"
NO_INDICATORS = "not reported – no indicator values"


def _staff_value(part: pd.DataFrame, variable: str) -> tuple[str, pd.DataFrame]:
    rows = part[part.variable == variable]
    reported = rows[rows.status.isin(["reported", "derived"])]
    whole = reported[reported.scope_class == "committee"]
    if len(whole):
        first = whole.assign(prose=whole.source_kind != "table",
                             derived=whole.status == "derived").sort_values(
            ["derived", "prose", "source_line"], kind="mergesort").iloc[0]
        period = (f", {findings.PERIOD_WORDS[first.period]}" if first.period == "r12_nov" else "")
        how = ", from running text" if first.source_kind != "table" else ""
        how = ", derived from figures on the cited line" if first.status == "derived" else how
        return f"{num(first.value)} %{period}{how}{cite(first)}", first.to_frame().T
    section = reported[reported.scope_class == "section"]
    if len(section):
        first = section.sort_values("source_line").iloc[0]
        return (f"not reported for the whole committee (only {num(first.value)} % for "
                f"{first.scope}){cite(first)}", pd.DataFrame())
    missing = rows[~rows.status.isin(HAS_VALUE)]
    if len(missing) and missing.status.iloc[0] == NOT_MAPPED:  # its reason says so itself
        return missing.reason.iloc[0], pd.DataFrame()
    reason = f" – {missing.reason.iloc[0]}" if len(missing) and missing.reason.iloc[0] else ""
    return f"not reported{reason}", pd.DataFrame()


def staffing(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """Whole-committee turnover, own resignations and sick leave per report (with the
    report's own explanation of its sick leave, where it gives one); the highest comparable
    sick leave named only among full-year calendar figures."""
    staff = findings.selected(scope, tables)["staffing"]
    lines, sick = [], []
    for sel in findings.chosen(scope):
        part = staff[staff.municipality == sel.municipality]
        if part.empty:
            lines.append(findings.lacking(sel, part, NO_STAFFING))
            continue
        texts = []
        for variable, words in STAFF_WORDS.items():
            text, row = _staff_value(part, variable)
            texts.append(f"{words} {text}")
            if variable == "sick_leave_total_pct" and len(row) and \
                    row.period.iloc[0] == "full_year" and not sel.part_year:
                sick.append((float(row.value.iloc[0]), sel.municipality, sel.fiscal_year))
        lines.append(f"{who(sel)}: " + "; ".join(texts) + ".")
        lines += [f"  * {e}" for e in findings.explanations(sel, "sick_leave", reports)]
    if len(sick) > 1:
        value, muni, year = max(sick)
        years = ("" if len({s[2] for s in sick}) == 1 else
                 f" (a {year} figure; the years differ in this run)")
        caveat = comparison_caveat(scope, tables["cost_by_activity"], reports, "sick_leave")
        lines.append(f"Of the calendar-year sick-leave figures in this run, {muni}'s "
                     f"({num(value)} %) is the highest{years}, but not like with like: "
                     f"{caveat}.")
    return findings.bullets(lines) if lines else f"{findings.NO_DATA}."


def staffing_caption(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report],
                     topic: str) -> str:
    """The caption under a staffing figure: what differs between the committees it sets
    side by side (definitions, period, remit with amounts), or '' for one committee."""
    if len(findings.chosen(scope)) < 2:
        return ""
    caveat = comparison_caveat(scope, tables["cost_by_activity"], reports, topic)
    what = "sick leave" if topic == "sick_leave" else "turnover"
    return (f"*Not like with like – the {what} figures above differ in definition and remit, "
            f"so they are not a ranking:* {caveat}.") if caveat else ""


def own_wording_counts(year_end: pd.DataFrame) -> pd.DataFrame:
    """Goals per committee and its own wording, best first, with the English gloss: counts
    on scales with different numbers of steps are never put in common columns."""
    counts = (year_end.assign(rank=year_end["rank"].astype(int))
              .groupby(["municipality", "status_text", "rank"]).size().reset_index(name="goals")
              .sort_values(["municipality", "rank", "status_text"],
                           ascending=[True, False, True], kind="mergesort"))
    scale = counts.groupby("municipality").status_text.transform("nunique")
    counts = counts.assign(own_scale=[f"{n} wordings used" for n in scale])
    return findings.glossed_columns(
        counts[["municipality", "own_scale", "status_text", "goals"]].reset_index(drop=True),
        ["status_text"])


def goals(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """Year-end goal assessments: counts under each report's own wordings (glossed; never
    on a common scale), and the goals judged not met, quoted."""
    every = findings.selected(scope, tables)["goals"]
    year_end = every[every.assessment_kind == "year_end_attainment"]
    lines, steps = [], {}
    for sel in findings.chosen(scope):
        part = year_end[year_end.municipality == sel.municipality]
        if part.empty:
            none = ("a part-year report assesses no year-end goals" if sel.part_year else
                    "a report assesses only its own year's goals")
            none = f"no year-end goal assessment for {sel.fiscal_year} ({none})"
            lines.append(findings.lacking(sel, every[every.municipality == sel.municipality], none))
            continue
        wordings = dict.fromkeys(part.sort_values("rank", ascending=False,
                                                  kind="mergesort").status_text)
        counts = [f"{int((part.status_text == t).sum())} {glossed(t)}" for t in wordings]
        text = (f"{who(sel)}: of {len(part)} goals, " + names(counts) + cite(part)
                + f" – counted on the report's own scale of {len(wordings)} wordings, not on "
                "a common one")
        failed = part[part.level == "not_met"]
        if len(failed):
            text += ". Judged not met: " + ", ".join(glossed(t) for t in failed.goal_text)
        lines.append(text + ".")
        steps[sel.municipality] = part.status_text.nunique()
    if len(steps) > 1:
        lines.append("Each committee words its own scale (distinct wordings used: " + names(
            [f"{muni} {n}" for muni, n in steps.items()]) + "); each is read against its own, "
            "and counts of goals met are not comparable across them.")
    return findings.bullets(lines) if lines else f"{findings.NO_DATA}."


def indicators(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """How many indicator values of the selected year meet a target set for that year."""
    rows = findings.selected(scope, tables)["indicators"]
    lines = []
    for sel in findings.chosen(scope):
        part = rows[rows.municipality == sel.municipality]
        if part.empty:
            lines.append(findings.lacking(sel, part, f"{NO_INDICATORS} for {sel.fiscal_year}"))
            continue
        targeted = part[part.attainment != "no target for this year"]
        if targeted.empty:
            lines.append(f"{who(sel)}: {len(part)} indicator values, none with a target for "
                         f"{sel.fiscal_year} (the targets are for a later year), so none can "
                         f"be called met{cite(part)}.")
            continue
        met = targeted[targeted.attainment == "met"]
        lines.append(f"{who(sel)}: {len(met)} of {len(targeted)} indicators with a target for "
                     f"{sel.fiscal_year} met it{cite(targeted)}; not met: " +
                     (", ".join(glossed(t) for t in targeted[targeted.attainment == "not met"]
                                .indicator) or "none") + ".")
    return findings.bullets(lines) if lines else f"{findings.NO_DATA}."


def missing_staffing(scope: Scope, mine: pd.DataFrame):
    """Notebook 03's table of missing staffing measures; where a selected report has no
    staffing row at all, every measure is missing and the table says so per committee
    (never 'no measures missing')."""
    from IPython.display import Markdown
    rows = mine[mine.status != "reported"]
    bare = [s for s in findings.chosen(scope) if not (mine.doc_id == s.doc_id).any()]
    said = [f"{who(s)}: every staffing measure is missing – no headcount, turnover or "
            "sick-leave figure was found in the report (staffing.csv has no row for it)"
            for s in bare]
    said += [f"{s.municipality}: no report for this selection" for s in
             scope.selections.values() if not s.doc_id]
    if rows.empty:
        return Markdown(findings.bullets(said) if said else "*No measure is missing.*")
    if said:
        from IPython.display import display
        display(Markdown(findings.bullets(said)))
    return findings.table(rows, ["municipality", "fiscal_year", "variable", "reason"],
                          "measures missing")
