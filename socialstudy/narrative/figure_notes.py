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
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.measures.adjustments import adjustments
from socialstudy.measures.core import reaches
from socialstudy.measures.like_with_like import definitions, remit_differences
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import caveats, named_items
from socialstudy.narrative.findings import chosen, cite, names, words

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


def _differing(scope: Scope, activity: pd.DataFrame | None, remit: pd.DataFrame) -> list[str]:
    """The activity categories whose content differs between the selected committees: their
    remit statuses differ, or a committee's line for it is not an exact fit."""
    sels = chosen(scope)
    if len(sels) < 2 or activity is None:
        return []
    out = []
    for cat in (c for c in CATEGORY_WORDS if c not in ("total", "mixed")):
        mine = remit[remit.doc_id.isin([s.doc_id for s in sels]) & (remit.category == cat)]
        fits = set().union(*(set(_lines(activity, s, cat).fit) for s in sels))
        if not (mine.in_remit.nunique() < 2 and fits <= {"exact"}
                or set(mine.in_remit) == {"no"}):
            out.append(cat)
    return out


def _gists() -> dict[tuple[str, str], str]:
    return {(r.doc_id, r.category): r.gist for r in read_crosswalk("remit_gists.csv")}


def _status(remit: pd.DataFrame, sel: Selection, cat: str) -> tuple[str, pd.DataFrame]:
    own = remit[(remit.doc_id == sel.doc_id) & (remit.category == cat)]
    return (own.in_remit.iloc[0] if len(own) else ""), own


def activity_table(scope: Scope, activity: pd.DataFrame | None,
                   reports: list[Report]) -> pd.DataFrame:
    """The full list under Figure 2: per activity whose content differs, what each selected
    committee's bar holds – remit status, its own lines and amounts, the remit note – with
    the remit evidence cited."""
    remit, rows, reach = remit_by_report(reports), [], reaches(reports)
    for cat in _differing(scope, activity, remit):
        for sel in chosen(scope):
            status, own = _status(remit, sel, cat)
            lines = _lines(activity, sel, cat)
            rows.append({
                "activity": words(cat), "committee": f"{sel.municipality} {sel.fiscal_year}",
                "remit": STATUS_WORDS.get(status, "remit not known"),
                "own lines (net cost)": "; ".join(
                    f"{r.report_label} {mnkr(float(r.net_cost_tkr))} "
                    f"({_fit_words(r, reach.get((sel.doc_id, r.report_label)))})"
                    for r in lines.itertuples()) or ("–" if status == "no" else "no separate line"),
                "what it holds": own.note.iloc[0] if len(own) and status != "no" else "",
                "source": cite(pd.concat([own, lines])).strip(" []")})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def _fit_words(row, reach) -> str:
    """'exact fit', or for a line whose cost also serves other activities
    (``crosswalks/core_reach.csv``) 'exact fit as a label; its cost also serves …, line N' –
    the comparable core counts it as touching (review F1: 000:367, 103)."""
    if reach is None:
        return f"{row.fit} fit"
    served = names([CATEGORY_WORDS.get(c, c) for c in reach.reaches.split("+") if c])
    return (f"{row.fit} fit as a label; its cost also serves {served} "
            f"(line {reach.quote_line}), so the comparable core counts it as touching")


TABLE_COLUMNS = ["activity", "committee", "remit", "own lines (net cost)", "what it holds",
                 "source"]


def _holds(remit: pd.DataFrame, activity: pd.DataFrame, sel: Selection, cat: str,
           gists: dict, mixed: dict) -> str:
    """'Huddinge 2.7, only in part: emergency aid only' – one committee's content of one
    activity in a few words (mnkr; the full note is in the table under the figure)."""
    lines = _lines(activity, sel, cat)
    amount = (f" {mnkr(lines.net_cost_tkr.astype(float).sum(), unit=False)}" if len(lines)
              else ": no separate line")
    amount += "".join(f" + part of {label} {mnkr(tkr, unit=False)}"  # a lower bound (N3)
                      for label, tkr in mixed.get((sel.doc_id, cat), ([],))[0])
    part = ", in part" if _status(remit, sel, cat)[0] == "partial" else ""
    gist = gists.get((sel.doc_id, cat), "")
    return f"{sel.municipality}{amount}{part}" + (f": {gist}" if gist else "")


def activity_shares(scope: Scope, activity: pd.DataFrame, reports: list[Report]) -> str:
    """Figure 2's note: one line per activity whose content differs between the selected
    committees, each committee's amount and remit in a few words; the committees whose
    remit lacks it named at the end. The full list, cited, is ``activity_table``."""
    remit, gists = remit_by_report(reports), _gists()
    mixed = caveats.mixed_parts(activity, {s.doc_id: s.fiscal_year for s in chosen(scope)},
                                reports)
    parts = []
    for cat in _differing(scope, activity, remit):
        held = [s for s in chosen(scope) if _status(remit, s, cat)[0] != "no"]
        lacking = [s.municipality for s in chosen(scope) if s not in held]
        text = " · ".join(_holds(remit, activity, s, cat, gists, mixed) for s in held)
        parts.append((f"{words(cat)} – {text}", "not in remit:",
                      names(lacking) if lacking else ""))
    return _note(" – the same activity holds different things",
                 "full list with lines in notebook 02", parts)


def _note(why: str, where: str, lines: list[tuple[str, str, str]]) -> str:
    """A figure's 'not like with like' note ('' for no difference): the heading says
    ``why`` (net cost, mnkr) and ``where`` the cited list is; then one line a difference,
    each (text, label, extra) with ' · label extra' where there is an extra."""
    if not lines:
        return ""
    return "\n".join([f"Not like with like{why} (net cost, mnkr; {where}):",
                      *(text + (f" · {label} {extra}" if extra else "")
                        for text, label, extra in lines)])


def whole_committee(scope: Scope, activity: pd.DataFrame, reports: list[Report]) -> str:
    """The note of a figure of whole-committee shares (cost types): the remits differ."""
    return caveats.remits_differ(scope, activity, reports).strip()


def cost_types(scope: Scope, activity: pd.DataFrame, reports: list[Report]) -> str:
    """Figure 1's note: the remits differ, and one line a committee whose cost-type lines
    hold more than their names say (``crosswalks/cost_types.csv``, columns ``holds``…):
    Strängnäs's 'Kostnader och utgifter' also holds grants paid (004:572) (review F5/N4)."""
    files = {r.doc_id: r.file for r in reports}
    lines = []
    for sel in chosen(scope):
        said = [f"'{r.report_label}' ({r.category.replace('_', ' ')}) also holds {r.holds} "
                f"[{files[sel.doc_id]}:{r.holds_line}]"
                for r in read_crosswalk("cost_types.csv")
                if r.holds and r.holds_doc_id == sel.doc_id and sel.doc_id in files]
        if said:
            lines.append(f"{sel.municipality} {sel.fiscal_year}: {'; '.join(said)}")
    text = whole_committee(scope, activity, reports)
    return "\n".join(filter(None, [text, *lines]))


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
        extra = named_items.deviation_without(row.iloc[0], adjust, sel) if len(row) else ""
        if extra:
            parts.append(f"{sel.municipality} {sel.fiscal_year}:{extra}")
    text = whole_committee(scope, tables.get("cost_by_activity"), reports)
    return "\n".join(filter(None, [text, *parts]))  # one line a committee on the figure


def staffing(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report],
             topic: str) -> str:
    """Figures 4 and 5's note: one line a committee – its own definition, and the
    activities it runs that another selected committee does not (or only in part), with
    their net cost. The same caveat with every source line is the caption under the
    figure in notebook 03 (``findings_outcomes.staffing_caption``)."""
    sels = chosen(scope)
    if len(sels) < 2:
        return ""
    defs = definitions([r for r in reports if r.doc_id in {s.doc_id for s in sels}])
    defs = defs[defs.topic == topic]
    years = {s.doc_id: s.fiscal_year for s in sels}
    diffs = remit_differences(remit_by_report(reports), tables["cost_by_activity"], years)
    mixed = caveats.mixed_parts(tables["cost_by_activity"], years, reports)
    lines = []
    for sel in sels:
        own = "; ".join(defs[defs.doc_id == sel.doc_id].definition) or "no definition quoted"
        runs = _runs(diffs[diffs.doc_id == sel.doc_id], mixed)
        lines.append((f"{sel.municipality} {sel.fiscal_year}: {own}", "runs", runs))
    return _note(", not a ranking – definitions and remits differ",
                 "source lines in the caption under the figure", lines)


def _runs(diffs: pd.DataFrame, mixed: dict | None = None) -> str:
    """'elderly care 281.4 + part of Myndighet 310.1 (not run by Haninge and Huddinge); …':
    the activities, with their net cost (a lower bound where the category also sits in a
    mixed line, ``caveats.mixed_parts``), grouped by who else in the run lacks them."""
    groups: dict[str, list[str]] = {}
    for r in diffs.itertuples():
        amount = mnkr(r.net_cost_tkr, unit=False) if r.net_cost_tkr else "(no separate line)"
        amount += "".join(f" + part of {label} {mnkr(tkr, unit=False)}"
                          for label, tkr in (mixed or {}).get((r.doc_id, r.category), ([],))[0])
        groups.setdefault(r.others, []).append(f"{words(r.category)} {amount}")
    return "; ".join(f"{names(acts)} ({_lacking(others)})" for others, acts in groups.items())


def _lacking(others: str) -> str:
    """'Haninge:partial;Huddinge:no' -> 'in part by Haninge; not run by Huddinge'."""
    pairs = [o.split(":") for o in others.split(";")]
    return "; ".join(f"{w} by {names([m for m, s in pairs if s == key])}"
                     for key, w in (("partial", "in part"), ("no", "not run"))
                     if any(s == key for _, s in pairs))


def sick_leave_title(scope: Scope, reports: list[Report]) -> str:
    """Figure 5's title; the basis each report states is in the note under it."""
    several = len(chosen(scope)) > 1
    return "Sick leave in the selected year (%)" + (
        " as each report states it" if several else "")


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
