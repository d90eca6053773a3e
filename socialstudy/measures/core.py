"""The comparable core of a selection: the activity categories that *every* selected
committee carries in full in its remit (``in_remit == 'yes'`` in the per-report remit,
``measures/remit.py``), and per committee the net cost of that core – in tkr, per
inhabitant and as a share of the committee's net cost.

Each activity line of the committee's own table is counted **in** (its category, or every
component of a mixed line, is in the core), **out** (none is), or it **touches** the core (a
mixed line with components on both sides; the report gives no split). A line also touches
the core where ``crosswalks/core_reach.csv`` says its cost serves or may hold categories
outside the core that its own category does not show: administration that serves the whole
committee (and, in Haninge, elderly care run for another committee), or a line that may carry
an activity the report puts in no named line. A committee whose core a touching line reaches
gets a range: the line counted out (low) and in (high).
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report, load_registry
from socialstudy.core.scope import Selection
from socialstudy.core.vocabulary import CATEGORY_WORDS
from socialstudy.crosswalks.loader import read_crosswalk, row_error
from socialstudy.measures.cited import quoted_rows
from socialstudy.measures.remit import remit_of
from socialstudy.measures.tabular import NOT_MAPPED, fmt

NOT_ACTIVITIES = {"total", "mixed", "unmapped"}
CORE_COLUMNS = ["selection", "core_categories", "municipality", "doc_id", "fiscal_year",
                "period", "row_kind", "report_label", "category", "fit", "components",
                "in_core", "net_cost_tkr", "core_low_tkr", "core_high_tkr",
                "committee_net_cost_tkr", "share_low_pct", "share_high_pct", "population",
                "per_inhabitant_low_kr", "per_inhabitant_high_kr", "status", "note",
                "source_file", "source_line", "reason"]


def core_categories(remit: pd.DataFrame, doc_ids: list[str]) -> list[str]:
    """Categories every report of ``doc_ids`` has as 'yes', in the schema's order."""
    remits = [remit_of(remit, d) for d in doc_ids]
    return [c for c in CATEGORY_WORDS if c not in NOT_ACTIVITIES
            and remits and all(r.get(c) == "yes" for r in remits)]


def reaches(reports: list[Report] | None = None) -> dict[tuple[str, str], object]:
    """{(doc_id, report_label): row of crosswalks/core_reach.csv}: what a line's cost also
    serves or may hold beyond its category, each quote checked to stand on its line."""
    reports = load_registry() if reports is None else reports
    out = {}
    labels = {(r.municipality, r.report_label) for r in read_crosswalk("activities.csv")}
    for row, report, _ in quoted_rows("core_reach.csv", reports):
        if (report.municipality, row.report_label) not in labels:  # else silently no reach
            raise row_error("core_reach.csv", row, f"report_label {row.report_label!r} is no "
                            f"activity line of {report.municipality} in activities.csv",
                            "spell the label as activities.csv (and the report) do")
        out[(row.doc_id, row.report_label)] = row
    return out


def line_status(category: str, components: str, core: list[str], reach: str = "") -> str:
    """'in', 'out' or 'touches' for one activity line (``reach``: the categories it also
    serves or may hold, joined by +)."""
    parts = [p for p in str(components or "").split("+") if p] or [category]
    parts += [p for p in str(reach or "").split("+") if p]
    inside = [p in core for p in parts]
    return "in" if all(inside) else "touches" if any(inside) else "out"


def comparable_core(activity: pd.DataFrame, remit: pd.DataFrame, inhabitants: pd.DataFrame,
                    chosen: list[Selection]) -> pd.DataFrame:
    """Rows per selected committee: each activity line with in/out/touches, then one
    'core' row with the core's net cost (range where a mixed line touches it)."""
    doc_ids = [s.doc_id for s in chosen if s.doc_id]
    core = core_categories(remit, doc_ids)
    label, reach = "+".join(doc_ids), reaches()
    rows = []
    for sel in (s for s in chosen if s.doc_id):
        lines = activity[(activity.doc_id == sel.doc_id) & (activity.fiscal_year == sel.fiscal_year)
                         & (activity.period == sel.period)]
        rows += _committee_rows(sel, lines, core, inhabitants, reach)
    frame = pd.DataFrame(rows, columns=CORE_COLUMNS)
    frame["selection"] = label
    frame["core_categories"] = "+".join(core)
    return frame.reset_index(drop=True)


def _committee_rows(sel: Selection, lines: pd.DataFrame, core: list[str],
                    inhabitants: pd.DataFrame, reach: dict) -> list[dict]:
    base = {"municipality": sel.municipality, "doc_id": sel.doc_id,
            "fiscal_year": sel.fiscal_year, "period": sel.period}
    total = lines[lines.category == "total"]
    mapped = lines.status != NOT_MAPPED
    rows = []
    for r in lines[mapped & (lines.category != "total")].itertuples():
        extra = reach.get((sel.doc_id, r.report_label))
        rows.append({**base, "row_kind": "line", "report_label": r.report_label,
                     "category": r.category, "fit": r.fit, "components": r.components,
                     "reach": extra,
                     "in_core": line_status(r.category, r.components, core,
                                            extra.reaches if extra else ""),
                     "net_cost_tkr": r.net_cost_tkr, "source_file": r.source_file,
                     "source_line": r.source_line,
                     "reason": r.reason if not str(r.net_cost_tkr).strip() else ""})
    why = next(iter(lines[~mapped].reason), "the report prints no net cost for this year and "
               "period")
    rows.append({**base, **_core_row(rows, total, core, sel, inhabitants, why)})
    return rows


def _amount(rows: list[dict], status: str) -> float:
    return sum(float(r["net_cost_tkr"]) for r in rows
               if r["in_core"] == status and str(r["net_cost_tkr"]).strip())


def _core_row(rows: list[dict], total: pd.DataFrame, core: list[str], sel: Selection,
              inhabitants: pd.DataFrame, no_total: str) -> dict:
    row = {"row_kind": "core", "report_label": "", "category": "", "fit": "",
           "components": "", "in_core": "", "net_cost_tkr": ""}
    if total.empty or not core or not str(total.net_cost_tkr.iloc[0]).strip():
        why = "no category is in every selected committee's remit in full" if not core \
            else no_total
        return {**row, "status": "not available", "note": why, "reason": why,
                "source_file": rows[0]["source_file"] if rows else "", "source_line": ""}
    low = _amount(rows, "in")
    high = low + _amount(rows, "touches")
    whole = float(total.net_cost_tkr.iloc[0])
    row.update({"core_low_tkr": fmt(low), "core_high_tkr": fmt(high),
                "committee_net_cost_tkr": fmt(whole),
                "share_low_pct": fmt(100 * low / whole, 2),
                "share_high_pct": fmt(100 * high / whole, 2),
                "status": "range" if high != low else "complete",
                "note": touching_note(rows, core),
                "source_file": total.source_file.iloc[0],
                "source_line": total.source_line.iloc[0]})
    extra = _per_inhabitant(low, high, sel, inhabitants)
    why = extra.pop("note_extra", "")
    row["reason"] = why  # the per-inhabitant figure is missing
    row.update(extra)
    row["note"] = "; ".join(p for p in (row["note"], why) if p)
    return row


def touching_note(rows: list[dict], core: list[str]) -> str:
    """Which lines make the range, with their amounts and what else they hold or serve."""
    parts = []
    for r in rows:
        if r["in_core"] != "touches":
            continue
        outside = _outside(r["components"], core)
        what = [f"also holds {outside}"] if outside else []
        extra = r.get("reach")
        if extra is not None and _outside(extra.reaches, core):
            what.append(f"also serves or may hold {_outside(extra.reaches, core)} "
                        f"({extra.why}, line {extra.quote_line})")
        parts.append(f"'{r['report_label']}' {fmt(float(r['net_cost_tkr']) / 1000, 1)} mnkr "
                     f"(line {r['source_line']}) {' and '.join(what)}")
    return ("; ".join(parts) + " – the report gives no split: each counted out (low) and in "
            "(high)") if parts else ""


def _outside(categories: str, core: list[str]) -> str:
    """The categories of ``categories`` (joined by +) outside the core, in words."""
    words = [CATEGORY_WORDS.get(c, c) for c in str(categories or "").split("+")
             if c and c not in core]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _per_inhabitant(low: float, high: float, sel: Selection,
                    inhabitants: pd.DataFrame) -> dict:
    if sel.part_year:
        return {"note_extra": "part year: no per-inhabitant figure"}
    match = inhabitants[(inhabitants.doc_id == sel.doc_id)
                        & (inhabitants.fiscal_year.astype(int) == sel.fiscal_year)]
    pop = match.population.iloc[0] if not match.empty else ""
    if pop == "" or pd.isna(pop):
        return {"note_extra": f"population on 31 December {sel.fiscal_year} not available"}
    pop = int(float(pop))
    return {"population": str(pop), "per_inhabitant_low_kr": fmt(1000 * low / pop, 0),
            "per_inhabitant_high_kr": fmt(1000 * high / pop, 0)}
