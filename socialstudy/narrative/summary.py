"""The study's findings for one scope, computed from the processed tables so that the
summary notebook's sentences follow the data (and the ``year`` parameter)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialstudy.core.registry import load_registry
from socialstudy.core.scope import Scope, Selection
from socialstudy.core.units import mnkr
from socialstudy.measures.like_with_like import definitions, remit_scopes
from socialstudy.measures.remit import remit_by_report, remit_of
from socialstudy.measures.tabular import HAS_VALUE, NOT_MAPPED, NOT_REPORTED
from socialstudy.narrative import caveats, core_text, findings, named_items
from socialstudy.narrative.findings_cost import gross_caveat


def remit_text(remit: pd.DataFrame, doc_id: str | None) -> str:
    """The committee's remit in words, as its own report describes it (per report, from
    ``measures.remit.remit_by_report``)."""
    if not doc_id:
        return ""
    column = pd.Series(remit_of(remit, doc_id), dtype=object)
    if column.empty or (column == "unknown").all():
        return "unknown (no row in crosswalks/remit_reports.csv or remit.csv)"
    scopes = remit_scopes([r for r in load_registry() if r.doc_id == doc_id])
    scope = dict(zip(scopes.category, scopes.scope))

    def said(cat: str, value: str) -> str:
        extra = f" ({scope[cat]})" if value == "partial" and cat in scope else ""
        return cat.replace("_", " ") + extra

    parts = [f"{label}: {', '.join(said(c, value) for c in column.index[column == value])}"
             for value, label in (("partial", "partly"), ("no", "not in remit"),
                                  ("unknown", "unknown"))
             if (column == value).any()]
    other = (f"; other: {scope['other']}{findings.cite(scopes[scopes.category == 'other'])}"
             if column.get("other") == "yes" and "other" in scope else "")
    return ("; ".join(parts) or "all activity areas") + other


def load(processed: Path) -> dict[str, pd.DataFrame]:
    """The six comparison tables (see ``findings.load``)."""
    return findings.load(processed)


def _pick(frame: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """Rows of the selected report and year only (never another report's columns)."""
    return frame[(frame.municipality == sel.municipality) & (frame.doc_id == sel.doc_id)
                 & (frame.fiscal_year == sel.fiscal_year)]


def key_figures(scope: Scope, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per municipality: remit, net cost, budget deviation, personnel share,
    turnover and sick leave, goals met; 'not reported' where the report lacks it."""
    rows, remit, steps = [], remit_by_report(), goal_steps(scope, tables)
    defs, shown = definitions(load_registry()), len(findings.chosen(scope))
    for sel in scope.selections.values():
        muni, year = sel.municipality, sel.fiscal_year
        activity = _pick(tables["cost_by_activity"], sel)
        total = activity[(activity.category == "total") & (activity.net_cost_tkr != "")
                         & (activity.period == (sel.period or ""))]
        gone = _pick(tables["budget_deviation"], sel)
        deviation = gone[(gone.period == (sel.period or "")) & gone.status.isin(HAS_VALUE)]
        types = _pick(tables["cost_by_type"], sel)
        personnel = types[types.category == "personnel"]
        staff = _pick(tables["staffing"], sel)
        inhabitant = _pick(tables["per_inhabitant"], sel) if "per_inhabitant" in tables else None
        every_goal = _pick(tables["goals"], sel)
        goals = every_goal[every_goal.assessment_kind == "year_end_attainment"]
        rows.append({
            "municipality": muni, "year": year if year else NO_REPORT,
            "period": findings.words(sel.period) if sel.period else "",
            "remit": remit_text(remit, sel.doc_id) + caveats.remit_year_note(remit, defs, sel),
            NET_COST: (mnkr(total.net_cost_tkr.iloc[0], unit=False)
                                + _contradicted(tables, sel, total, "net_cost_tkr") if len(total)
                                else _absent(sel, activity)),
            "budget deviation (%)": (_deviation(tables, sel, deviation) if len(deviation)
                                     else _absent(sel, gone)),
            "budget deviation without the one-offs, buffers and top-ups the report names "
            "(% of the printed budget)":
                (named_items.deviation_cell(tables.get("deviation_adjusted"), sel)
                 if len(deviation) else _absent(sel, gone)),
            "whole-committee net cost per inhabitant (kr; covers the remit above, "
            "not comparable across remits)": _per_inhabitant(inhabitant, sel)
            + _contradicted(tables, sel, inhabitant, "net_cost_tkr")
            + _includes(scope, tables, sel, inhabitant),
            "personnel share of gross cost (%)": (_share(personnel) + gross_caveat(types, sel)
                                                  if len(personnel) else _absent(sel, types)),
            "turnover, committee level (%; the cell names a narrower scope)":
                _staff(staff, "turnover_total_pct", _absent(sel, staff))
                + caveats.definition_note(defs, sel, "turnover", shown),
            "sick leave (%)":
                _staff(staff, "sick_leave_total_pct", _absent(sel, staff))
                + caveats.definition_note(defs, sel, "sick_leave", shown),
            "comparable-core net cost per inhabitant (kr; core of this selection)":
                _core(tables.get("comparable_core"), sel),
            "goals met or largely met": (caveats.goals_cell(goals, steps, sel, shown)
                                         or _goals(goals, sel, every_goal)),
            "lines the figures rest on": _sources(tables, sel, total, deviation, personnel, staff),
        })
    return pd.DataFrame(rows).set_index("municipality")


NET_COST = "whole-committee net cost (mnkr; covers the remit above)"
NOT_MAPPED_YET = "not mapped yet (see the review)"


def _sources(tables: dict[str, pd.DataFrame], sel: Selection, total: pd.DataFrame,
             deviation: pd.DataFrame, personnel: pd.DataFrame, staff: pd.DataFrame) -> str:
    """The key-figure row's last cell: the raw lines of its numbers (see ``_lines``)."""
    if not sel.doc_id:
        return NO_REPORT
    return _lines({"net cost": total, "budget deviation": deviation,
                   "without the named items": _items(tables.get("deviation_adjusted"), sel),
                   "personnel share": personnel, "turnover": _first(staff, "turnover_total_pct"),
                   "sick leave": _first(staff, "sick_leave_total_pct")})


def _lines(cited: dict[str, pd.DataFrame | None]) -> str:
    """'net cost, budget deviation [000_….txt:372]; personnel share [000_….txt:344]; …':
    the raw lines of every number in a key-figure row, figures on the same lines named
    together (the cells keep the definitions and caveats)."""
    by_cite: dict[str, list[str]] = {}
    for name, rows in cited.items():
        where = findings.cite(rows) if rows is not None and len(rows) else ""
        if where:
            by_cite.setdefault(where, []).append(name)
    return "; ".join(f"{', '.join(names)}{where}" for where, names in by_cite.items()) or \
        "none: no figure of this row is reported"


def _items(adjusted: pd.DataFrame | None, sel: Selection) -> pd.DataFrame | None:
    """The named one-offs, buffers and top-ups of the selection: their quote and amount lines."""
    if adjusted is None:
        return None
    rows = adjusted[(adjusted.doc_id == sel.doc_id) & (adjusted.fiscal_year == sel.fiscal_year)
                    & adjusted.deviation_without_pct.astype(str).str.strip().ne("")]
    return pd.concat([rows, rows.assign(source_line=rows.amount_line)])


def _first(staff: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The committee-level staffing row the key-figure cell shows (see ``_staff``)."""
    rows = staff[(staff.variable == variable) & staff.status.isin(["reported", "derived"])
                 & (staff.scope_class == "committee")]
    return rows.assign(table=rows.source_kind != "table", derived=rows.status == "derived"
                       ).sort_values(["derived", "table", "source_line"]).head(1)
NO_REPORT = "no report for this selection"


def _absent(sel: Selection, rows: pd.DataFrame) -> str:
    """'no report for this selection' where the committee has no report for the selected
    year, else the status of the table's rows: 'not mapped yet' where they say the committee
    is not mapped, or 'not reported'."""
    if not sel.doc_id:
        return NO_REPORT
    return NOT_MAPPED_YET if (rows.status == NOT_MAPPED).any() else NOT_REPORTED


def _goals(goals: pd.DataFrame, sel: Selection, every: pd.DataFrame) -> str:
    """Goals met or largely met, or why the selection has no year-end assessment (a
    part-year report's forecasts of the year-end assessment counted, never as results)."""
    if len(goals):
        return f"{goals.level.isin(['met', 'largely_met']).sum()} of {len(goals)}"
    if not sel.doc_id:
        return NO_REPORT
    absent = _absent(sel, every)
    if absent == NOT_MAPPED_YET:
        return absent
    forecasts = every[every.assessment_kind == "year_end_forecast"]
    if sel.part_year and len(forecasts):
        met = forecasts.level.isin(["met", "largely_met"]).sum()
        return (f"{NOT_REPORTED} (a part-year report: it gives {len(forecasts)} forecasts of "
                f"the year-end assessment instead, {met} forecast met or largely met)")
    if sel.part_year:
        return f"{NOT_REPORTED} (a part-year report assesses no year-end goals)"
    return f"{NOT_REPORTED} (assessed only in the year's own report)"


def goal_steps(scope: Scope, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """{doc_id: distinct wordings of its year-end goal assessments} in this run."""
    goals = scope.filter(tables["goals"])
    goals = goals[goals.assessment_kind == "year_end_attainment"]
    return {d: g.status_text.nunique() for d, g in goals.groupby("doc_id")}


def _core(core: pd.DataFrame | None, sel: Selection) -> str:
    """The core per inhabitant (a range where a mixed line touches it), or why none."""
    if not sel.doc_id:
        return NO_REPORT
    rows = None if core is None else core[(core.doc_id == sel.doc_id) & (core.row_kind == "core")]
    if rows is None or rows.empty:
        return NOT_REPORTED
    r = rows.iloc[0]
    if not str(r.per_inhabitant_low_kr).strip():
        return "not available"
    low, high = r.per_inhabitant_low_kr, r.per_inhabitant_high_kr
    if low == high:
        return low + _core_holds(core, sel)
    touching = core[(core.doc_id == sel.doc_id) & (core.row_kind == "line")
                    & (core.in_core == "touches")]
    # the core row's note names each touching line, its amount and what it also holds or
    # serves outside the core (with the line saying so): the caveat beside the range
    return (f"{low}–{high} (range: {r.note}{findings.cite(touching)})"
            + _core_holds(core, sel))


def _core_holds(core: pd.DataFrame, sel: Selection) -> str:
    """' (core: …; its 'other' here: …)': the core's categories and, since 'other' differs
    between committees, what this committee's 'other' holds, with its lines (issue 17)."""
    other = (core_text.other_holds(sel.doc_id)
             if "other" in str(core.core_categories.iloc[0]).split("+") else "")
    return (f" (core: {core_text.core_words(core)}"
            + (f"; its 'other' here: {other}" if other else "") + ")")


def _deviation(tables: dict[str, pd.DataFrame], sel: Selection, rows: pd.DataFrame) -> str:
    """The deviation % with the crossfoot caveat of the amounts it rests on, if any."""
    return rows.deviation_pct.iloc[0] + caveats.contradicted(
        tables, sel, caveats.deviation_figures(rows.iloc[0]))


def _includes(scope: Scope, tables: dict[str, pd.DataFrame], sel: Selection,
              rows: pd.DataFrame | None) -> str:
    """A whole-committee per-inhabitant cell's remit caveat: what it includes that another
    selected committee does not run (or runs only in part), with amounts (issue 17)."""
    if rows is None or rows.empty or not (rows.net_cost_per_inhabitant_kr != "").any():
        return ""
    gap = caveats.remit_gap(scope, tables.get("cost_by_activity"), load_registry(), sel)
    return f"; includes {gap}" if gap else ""


def _contradicted(tables: dict[str, pd.DataFrame], sel: Selection, rows: pd.DataFrame | None,
                  column: str) -> str:
    """A key-figure cell's crossfoot caveat: the net cost it rests on contradicts its own
    table (issue 15); '' otherwise."""
    if rows is None or rows.empty or not str(rows[column].iloc[0]).strip():
        return ""
    r = rows.iloc[0]
    return caveats.contradicted(tables, sel, [(r.fiscal_year, r.period, "actual", r[column])])


def _per_inhabitant(rows: pd.DataFrame | None, sel: Selection) -> str:
    """The value, or why there is none ('not available': no population figure)."""
    if not sel.doc_id:
        return NO_REPORT
    if rows is None or rows.empty:
        return NOT_REPORTED
    known = rows[rows.net_cost_per_inhabitant_kr != ""]
    if len(known):
        return known.net_cost_per_inhabitant_kr.iloc[0]
    return "not available" if rows.status.iloc[0] == "not available" else NOT_REPORTED


def _share(rows: pd.DataFrame) -> str:
    row = rows.iloc[0]
    if row.share_pct == "":
        return NOT_REPORTED
    suffix = " (prose)" if row.value_status != "reported" else ""
    return f"{float(row.share_pct):.1f}{suffix}"


def _staff(staff: pd.DataFrame, variable: str, absent: str = NOT_REPORTED) -> str:
    rows = staff[(staff.variable == variable)]
    committee = rows[rows.status.isin(["reported", "derived"]) & (rows.scope_class == "committee")]
    if committee.empty:
        section = rows[(rows.status == "reported") & (rows.scope_class == "section")]
        if not section.empty:
            first = section.sort_values("source_line").iloc[0]
            return f"{NOT_REPORTED} (only {first.value} for {first.scope})"
        return absent
    first = _first(staff, variable).iloc[0]
    period = findings.PERIOD_WORDS.get(first.period, first.period)
    notes = [period] if first.period != "full_year" else []
    notes += [f"derived from line {first.source_line}"] if first.status == "derived" else []
    notes += [first.scope.split(" (")[0]] if not first.scope.startswith("whole committee") else []
    note = f" ({'; '.join(notes)})" if notes else ""
    return f"{float(first.value):.1f}{note}"
