"""The note each figure carries under it and its notebook caption repeats: what differs
between the committees the figure sets side by side, built from the remit and definition
tables by the caveat functions of ``caveats`` (this module only picks, per figure, which of
them apply), so that it names the committee, the activity and the amount and changes with
the selection. ``figures`` may not import ``narrative``: the notebook passes the note in."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope, Selection
from socialstudy.core.units import mnkr
from socialstudy.core.vocabulary import CATEGORY_WORDS
from socialstudy.measures.adjustments import adjustments
from socialstudy.measures.like_with_like import definitions
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import caveats
from socialstudy.narrative.findings import chosen, cite, names, words
from socialstudy.narrative.findings_outcomes import staffing_caption

STATUS_WORDS = {"yes": "in remit", "partial": "only in part", "no": "not in remit"}


def plain(markdown: str) -> str:
    """A caveat without its Markdown emphasis, for drawing on a figure."""
    return markdown.replace("*", "").strip()


def caption(note: str) -> str:
    """The figure's note as the caption under it in the notebook: one italic paragraph a
    line ('' for no note)."""
    return "\n\n".join(f"*{line}*" for line in note.split("\n") if line)


def _lines(activity: pd.DataFrame, sel: Selection, category: str) -> pd.DataFrame:
    return activity[(activity.doc_id == sel.doc_id) & (activity.category == category)
                    & (activity.fiscal_year.astype(int) == sel.fiscal_year)
                    & (activity.period == sel.period) & (activity.net_cost_tkr != "")]


def _holds(remit: pd.DataFrame, activity: pd.DataFrame, sel: Selection, cat: str) -> str:
    """'Huddinge 2024, only in part: Ekonomiskt bistånd 2.7 mnkr – Only emergency aid …
    [002_….txt:624]' – one committee's content of one activity category."""
    own = remit[(remit.doc_id == sel.doc_id) & (remit.category == cat)]
    status = own.in_remit.iloc[0] if len(own) else ""
    lines = _lines(activity, sel, cat)
    amount = "; ".join(f"{r.report_label} {mnkr(float(r.net_cost_tkr))}"
                       for r in lines.itertuples())
    note = own.note.iloc[0] if len(own) and status != "no" else ""
    head = f"{sel.municipality} {sel.fiscal_year}, {STATUS_WORDS.get(status, 'remit not known')}"
    body = " – ".join(filter(None, [amount or ("no separate line" if status != "no" else ""),
                                    note.rstrip(".")]))
    return f"{head}{': ' + body if body else ''}{cite(own)}"


def activity_shares(scope: Scope, activity: pd.DataFrame, reports: list[Report]) -> str:
    """Per activity category whose content differs between the selected committees (their
    remit statuses differ, or a committee's line for it is not an exact fit): what each
    committee's bar holds, with the lines, amounts and the remit note, cited."""
    sels = chosen(scope)
    if len(sels) < 2 or activity is None:
        return ""
    remit = remit_by_report(reports)
    parts = []
    for cat in (c for c in CATEGORY_WORDS if c not in ("total", "mixed")):
        mine = remit[remit.doc_id.isin([s.doc_id for s in sels]) & (remit.category == cat)]
        fits = set().union(*(set(_lines(activity, s, cat).fit) for s in sels))
        if mine.in_remit.nunique() < 2 and fits <= {"exact"} or set(mine.in_remit) == {"no"}:
            continue
        parts.append(f"{words(cat)}: " + "; ".join(_holds(remit, activity, s, cat)
                                                   for s in sels))
    return ("Not like with like – the same activity holds different things:\n"
            + ".\n".join(parts) + ".") if parts else ""


def whole_committee(scope: Scope, activity: pd.DataFrame, reports: list[Report]) -> str:
    """The note of a figure of whole-committee shares (cost types): the remits differ."""
    return caveats.remits_differ(scope, activity, reports).strip()


def budget_deviation(scope: Scope, tables: dict[str, pd.DataFrame],
                     reports: list[Report]) -> str:
    """The remits differ, and each committee's deviation without the one-off items,
    buffers and top-ups its report names (cited, with the amounts)."""
    if len(chosen(scope)) < 2:
        return ""
    adjust, dev = adjustments(reports), tables["budget_deviation"]
    parts = []
    for sel in chosen(scope):
        row = dev[(dev.doc_id == sel.doc_id) & (dev.fiscal_year == sel.fiscal_year)
                  & (dev.period == sel.period)]
        extra = caveats.deviation_without(row.iloc[0], adjust, sel) if len(row) else ""
        if extra:
            parts.append(f"{sel.municipality} {sel.fiscal_year}:{extra}")
    text = whole_committee(scope, tables.get("cost_by_activity"), reports)
    return "\n".join(filter(None, [text, *parts]))  # one line a committee on the figure


def staffing(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report],
             topic: str) -> str:
    """The staffing caption (definitions, period, remit with amounts), drawn plain."""
    return plain(staffing_caption(scope, tables, reports, topic))


def sick_leave_title(scope: Scope, reports: list[Report]) -> str:
    """'Sick leave in the selected year (%) – Haninge 2024: calendar year, % of ordinary
    working time; Strängnäs 2023: … basis … not stated': the basis each report states."""
    defs = definitions(reports)
    defs = defs[defs.topic == "sick_leave"]
    parts = []
    for sel in chosen(scope):
        rows = defs[defs.doc_id == sel.doc_id]
        basis = "; ".join(rows.definition) if len(rows) else "basis not stated"
        parts.append(f"{sel.municipality} {sel.fiscal_year}: {basis}")
    return "Sick leave in the selected year (%)" + (
        " as each report states it – " + ". ".join(parts) if parts else "")


def goal_levels(scope: Scope, reports: list[Report]) -> str:
    """Each committee's goal scale, cited, where two or more are set side by side."""
    return plain(caveats.definitions_differ(
        scope, reports, "goal_scale", "each committee counts on its own scale, so the counts "
        "are not comparable"))


def indicators(scope: Scope, indicators_table: pd.DataFrame) -> str:
    """Each committee's indicators are its own choice: the counts compare different
    indicators ('' for one committee)."""
    rows = scope.filter(indicators_table)
    if len(chosen(scope)) < 2 or rows.empty:
        return ""
    per = [f"{m} {part.fiscal_year.iloc[0]}: {len(part)} values of "
           f"{part.indicator.nunique()} indicators{cite(part.head(1))}"
           for m, part in rows.groupby("municipality", sort=True)]
    return (f"Not like with like – each committee reports indicators of its own choosing, "
            f"so the counts are of different indicators: {names(per)}.")
