"""Figures of notebook 02: cost type shares, activity shares, budget deviation. Shares, not
absolute amounts, because the committees differ several-fold in size; approximate, lumped
and mixed categories are hatched on a lighter face, never drawn like exact ones; a part-year
report gets its own panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch

from socialstudy.core import vocabulary
from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope, Selection
from socialstudy.figures.style import (
    HATCH,
    OKABE_ITO,
    finish,
    fit_handles,
    looks,
    new_figure,
    no_data,
    source_line,
)
from socialstudy.measures.remit import remit_by_report, remit_of
from socialstudy.measures.tabular import HAS_VALUE, NOT_MAPPED

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

# the order in which figures stack and list the categories (their words: core.vocabulary)
COST_WORDS = {code: vocabulary.COST_WORDS[code] for code in (
    "personnel", "purchased_services", "grants_paid", "premises", "other_costs",
    "depreciation_interest")}
CATEGORY_WORDS = vocabulary.CATEGORY_WORDS
FIT_RANK = {"exact": 0, "partial": 1, "mixed": 2, "unmapped": 3}
PERIOD_WORDS = vocabulary.PERIOD_WORDS


def light(color: str, amount: float = 0.55) -> tuple:
    """The colour mixed with white: the face of a non-exact bar."""
    return tuple(c + (1 - c) * amount for c in to_rgb(color))


def label(sel: Selection) -> str:
    part = f" ({PERIOD_WORDS.get(sel.period, sel.period)} only)" if sel.part_year else ""
    return f"{sel.municipality} {sel.fiscal_year}{part}"


def panels(scope: Scope) -> list[tuple[str, list[Selection]]]:
    """Full-year selections in one panel, part-year ones in their own."""
    chosen = [s for s in scope.selections.values() if s.doc_id]
    full = [s for s in chosen if not s.part_year]
    part = [s for s in chosen if s.part_year]
    return [(t, group) for t, group in (("full years", full),
                                        ("part-year report, not comparable", part)) if group]


def _bar(ax, y, width, left, color, fit, **kwargs):
    exact = fit == "exact"
    ax.barh(y, width, left=left, color=color if exact else light(color), hatch=HATCH[fit],
            edgecolor="white" if exact else color, linewidth=0.6, **kwargs)


def cost_type_shares(cost_by_type: pd.DataFrame, scope: Scope,
                     reports: list[Report], note: str = "") -> plt.Figure:
    """Stacked shares of gross cost by cost type, one bar per selected report."""
    title = "Cost structure: share of gross cost by cost type"
    every = scope.filter(cost_by_type)
    costs = every[(every.flow == "cost") & (every.share_pct != "")]
    chosen = [s for s in scope.selections.values() if s.doc_id]
    fig, axes = new_figure(8.5, 1.6 + 0.7 * max(len(chosen), 1))
    ax = axes[0][0]
    if costs.empty:
        return _nothing(fig, axes, "cost_type_shares", title, "costs by type", reports)
    colors = dict(zip(COST_WORDS, OKABE_ITO))
    fits = set()
    for y, sel in enumerate(reversed(chosen)):
        part = costs[costs.municipality == sel.municipality]
        prose = (part.value_status != "reported").any()
        if part.empty:
            ax.text(1, y, f"{_no_rows(every, sel)}: no cost-type breakdown", va="center",
                    color="dimgrey")
        left = 0.0
        for cat in COST_WORDS:
            rows = part[part.category == cat]
            if rows.empty:
                continue
            width = rows.share_pct.astype(float).sum()
            fit = "approximate" if (rows.fit != "exact").any() else "exact"
            fits.add(fit)
            _bar(ax, y, width, left, colors[cat], fit)
            if width >= 4:
                ax.text(left + width / 2, y, f"{'≈' if fit != 'exact' else ''}{width:.0f}",
                        ha="center", va="center", fontsize=8)
            left += width
        if prose:
            ax.text(left + 1, y, f"rounded shares from prose\n(sum {left:.0f} %)", va="center",
                    fontsize=8, color="dimgrey")
    ax.set_yticks(range(len(chosen)), [label(s) for s in reversed(chosen)])
    ax.set_xlabel("share of gross cost (%)")
    ax.set_xlim(0, 125)
    ax.set_xticks(range(0, 101, 20))
    handles = [Patch(color=colors[c], label=COST_WORDS[c])
               for c in COST_WORDS if c in set(costs.category)]
    ax.legend(handles=handles + fit_handles(fits), loc="upper center", ncol=4, fontsize=8,
              bbox_to_anchor=(0.5, -0.35 if len(chosen) < 3 else -0.22))
    return finish(fig, "cost_type_shares", title, source_line(costs, reports), note)


def _nothing(fig, axes, name: str, title: str, what: str, reports: list[Report]):
    """The figure of a selection in which no report gives ``what``."""
    no_data(axes[0][0], f"no report in it gives {what}")
    return finish(fig, name, title, source_line(pd.DataFrame(), reports))


def _activity_rows(activity: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    part = activity[(activity.municipality == sel.municipality) & (activity.period == sel.period)
                    & (activity.category != "total") & (activity.share_of_total_pct != "")]
    return (part.assign(share=part.share_of_total_pct.astype(float), rank=part.fit.map(FIT_RANK))
            .groupby("category").agg(share=("share", "sum"), rank=("rank", "max")))


def _no_rows(rows: pd.DataFrame, sel: Selection) -> str:
    """Why a committee has no bar at all, as its rows of the table say: 'not mapped yet' (no
    crosswalk row covers it yet), or none printed."""
    mine = rows[(rows.municipality == sel.municipality) & (rows.period == sel.period)]
    return "not mapped yet (see the review)" if (mine.status == NOT_MAPPED).any() \
        else "not reported"


def _missing_words(rows: pd.DataFrame, sel: Selection, cat: str, remit, every: pd.DataFrame,
                   empty: bool) -> str:
    """Why a committee has no bar for a category: not in its remit, inside a mixed line
    (the report prints no split), no line at all, or no activity table (``every``: all its
    rows, with their status)."""
    if remit_of(remit, sel.doc_id).get(cat) == "no":
        return "not in remit"
    if empty:
        return _no_rows(every, sel)
    if cat == "mixed":
        return "no mixed line"
    inside = _inside(rows, sel)
    return "inside a mixed line (no split printed)" if cat in inside else "no separate line"


def _inside(rows: pd.DataFrame, sel: Selection) -> set[str]:
    """The categories a mixed line of this committee holds without a split."""
    mine = rows[(rows.municipality == sel.municipality) & (rows.period == sel.period)
                & (rows.fit == "mixed")]
    return {c for comps in mine.components for c in str(comps).split("+") if c}


def _xmax(rows: pd.DataFrame) -> float:
    """The x-limit from the data: the largest share plus room for an 8-pt note (at least
    75 %), so no bar is cut off (2020 run: the mixed line's 92.6 %, 001:288)."""
    part = rows[rows.category != "total"]
    shares = (part.assign(share=part.share_of_total_pct.astype(float))
              .groupby(["municipality", "period", "category"]).share.sum())  # as drawn
    top = shares.max() if len(shares) else 0.0
    return max(75.0, 10 * ((top + 25) // 10))


def activity_shares(activity: pd.DataFrame, scope: Scope, reports: list[Report],
                    note: str = ""):
    """Each committee's share of its own net cost by common activity; an empty category
    says 'not in remit' or 'no separate line'."""
    every = scope.filter(activity)
    rows = every[every.share_of_total_pct != ""]
    groups = panels(scope)
    remit, style, fits = remit_by_report(reports), looks(reports), set()
    cats = [c for c in CATEGORY_WORDS if c in set(remit.category) or c in set(rows.category)]
    # 0.22 inch a bar: room for an 8-pt "not in remit" note beside each committee's slot
    tall = max(5.4, 1.5 + 0.22 * len(cats) * max((len(g) for _, g in groups), default=1))
    # 8.2 inches: the saved image (tight box, 200 dpi) stays within ~1800 px
    fig, axes = new_figure(8.2 if len(groups) < 2 else 12, tall, ncols=max(len(groups), 1),
                           sharey=True)
    title = "Where the net cost goes: share of each committee's own net cost by activity"
    if rows.empty:
        return _nothing(fig, axes, "activity_shares", title, "net cost by activity", reports)
    for ax, (heading, group) in zip(axes[0], groups):
        height = 0.8 / len(group)
        for i, sel in enumerate(group):
            shares = _activity_rows(rows, sel)
            for y, cat in enumerate(reversed(cats)):
                pos = y + 0.4 - height * (i + 0.5)
                if cat in shares.index:
                    fit = {v: k for k, v in FIT_RANK.items()}[shares.loc[cat, "rank"]]
                    fits.add(fit)
                    _bar(ax, pos, shares.loc[cat, "share"], 0, style[sel.municipality].color,
                         fit, height=height * 0.95)
                    if cat in _inside(rows, sel):  # its own line holds only part of it
                        ax.text(shares.loc[cat, "share"] + 0.5, pos, f"{sel.municipality}: "
                                "also inside a mixed line", va="center", fontsize=8,
                                color="dimgrey")
                else:
                    ax.text(0.5, pos, f"{sel.municipality}: "
                            f"{_missing_words(rows, sel, cat, remit, every, shares.empty)}",
                            va="center", fontsize=8, color="dimgrey")
        ax.set_title(heading, fontsize=10, loc="left")
        ax.set_xlabel("share of the committee's net cost (%)")
        ax.set_xlim(0, _xmax(rows))
        ax.set_ylim(-0.6, len(cats) - 0.4)
    axes[0][0].set_yticks(range(len(cats)), [CATEGORY_WORDS[c] for c in reversed(cats)])
    handles = [Patch(color=style[s.municipality].color, label=label(s))
               for _, group in groups for s in group]
    axes[0][0].legend(handles=handles + fit_handles(fits), loc="upper center", fontsize=8,
                      ncol=2, bbox_to_anchor=(0.5 * len(groups), -0.1))
    return finish(fig, "activity_shares", title, source_line(rows, reports), note)


def budget_deviation(deviation: pd.DataFrame, scope: Scope, reports: list[Report],
                     note: str = ""):
    """The committee's budget deviation in % of budget, one bar per selected report;
    positive = better than budget."""
    every = scope.filter(deviation)
    rows = every[every.status.isin(HAS_VALUE)]
    groups = panels(scope)
    fig, axes = new_figure(8.5 if len(groups) < 2 else 11, 1.8 + 0.55 * max(
        (len(g) for _, g in groups), default=1), ncols=max(len(groups), 1))
    title = "Budget deviation of the committee (positive = better than budget)"
    if rows.empty:
        return _nothing(fig, axes, "budget_deviation", title,
                        "the committee's budget deviation", reports)
    style = looks(reports)
    for ax, (heading, group) in zip(axes[0], groups):
        names = []
        for y, sel in enumerate(reversed(group)):
            names.append(label(sel))
            row = rows[(rows.municipality == sel.municipality) & (rows.period == sel.period)]
            if row.empty:
                ax.text(0, y, f" {_no_rows(every, sel)}", va="center", fontsize=8,
                        color="dimgrey")
                continue
            value, printed = float(row.deviation_pct.iloc[0]), row.pct_source.iloc[0]
            ax.barh(y, value, color=style[sel.municipality].color, height=0.6)
            ax.text(value, y, f" {value:+.1f} %" if value >= 0 else f"{value:+.1f} % ",
                    va="center", ha="left" if value >= 0 else "right", fontsize=8)
            if printed.startswith("printed"):
                ax.text(0, y - 0.31, f" {sel.municipality}: percentage printed by the report",
                        va="top", fontsize=8, color="dimgrey")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(group)), names)
        lim = max(abs(rows.deviation_pct.astype(float)).max() * 1.5, 2)
        ax.set_xlim(-lim, lim)
        ax.set_xlabel("deviation (% of budget)")
        ax.set_title(heading, fontsize=10, loc="left")
    return finish(fig, "budget_deviation", title, source_line(rows, reports), note)
