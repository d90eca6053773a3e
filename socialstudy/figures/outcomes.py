"""Figures of notebooks 03 and 04: staffing measures, goal assessments and indicators, each
for the selected reports only. Every staffing series is its own labelled row with its own
colour (municipality) and marker (measure); each committee's goals are shown on its own
wording, with the common level only as colour."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from socialstudy.core import vocabulary
from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope
from socialstudy.figures.cost import label
from socialstudy.figures.style import MARKERS, finish, looks, new_figure, no_data, source_line

LEVEL_COLOURS = {"met": "#0072B2", "largely_met": "#56B4E9", "partly_met": "#E69F00",
                 "not_met": "#D55E00"}
LEVELS = {code: (vocabulary.LEVEL_WORDS[code], colour) for code, colour in LEVEL_COLOURS.items()}
ATTAINMENT = {"met": "#0072B2", "not met": "#D55E00", "no target for this year": "#BBBBBB"}
SCOPE_WORDS = {"committee": "whole committee", "section": "one section only",
               "lower_bound": "lower bound, one staff group", "municipality":
               "whole municipality (comparison)"}


def _series(staff: pd.DataFrame, variables: dict[str, str]) -> pd.DataFrame:
    """One row per municipality × measure × scope, the table figure before prose."""
    rows = staff[staff.status.isin(["reported", "derived"]) & staff.variable.isin(variables)]
    rows = rows.assign(key=rows.scope.where(rows.scope_class != "committee", "committee"),
                       prose=rows.source_kind != "table",
                       order=rows.variable.map(list(variables).index))
    return (rows.sort_values(["prose", "source_line"], kind="mergesort")
            .drop_duplicates(["municipality", "variable", "key"])
            .sort_values(["municipality", "order", "scope_class", "scope"], kind="mergesort"))


def _series_label(row, variables) -> str:
    where = SCOPE_WORDS.get(row.scope_class, row.scope_class)
    if row.scope_class not in ("committee", "municipality"):
        where += ": " + row.scope.split(" (")[0]
    elif row.scope_class == "committee" and not row.scope.startswith("whole committee"):
        where = row.scope.split(" (")[0]  # what the report covers, e.g. its activity areas
    extra = ", 12 months to Nov." if row.period == "r12_nov" else ""
    extra += ", from running text" if row.prose else ""
    extra += " (derived)" if row.status == "derived" else ""
    return f"{row.municipality} {row.fiscal_year} · {variables[row.variable]}\n{where}{extra}"


def staffing_panel(staff: pd.DataFrame, scope: Scope, reports: list[Report],
                   variables: dict[str, str], name: str, title: str, note: str = ""):
    """A dot per reported staffing figure of the selection (% on the x axis); a measure
    a selected report lacks is a 'not reported' row, never a gap."""
    selected = scope.filter(staff)
    series = _series(selected, variables)
    missing = selected[(selected.status == "not reported") & selected.variable.isin(variables)]
    missing = missing[~missing.municipality.isin(series.municipality)]
    n = len(series) + len(missing.drop_duplicates("municipality"))
    fig, axes = new_figure(9, 1.4 + 0.45 * max(n, 2))
    ax = axes[0][0]
    if not n:
        no_data(ax, "no selected report gives these figures")
        return finish(fig, name, title, source_line(series, reports))
    style, labels = looks(reports), []
    for y, row in enumerate(series.itertuples()):
        whole = row.scope_class == "committee"
        look = style[row.municipality]
        ax.plot(float(row.value), -y, linestyle="none", marker=MARKERS[row.order],
                color=look.color, markerfacecolor=look.color if whole else "white",
                markersize=8)
        ax.text(float(row.value), -y, f"   {float(row.value):.1f}", va="center", fontsize=8)
        labels.append(_series_label(row, variables))
    for muni, part in missing.groupby("municipality"):
        labels.append(f"{muni} {part.fiscal_year.iloc[0]} · not reported")
        # wrapped inside the axes: one long line widened the figure past notebook width
        reason = textwrap.fill(textwrap.shorten("not reported: " + part.reason.iloc[0], 130),
                               70)
        ax.text(0.3, -(len(labels) - 1), reason,
                va="center", fontsize=8, color="dimgrey")
    ax.set_yticks([-i for i in range(len(labels))], labels, fontsize=8)
    ax.set_xlim(0, max([float(v) for v in series.value] + [10]) * 1.25)
    ax.set_ylim(-len(labels) + 0.4, 0.6)
    ax.set_xlabel("%")
    handles = [Line2D([], [], linestyle="none", marker=MARKERS[i], color="dimgrey",
                      label=words) for i, (v, words) in enumerate(variables.items())
               if v in set(series.variable)]
    if (series.scope_class != "committee").any():
        handles.append(Line2D([], [], linestyle="none", marker="o", color="dimgrey",
                              markerfacecolor="white",
                              label="hollow: not committee level"))
    if handles:
        # a fixed distance below the axes (in font sizes), not a share of the axes' height:
        # with one row tight_layout made the axes so short that the legend hit the x label
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0),
                  borderaxespad=4.6, ncol=len(handles), fontsize=8)
    return finish(fig, name, title, source_line(pd.concat([series, missing]), reports),
                  note)


def goal_levels(goals: pd.DataFrame, scope: Scope, reports: list[Report], note: str = ""):
    """One panel per committee, stacked, on one x scale: how many goals got each of its
    own wordings, coloured by the common level the wording maps to (labels readable at
    notebook width: 9 pt on a 9-inch figure)."""
    year_end = scope.filter(goals)
    year_end = year_end[year_end.assessment_kind == "year_end_attainment"]
    munis = list(dict.fromkeys(year_end.municipality))
    bars = [max(year_end[year_end.municipality == m].status_text.nunique(), 1) for m in munis]
    fig, axes = new_figure(9, 1.4 + 0.75 * sum(bars) + 0.7 * len(bars), ncols=1,
                           nrows=max(len(munis), 1), sharex=True,
                           gridspec_kw={"height_ratios": bars or [1]})
    title = "Year-end goal assessments, each committee on its own wording"
    if year_end.empty:
        no_data(axes[0][0], "no selected report assesses its goals for the year "
                "(assessments exist only in a report's own year)")
        return finish(fig, "goal_levels", title, source_line(year_end, reports))
    for ax, muni in zip((row[0] for row in axes), munis):
        _goal_panel(ax, year_end[year_end.municipality == muni], muni)
    axes[-1][0].set_xlabel("number of goals\n(counts are not comparable across committees: "
                           "each uses its own scale)", fontsize=9)
    axes[-1][0].xaxis.get_major_locator().set_params(integer=True)
    handles = [Patch(color=c, label=w) for k, (w, c) in LEVELS.items()
               if k in set(year_end.level)]
    # beside the first panel: finish() lays the figure out again, keeping axes legends
    axes[0][0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9,
                      title="common level\n(ordinal)", title_fontsize=9)
    return finish(fig, "goal_levels", title, source_line(year_end, reports),
                  "\n".join(t for t in (note, _no_panel(scope, munis)) if t))


def _no_panel(scope: Scope, shown: list[str]) -> str:
    """Why a selected committee has no panel (the 2023 run draws Strängnäs only: the
    2024 reports read for Haninge's and Huddinge's 2023 assess only their own year)."""
    missing = [s for s in scope.selections.values() if s.municipality not in shown]
    if not missing:
        return ""
    def why(s) -> str:
        if not s.doc_id:
            return "no report for this selection"
        if s.part_year:
            return "a part-year report assesses no year-end goals"
        return ("no year-end goal assessment for this year in the report read (a report "
                "assesses only its own year)")
    return "No panel: " + "; ".join(
        f"{' '.join(str(p) for p in (s.municipality, s.fiscal_year) if p)}: {why(s)}"
        for s in missing) + "."


def _goal_panel(ax, part: pd.DataFrame, muni: str) -> None:
    counts = (part.assign(rank=part["rank"].astype(int))
              .groupby(["status_text", "level", "rank"]).size().reset_index(name="n")
              .sort_values(["rank", "status_text"]))
    ax.barh(range(len(counts)), counts.n, color=[LEVELS[v][1] for v in counts.level])
    ax.set_yticks(range(len(counts)), [f"“{t}” → {LEVELS[v][0]}" for t, v in
                                       zip(counts.status_text, counts.level)], fontsize=9)
    ax.tick_params(axis="x", labelsize=9, labelbottom=True)
    words = part.status_text.nunique()
    ax.set_title(f"{muni} {part.fiscal_year.iloc[0]}: {len(part)} goals, "
                 f"{words} wording{'s' if words > 1 else ''} used", fontsize=10, loc="left")


def indicator_attainment(indicators: pd.DataFrame, scope: Scope, reports: list[Report],
                         note: str = ""):
    """Indicator values of the selected year against a target for that same year."""
    rows = scope.filter(indicators)
    chosen = [s for s in scope.selections.values() if s.doc_id]
    fig, axes = new_figure(8.5, 1.6 + 0.6 * max(len(chosen), 1))
    ax = axes[0][0]
    title = "Indicators of the selected year against a target for that year"
    if rows.empty:
        no_data(ax, "no selected report gives indicator values for this year")
        return finish(fig, "indicator_attainment", title, source_line(rows, reports), note)
    for y, sel in enumerate(reversed(chosen)):
        part = rows[rows.municipality == sel.municipality]
        left = 0
        if part.empty:
            ax.text(0.1, y, "not reported: no indicator values for this year", va="center",
                    fontsize=8, color="dimgrey")
        for status, color in ATTAINMENT.items():
            n = int((part.attainment == status).sum())
            if n:
                ax.barh(y, n, left=left, color=color, height=0.6,
                        hatch="///" if status.startswith("no target") else None,
                        edgecolor="white")
                ax.text(left + n / 2, y, str(n), ha="center", va="center", fontsize=8)
                left += n
    ax.set_yticks(range(len(chosen)), [label(s) for s in reversed(chosen)])
    ax.set_xlabel("number of indicator values")
    ax.set_ylim(-0.6, len(chosen) - 0.4)
    handles = [Patch(facecolor=c, hatch="///" if s.startswith("no target") else None,
                     edgecolor="white", label=s) for s, c in ATTAINMENT.items()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3,
              fontsize=8)
    return finish(fig, "indicator_attainment", title, source_line(rows, reports), note)
