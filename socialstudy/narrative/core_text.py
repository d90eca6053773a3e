"""Sentences on the comparable core and the remit caveats that travel with every
cross-committee comparison. Built from the comparable-core table (``comparable_core.csv``)
and the per-report remit (``measures/remit.py``), so they name the committee, the activity
and the amount, and change with the selection."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import load_registry
from socialstudy.core.units import mnkr
from socialstudy.core.vocabulary import CATEGORY_WORDS
from socialstudy.measures.like_with_like import remit_scopes
from socialstudy.narrative import findings

REMIT_WORDS = {"partial": "only partly", "no": "not at all", "unknown": "unknown"}


def _kr(value) -> str:
    return f"{int(float(value)):,}".replace(",", " ") + " kr"


def _span(low, high, fmt) -> str:
    return fmt(low) if str(low) == str(high) else f"{fmt(low)}–{fmt(high)}"


def core_sentence(core: pd.DataFrame, remit: pd.DataFrame) -> str:
    """What the core holds for this selection, and why the other categories are out."""
    if core.empty:
        return f"*{findings.NO_DATA}.*"
    shown = core_words(core)
    if not shown:
        return ("No activity category is in every selected committee's remit in full, so there "
                "is no comparable core for this selection.")
    serving = core[(core.row_kind == "line") & (core.category == "administration")
                   & (core.in_core == "touches")]
    admin = (" An administration line whose cost also serves activities outside the core "
             f"({findings.names(list(dict.fromkeys(serving.municipality)))}; "
             "`crosswalks/core_reach.csv`) is not like another committee's administration: it is "
             "counted out (low) and in (high)." if len(serving) else "")
    return (f"The comparable core of this selection is what every selected committee carries "
            f"in full in its remit: **{shown}** (remit per report, "
            f"`crosswalks/remit_reports.csv`).{admin}")


def committee_core(core: pd.DataFrame) -> list[str]:
    """One bullet per committee: the core's net cost (range where a mixed line touches it),
    its share and per inhabitant, each cited."""
    out = []
    for doc_id, rows in core.groupby("doc_id", sort=False):
        total = rows[rows.row_kind == "core"].iloc[0]
        who = f"**{total.municipality} {total.fiscal_year}**"
        if total.status == "not available":
            out.append(f"{who}: no core amount ({total.note}).")
            continue
        lines = rows[(rows.row_kind == "line") & rows.in_core.isin(["in", "touches"])]
        amount = _span(total.core_low_tkr, total.core_high_tkr, mnkr)
        share = _span(total.share_low_pct, total.share_high_pct,
                      lambda v: f"{float(v):.1f}")
        per = (f", {_span(total.per_inhabitant_low_kr, total.per_inhabitant_high_kr, _kr)} "
               "per inhabitant" if str(total.per_inhabitant_low_kr).strip() else
               ", per inhabitant not available")
        kind = " (range)" if total.status == "range" else ""
        note = f"; {total.note}" if str(total.note).strip() else ""
        out.append(f"{who}: core net cost {amount}{kind}, {share} % of the committee's "
                   f"{mnkr(total.committee_net_cost_tkr)}{per}{note}"
                   f"{findings.cite(pd.concat([lines, total.to_frame().T]))}.")
    return out


def remit_differences(core: pd.DataFrame, remit: pd.DataFrame) -> list[str]:
    """Per category outside the core: which committee carries it, with its lines and
    amounts, and how far the others carry it – the caveat for any whole-committee figure."""
    if core.empty or core.doc_id.nunique() < 2:
        return []
    docs = list(dict.fromkeys(core.doc_id))
    out = []
    for cat in CATEGORY_WORDS:
        status = {d: _status(remit, d, cat) for d in docs}
        if cat in str(core.core_categories.iloc[0]).split("+") or set(status.values()) <= {
                "no", "unknown"}:
            continue
        out.append(_category_caveat(core, remit, cat, docs, status))
    return [o for o in out if o]


def _status(remit: pd.DataFrame, doc_id: str, cat: str) -> str:
    row = remit[(remit.doc_id == doc_id) & (remit.category == cat)]
    return row.in_remit.iloc[0] if not row.empty else "unknown"


def _category_caveat(core, remit, cat, docs, status) -> str:
    parts = []
    for d in docs:
        rows = core[(core.doc_id == d) & (core.row_kind == "line")]
        muni = rows.municipality.iloc[0] if not rows.empty else d
        own = rows[(rows.category == cat) | rows.components.fillna("").str.contains(cat)]
        money = ", ".join(f"'{r.report_label}' {mnkr(r.net_cost_tkr)}"
                          f"{' (a mixed line)' if r.fit == 'mixed' else ''}"
                          f"{findings.cite(own.loc[[r.Index]])}"
                          for r in own.itertuples() if str(r.net_cost_tkr).strip())
        ev = remit[(remit.doc_id == d) & (remit.category == cat)]
        where = f" (remit{findings.cite(ev)})" if not ev.empty else ""
        verb = "carries it" if status[d] == "yes" else REMIT_WORDS.get(status[d], status[d])
        parts.append(f"{muni} {verb}{f': {money}' if money else ''}{where}")
    return f"{CATEGORY_WORDS[cat]}: " + "; ".join(parts)


def other_differs(core: pd.DataFrame) -> str:
    """Where 'other' is in the core: what it holds per committee
    (``crosswalks/remit_scope.csv``), since the same word covers unlike activities."""
    if core.empty or "other" not in str(core.core_categories.iloc[0]).split("+"):
        return ""
    docs = core.drop_duplicates("doc_id")
    parts = [f"{d.municipality} {d.fiscal_year}: {said}" for d in docs.itertuples()
             if (said := other_holds(d.doc_id))]
    if len(parts) < 2:
        return ""
    return f"*Not like with like – 'other' holds different activities:* {'; '.join(parts)}."


def other_holds(doc_id: str) -> str:
    """What this committee's 'other' holds, in words, with every line it rests on
    (``crosswalks/remit_scope.csv``); '' where the crosswalk says nothing."""
    scopes = remit_scopes([r for r in load_registry() if r.doc_id == doc_id])
    said = scopes[scopes.category == "other"]
    return f"{said.scope.iloc[0]}{findings.cite(said)}" if len(said) else ""


def core_words(core: pd.DataFrame) -> str:
    """The core's categories in words ('children and young people, …'), '' if none."""
    cats = [c for c in str(core.core_categories.iloc[0] or "").split("+") if c]
    return ", ".join(CATEGORY_WORDS.get(c, c) for c in cats)


def core_findings(core: pd.DataFrame, remit: pd.DataFrame) -> str:
    """The core section of notebook 02 (and the summary): core, per committee, and what
    lies outside it."""
    text = [core_sentence(core, remit), ""]
    text.append(findings.bullets(committee_core(core)))
    other = other_differs(core)
    if other:
        text += ["", other]
    diffs = remit_differences(core, remit)
    if diffs:
        text += ["", "Outside the core (whole-committee totals include these; the remits "
                 "differ here):", "", findings.bullets(diffs)]
    return "\n".join(text)


def includes(scope, frame: pd.DataFrame, activity: pd.DataFrame, reports: list) -> pd.DataFrame:
    """The whole-committee per-inhabitant rows with an ``includes`` column: the committee's
    remit in words (``summary.remit_text``) and, beside another selected committee, the
    activities it runs that the other does not, with their amounts (``caveats.remit_gap``,
    as the key figures say it)."""
    from socialstudy.measures.remit import remit_by_report
    from socialstudy.narrative import caveats
    from socialstudy.narrative.summary import remit_text
    remit = remit_by_report(reports)
    sels = {s.doc_id: s for s in scope.selections.values() if s.doc_id}

    def said(row) -> str:
        sel = sels.get(row.doc_id)
        gap = (caveats.remit_gap(scope, activity, reports, sel)
               if sel and int(row.fiscal_year) == sel.fiscal_year else "")
        return (f"the whole remit ({remit_text(remit, row.doc_id)})"
                + (f"; unlike another committee in this run, it runs {gap}" if gap else ""))

    return frame.assign(includes=[said(r) for r in frame.itertuples()])
