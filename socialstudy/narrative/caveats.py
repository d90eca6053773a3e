"""Caveats that travel with a cross-committee number, built from the tables (named
adjustments, per-report remit, goal scales) so that they name the committee, the item and
the amount, and change with the selection."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report, load_registry
from socialstudy.core.scope import Scope, Selection
from socialstudy.core.units import mnkr
from socialstudy.measures import crossfoot
from socialstudy.measures.like_with_like import (
    component_evidence,
    definitions,
    own_lines,
    remit_differences,
    remit_scopes,
)
from socialstudy.measures.remit import remit_by_report
from socialstudy.measures.revenue import ALL_GRANTS
from socialstudy.narrative.findings import chosen, cite, names, words


def goals_cell(goals: pd.DataFrame, steps: dict[str, int], sel: Selection,
               shown: int = 2) -> str | None:
    """Key-figure cell for goals wherever the run sets two or more committees side by side
    (``shown``), whether or not the others assess goals this year: no count, only the
    committee's own scale; None where a count may stand (a single committee)."""
    if shown < 2 or goals.empty:
        return None
    return (f"not counted here: own scale of {steps[sel.doc_id]} wordings "
            f"({', '.join(dict.fromkeys(goals.sort_values('rank', ascending=False).status_text))})"
            f"{cite(goals.head(1))}; counts on scales of different steps are not set side by "
            "side (notebook 04 shows each committee's own wordings)")


def _sides(activity: pd.DataFrame, years: dict[str, int], reports: list[Report]) -> dict:
    """{(municipality, category): what that committee's partial remit covers, with its own
    lines and amounts, cited} from ``crosswalks/remit_scope.csv``: the other side of a remit
    caveat."""
    muni = {r.doc_id: r.municipality for r in reports}
    out = {}
    scopes = remit_scopes([r for r in reports if r.doc_id in years])
    for (doc_id, category), said in scopes.groupby(["doc_id", "category"], sort=False):
        s = said.iloc[0]
        lines = own_lines(activity, s.doc_id, s.category, years[s.doc_id])
        cost = ", ".join(f"'{b}' {mnkr(t)}" for b, t in zip(lines.report_label, lines.net_cost_tkr))
        cited = cite(pd.concat([said[["source_file", "source_line"]],
                                lines[["source_file", "source_line"]]]))
        out[(muni[s.doc_id], s.category)] = f"{s.scope}{f'; {cost}' if cost else ''}{cited}"
    return out


def mixed_parts(activity: pd.DataFrame | None, years: dict[str, int],
                reports: list[Report] | None = None) -> dict:
    """{(doc_id, category): ([(label, net tkr)], lines)} for a category that also sits,
    unsplit, in a mixed line of that report ('Myndighet', 004:399, holds LSS placements and
    home care): its own lines' amount is then a lower bound. The lines cited are the mixed
    line's amount and the evidence that it holds the category (component_evidence.csv)."""
    if activity is None or activity.empty:
        return {}
    held_in = component_evidence(load_registry() if reports is None else reports)
    out: dict = {}
    mixed = activity[(activity.fit == "mixed") & (activity.net_cost_tkr != "")
                     & (activity.period == "full_year")]
    for r in mixed.itertuples():
        if years.get(r.doc_id) != int(r.fiscal_year):
            continue
        described = [int(r.description_line)] if str(r.description_line).strip() else []
        for cat in str(r.components).split("+"):
            lines = [int(r.source_line),
                     *held_in.get((r.doc_id, r.report_label, cat), described)]
            held, cited = out.get((r.doc_id, cat), ([], []))
            out[(r.doc_id, cat)] = (held + [(r.report_label, r.net_cost_tkr)], cited + lines)
    return out


def _remit_clause(diffs: pd.DataFrame, doc_id: str, sides: dict | None = None,
                  seen: set | None = None, mixed: dict | None = None) -> str:
    """'elderly care (Äldreomsorg, 281.4 mnkr net cost) [..], not run by Haninge' for each
    activity that sets this committee apart in the selection; a committee that runs it in
    part says what it runs (``sides``), once per caveat (``seen``: the sides said already)."""
    sides, parts, seen = sides or {}, [], set() if seen is None else seen
    for r in diffs[diffs.doc_id == doc_id].itertuples():
        lines = [r.source_line, *[x for x in r.cost_lines.split(";") if x]]
        also, more = (mixed or {}).get((doc_id, r.category), ([], []))
        cited = cite(pd.DataFrame({"source_file": r.source_file, "source_line": lines + more}))
        amount = (f"{' and '.join(r.cost_labels.split(';'))}, {mnkr(r.net_cost_tkr)} net cost"
                  if r.net_cost_tkr else "no separate line")
        if also:  # the category also sits in a mixed line: its own amount is a lower bound
            amount += (", plus an unknown part of "
                       + " and ".join(f"'{label}' {mnkr(tkr)}" for label, tkr in also)
                       + " (a mixed line)")
        pairs = [o.split(":") for o in r.others.split(";")]
        runs = [f"{'run only in part' if s == 'partial' else 'not run'} by {m}"
                + _side(sides, seen, (m, r.category), s) for m, s in pairs]
        parts.append(f"{words(r.category)} ({amount}){cited}, {' and '.join(runs)}")
    return "; ".join(parts)


def _side(sides: dict, seen: set, key: tuple[str, str], status: str) -> str:
    """' (what the other committee runs of it …)' the first time a caveat names it."""
    if status != "partial" or key not in sides or key in seen:
        return ""
    seen.add(key)
    return f" ({sides[key]})"


def comparison_caveat(scope: Scope, activity: pd.DataFrame, reports: list[Report],
                      topic: str) -> str:
    """What differs between the selected committees for ``topic`` (sick_leave, turnover,
    grants): each committee's own definition, cited, and for staffing topics the activities
    it runs that another selected committee does not, with their net cost."""
    docs = [s.doc_id for s in scope.selections.values() if s.doc_id]
    defs = definitions([r for r in reports if r.doc_id in docs])
    years = {s.doc_id: s.fiscal_year for s in scope.selections.values() if s.doc_id}
    diffs = (remit_differences(remit_by_report(reports), activity, years)
             if topic != "grants" else pd.DataFrame(columns=["doc_id"]))
    parts, sides, seen = [], _sides(activity, years, reports), set()
    for sel in (s for s in scope.selections.values() if s.doc_id):
        rows = defs[(defs.doc_id == sel.doc_id) & (defs.topic == topic)]
        clause = "; ".join(rows.definition) + cite(rows) if len(rows) else ""
        remit = _remit_clause(diffs, sel.doc_id, sides, seen,
                              mixed_parts(activity, years, reports))
        if remit:
            clause = ", ".join(filter(None, [clause, f"it runs {remit}"]))
        if clause:
            parts.append(f"{sel.municipality} {sel.fiscal_year}: {clause}")
    return "; ".join(parts)


def definition_note(defs: pd.DataFrame, sel: Selection, topic: str, others: int) -> str:
    """Key-figure suffix: the report's own definition for ``topic``, cited, where the run
    sets the figure beside another committee's ('' for a single committee)."""
    rows = defs[(defs.doc_id == sel.doc_id) & (defs.topic == topic)]
    if others < 2 or rows.empty:
        return ""
    return f"; {'; '.join(rows.definition)}{cite(rows)}"


MEASURE_WORDS = {"actual": "net cost", "budget": "budget", "deviation": "deviation",
                 "change": "change in net cost"}


def contradicted(tables: dict[str, pd.DataFrame], sel: Selection,
                 cells: list[tuple[int, str, str, object]]) -> str:
    """' (the previous year's net cost: the report's own lines 367–371 sum to 1149.6 mnkr
    against the printed total of 1154.0 mnkr [000_….txt:372])' for each figure a finding
    or key-figure cell uses (``cells``: fiscal year, period, measure, amount in tkr) that
    contradicts its own table (quality.csv, crossfoot mismatch); '' where none does."""
    frame = tables.get("cost_by_activity")
    found = {} if frame is None else frame.attrs.get("crossfoot", {})
    parts = []
    for year, period, measure, amount in cells:
        for caveat in crossfoot.for_amounts(found, sel.doc_id, [(year, period, measure, amount)]):
            words = MEASURE_WORDS.get(measure, measure)
            if int(year) != sel.fiscal_year:
                words = f"the previous year's {words}"
            parts.append(f" ({words}: {caveat})")
    return "".join(dict.fromkeys(parts))


def deviation_figures(row) -> list[tuple]:
    """The amounts a budget deviation rests on: deviation, budget and the outcome they imply
    (budget − deviation, costs positive)."""
    if not str(row.deviation_tkr).strip() or not str(row.budget_tkr).strip():
        return []
    actual = float(row.budget_tkr) - float(row.deviation_tkr)
    return [(row.fiscal_year, row.period, m, v) for m, v in (
        ("deviation", row.deviation_tkr), ("budget", row.budget_tkr), ("actual", actual))]


def remit_year_note(remit: pd.DataFrame, defs: pd.DataFrame, sel: Selection) -> str:
    """' (as the 2024 report describes the committee; new organisation from 1 January 2024
    …[file:line])' where the run uses a report's prior-year columns: the remit is judged per
    report, for the report's own year, and a change of organisation it names is cited."""
    years = remit[remit.doc_id == sel.doc_id].fiscal_year if sel.doc_id else remit.fiscal_year[:0]
    if years.empty or int(years.iloc[0]) == sel.fiscal_year:
        return ""
    org = defs[(defs.doc_id == sel.doc_id) & (defs.topic == "period")
               & (defs.aspect == "organisation")]
    extra = f"; {'; '.join(org.definition)}{cite(org)}" if len(org) else ""
    return f" (as the {int(years.iloc[0])} report describes the committee{extra})"


def remit_gap(scope: Scope, activity: pd.DataFrame | None, reports: list[Report],
              sel: Selection, seen: set | None = None) -> str:
    """'disability support (Funktionshinderomsorg, 562.6 mnkr net cost) [..], run only in
    part by Huddinge; …': the activities this committee runs that another selected committee
    does not (or only in part), with their net cost – what a whole-committee total includes
    that the others' do not. '' for a single committee or no difference."""
    years = _years(scope)
    if activity is None or len(years) < 2 or sel.doc_id not in years:
        return ""
    diffs, sides, mixed = _gaps(activity, years, reports)
    return _remit_clause(diffs, sel.doc_id, sides, seen, mixed)


def _years(scope: Scope) -> dict[str, int]:
    return {s.doc_id: s.fiscal_year for s in scope.selections.values() if s.doc_id}


def _gaps(activity: pd.DataFrame, years: dict[str, int], reports: list[Report]) -> tuple:
    """What each committee's remit clause is built from, the same for every committee of
    the selection (so computed once per sentence): (differences, sides, mixed parts)."""
    return (remit_differences(remit_by_report(reports), activity, years),
            _sides(activity, years, reports), mixed_parts(activity, years, reports))


def remits_differ(scope: Scope, activity: pd.DataFrame | None, reports: list[Report]) -> str:
    """' Not like with like – the remits differ: Haninge 2024 runs …; Strängnäs 2023 runs …'
    for a sentence that sets shares of whole-committee totals side by side ('' when no
    selected committee runs an activity another does not)."""
    years = _years(scope)
    if activity is None or len(years) < 2:
        return ""
    seen: set = set()
    diffs, sides, mixed = _gaps(activity, years, reports)
    parts = [f"{s.municipality} {s.fiscal_year} runs {gap}"
             for s in scope.selections.values() if s.doc_id
             for gap in [_remit_clause(diffs, s.doc_id, sides, seen, mixed)] if gap]
    return f" Not like with like – the remits differ: {'; '.join(parts)}." if parts else ""


def definitions_differ(scope: Scope, reports: list[Report], topic: str, what: str) -> str:
    """'*Not like with like – {what}:* Haninge 2024: …[file:line]; Strängnäs 2023: …' from
    each selected report's own definition of ``topic`` (comparison_definitions.csv), where
    a table sets two or more of them side by side; '' otherwise."""
    docs = {s.doc_id: s for s in scope.selections.values() if s.doc_id}
    defs = definitions([r for r in reports if r.doc_id in docs])
    defs = defs[defs.topic == topic]
    if defs.doc_id.nunique() < 2:
        return ""
    parts = [f"{docs[d].municipality} {docs[d].fiscal_year}: {'; '.join(rows.definition)}"
             f"{cite(rows)}" for d, rows in defs.groupby("doc_id", sort=True)]
    return f"*Not like with like – {what}:* {'; '.join(parts)}."


def all_grants_base(tables: dict[str, pd.DataFrame], scope: Scope) -> str:
    """Whether the all-grants shares of the selected committees are on one base (all of
    them give one) or not (naming who gives none, so no ranking)."""
    sels, shares = chosen(scope), tables["revenue_dependence"]
    given = shares[(shares.measure == ALL_GRANTS) & (shares.value != "")]
    have = [s for s in sels if ((given.doc_id == s.doc_id)
                                & (given.fiscal_year == s.fiscal_year)).any()]
    if len(sels) < 2 or not have:
        return ""
    if len(have) == len(sels):
        return (" All grants as a share of funding are on one base for every committee in "
                "this run; a share printed rounded to whole per cent is that precise only.")
    lacking = names([s.municipality for s in sels if s not in have])
    return (f" All grants as a share of funding are not given for {lacking}, so they are "
            "not ranked either.")


def shares_base(tables: dict[str, pd.DataFrame], scope: Scope, reports: list[Report]) -> str:
    """The caveats after the last revenue bullet: the base of all grants, then whether the
    revenue shares of gross cost are on one definition (``revenue_base``)."""
    return all_grants_base(tables, scope) + revenue_base(tables, scope, reports)


def revenue_base(tables: dict[str, pd.DataFrame], scope: Scope, reports: list[Report]) -> str:
    """' Revenue as a share of gross cost is not comparable …' where two or more selected
    committees have the share: on one definition only where every one of them defines what
    its revenue and gross cost hold (comparison_definitions.csv, topic 'revenue') and the
    definitions agree; else 'not comparable', each report's own definition cited ('no
    definition quoted' for a report without one)."""
    shares = tables["revenue_dependence"]
    shown = shares[(shares.measure == "revenue_share_of_gross_cost_pct") & (shares.value != "")]
    sels = [s for s in chosen(scope) if ((shown.doc_id == s.doc_id)
                                         & (shown.fiscal_year == s.fiscal_year)).any()]
    if len(sels) < 2:
        return ""
    defs = definitions([r for r in reports if r.doc_id in {s.doc_id for s in sels}])
    defs = defs[defs.topic == "revenue"]
    if defs.doc_id.nunique() == len(sels) and defs.definition.nunique() == 1:
        return (" Revenue as a share of gross cost is on one definition for every committee "
                f"in this run: {defs.definition.iloc[0]}{cite(defs)}.")
    said = [f"{s.municipality} {s.fiscal_year}: "
            + ("; ".join(rows.definition) + _said_of(rows, s) + cite(rows) if len(rows)
               else "no definition quoted")
            for s in sels for rows in [defs[defs.doc_id == s.doc_id]]]
    return (" Revenue as a share of gross cost is not comparable across these committees: "
            "their reports do not count internal transactions in revenue and gross cost alike "
            f"({'; '.join(said)}).")


def _said_of(rows: pd.DataFrame, sel: Selection) -> str:
    """' (said of 2024)' where the run reads a report's prior-year column: the report states
    its definition for its own year."""
    year = int(rows.fiscal_year.iloc[0])
    return f" (said of {year})" if year != sel.fiscal_year else ""


def remit_note(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report],
               sel: Selection) -> str:
    """'; unlike another committee in this run, it runs …' with the activities and amounts."""
    gap = remit_gap(scope, tables.get("cost_by_activity"), reports, sel)
    return f"; unlike another committee in this run, it runs {gap}" if gap else ""
