"""Deterministic figures (PNG and SVG, no timestamps, fixed SVG hash salt) and an index
(``figures/index.csv``) naming the notebook, function and tables behind each figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

STYLE = {"svg.hashsalt": "socialstudy", "svg.fonttype": "path", "font.family": "DejaVu Sans",
         "figure.dpi": 100, "savefig.dpi": 100, "axes.spines.top": False,
         "axes.spines.right": False}
PALETTE = {"Haninge": "#1b9e77", "Huddinge": "#d95f02", "Strängnäs": "#7570b3"}
LEVEL_COLORS = {"met": "#1a9641", "largely_met": "#a6d96a", "partly_met": "#fdae61",
                "not_met": "#d7191c", "not_assessed": "#bababa"}
COST_ORDER = ["personnel", "purchased_services", "grants_paid", "premises", "other_costs",
              "depreciation_interest"]

# figure name -> (notebook, function, processed tables it reads)
INDEX = {
    "cost_type_shares": ("02_cost_structure.ipynb", "cost_type_shares", "cost_by_type.csv"),
    "net_cost_by_activity": ("02_cost_structure.ipynb", "net_cost_by_activity",
                             "cost_by_activity.csv"),
    "budget_deviation_pct": ("02_cost_structure.ipynb", "budget_deviation_pct",
                             "budget_deviation.csv"),
    "staffing_turnover": ("03_staffing.ipynb", "staffing_panel", "staffing.csv"),
    "staffing_sick_leave": ("03_staffing.ipynb", "staffing_panel", "staffing.csv"),
    "goal_levels": ("04_goals.ipynb", "goal_levels", "goals.csv"),
    "indicator_attainment": ("04_goals.ipynb", "indicator_attainment", "indicators.csv"),
}


def save(fig: plt.Figure, name: str, folder: Path) -> list[Path]:
    """Write ``name``.png and ``name``.svg byte-stably and close the figure."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    fig.savefig(paths[0], metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    return paths


def write_index(folder: Path) -> Path:
    rows = [{"figure": f"{name}.png;{name}.svg", "notebook": nb,
             "function": f"socialstudy.figures.{func}", "tables": f"data/processed/{tables}"}
            for name, (nb, func, tables) in sorted(INDEX.items())
            if (folder / f"{name}.png").exists()]
    path = folder / "index.csv"
    pd.DataFrame(rows).to_csv(path, index=False, lineterminator="\n")
    return path


def _figure(width: float = 8, height: float = 4.5):
    plt.rcParams.update(STYLE)
    sns.set_theme(style="whitegrid", rc=STYLE)
    return plt.subplots(figsize=(width, height))


def cost_type_shares(cost_by_type: pd.DataFrame, selections: dict[str, int]) -> plt.Figure:
    """Stacked shares of gross cost by cost type, one bar per municipality (its selected
    year); shares taken from prose are hatched and labelled."""
    fig, ax = _figure(8, 3.8)
    costs = cost_by_type[(cost_by_type.flow == "cost") & (cost_by_type.share_pct != "")]
    bars = []
    for muni, year in selections.items():
        part = costs[(costs.municipality == muni) & (costs.fiscal_year == year)]
        prose = (part.value_status != "reported").any()
        label = f"{muni} {year}" + (" (prose shares)" if prose else "")
        bars.append((label, part, prose))
    colors = dict(zip(COST_ORDER, sns.color_palette("Set2", len(COST_ORDER))))
    for i, (label, part, prose) in enumerate(bars):
        left = 0.0
        shares = part.groupby("category").share_pct.apply(lambda s: s.astype(float).sum())
        for cat in COST_ORDER:
            if cat not in shares:
                continue
            width = float(shares[cat])
            ax.barh(i, width, left=left, color=colors[cat], hatch="//" if prose else None,
                    edgecolor="white", label=cat if i == 0 or cat not in
                    ax.get_legend_handles_labels()[1] else None)
            if width >= 4:
                ax.text(left + width / 2, i, f"{width:.0f}", ha="center", va="center", fontsize=8)
            left += width
    ax.set_yticks(range(len(bars)), [b[0] for b in bars])
    ax.set_xlabel("share of gross cost (%)")
    ax.set_xlim(0, 102)
    ax.set_title("Cost structure by cost type (Kommun-Bas-like taxonomy)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False,
              fontsize=8)
    return fig


def net_cost_by_activity(activity: pd.DataFrame, selections: dict[str, int]) -> plt.Figure:
    """Net cost (mnkr) by common activity category, one colour per municipality."""
    fig, ax = _figure(8, 4.8)
    rows = []
    for muni, year in selections.items():
        part = activity[(activity.municipality == muni) & (activity.fiscal_year == year)
                        & (activity.period == "full_year") & (activity.category != "total")
                        & (activity.net_cost_tkr != "")]
        grouped = part.groupby("category").net_cost_tkr.apply(lambda s: s.astype(float).sum())
        rows += [{"category": c, "municipality": f"{muni} {year}", "mnkr": v / 1000}
                 for c, v in grouped.items()]
    data = pd.DataFrame(rows)
    if not data.empty:
        order = data.groupby("category").mnkr.sum().sort_values(ascending=False).index
        palette = {m: PALETTE[m.split(" ")[0]] for m in data.municipality.unique()}
        sns.barplot(data=data, y="category", x="mnkr", hue="municipality", order=order,
                    palette=palette, ax=ax)
    ax.set_xlabel("net cost (mnkr, costs positive)")
    ax.set_ylabel("")
    ax.set_title("Net cost by activity (crosswalk in activities.csv; remits differ)")
    return fig


def budget_deviation_pct(deviation: pd.DataFrame) -> plt.Figure:
    """Budget deviation in % of budget (positive = better than budget) by year."""
    fig, ax = _figure(7, 3.8)
    for muni, part in deviation.groupby("municipality"):
        full = part[part.period == "full_year"].sort_values("fiscal_year")
        ax.plot(full.fiscal_year, full.deviation_pct.astype(float), marker="o",
                color=PALETTE[muni], label=muni)
        partial = part[part.period != "full_year"]
        if not partial.empty:
            ax.scatter(partial.fiscal_year, partial.deviation_pct.astype(float),
                       marker="x", color=PALETTE[muni],
                       label=f"{muni} (Jan–Apr, not comparable)")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylabel("deviation (% of budget)")
    ax.set_xlabel("fiscal year")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title("Budget deviation of the committee (positive = better than budget)")
    ax.legend(frameon=False, fontsize=8)
    return fig


def staffing_panel(staff: pd.DataFrame, variables: dict[str, str], title: str) -> plt.Figure:
    """One line per municipality × variable × scope over the years; a municipality with
    no value says 'not reported' in the panel instead of a silent gap."""
    fig, ax = _figure(8, 4.2)
    reported = staff[(staff.status == "reported") & staff.variable.isin(variables)
                     & staff.scope_class.isin(["committee", "section"])]
    reported = (reported.assign(series=reported.scope.where(reported.scope_class == "section",
                                                            "whole committee"),
                                first=reported.source_kind != "table")
                .sort_values(["first", "source_line"], kind="mergesort")
                .drop_duplicates(["municipality", "variable", "fiscal_year", "series"]))
    markers = ["o", "s", "^", "D"]
    for (muni, variable, series), part in reported.groupby(["municipality", "variable", "series"]):
        part = part.sort_values("fiscal_year")
        whole = series == "whole committee"
        ax.plot(part.fiscal_year, part.value.astype(float), color=PALETTE[muni],
                linestyle="-" if whole else "--",
                marker=markers[list(variables).index(variable) % len(markers)],
                label=f"{muni}: {variables[variable]}" + ("" if whole else f" – {series}")
                + (" (R12 to Nov)" if (part.period == "r12_nov").any() else ""))
    missing = staff[(staff.status != "reported") & staff.variable.isin(variables)]
    lacking = sorted(set(missing.municipality) - set(reported.municipality))
    if lacking:
        ax.text(0.01, 0.02, "not reported: " + ", ".join(lacking), transform=ax.transAxes,
                fontsize=9, color="dimgrey")
    ax.set_xlabel("fiscal year")
    ax.set_ylabel("%")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def goal_levels(goals: pd.DataFrame) -> plt.Figure:
    """How many goals each committee rated at each level of the common scale."""
    fig, ax = _figure(7, 3.5)
    year_end = goals[goals.assessment_kind == "year_end_attainment"]
    counts = (year_end.assign(label=year_end.municipality + " " + year_end.fiscal_year.astype(str))
              .groupby(["label", "level"]).size().unstack(fill_value=0))
    levels = [l for l in LEVEL_COLORS if l in counts.columns]
    left = pd.Series(0, index=counts.index)
    for level in levels:
        ax.barh(counts.index, counts[level], left=left, color=LEVEL_COLORS[level], label=level)
        left += counts[level]
    ax.set_xlabel("number of goals")
    ax.set_title("Committees' own year-end goal assessments on a common scale")
    ax.legend(frameon=False, fontsize=8, ncol=len(levels), loc="upper center",
              bbox_to_anchor=(0.5, -0.2))
    return fig


def indicator_attainment(indicators: pd.DataFrame) -> plt.Figure:
    """Indicators meeting their target for the same year, per municipality and year."""
    fig, ax = _figure(7, 3.2)
    counts = (indicators.assign(label=indicators.municipality + " "
                                + indicators.fiscal_year.astype(str))
              .groupby(["label", "attainment"]).size().unstack(fill_value=0))
    colors = {"met": "#1a9641", "not met": "#d7191c", "no target for this year": "#bababa"}
    left = pd.Series(0, index=counts.index)
    for status, color in colors.items():
        if status in counts.columns:
            ax.barh(counts.index, counts[status], left=left, color=color, label=status)
            left += counts[status]
    ax.set_xlabel("number of indicator values")
    ax.set_title("Indicator values against a target for the same year")
    ax.legend(frameon=False, fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    return fig
