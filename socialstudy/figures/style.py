"""Shared look of the study's figures: one style, colours and markers assigned from the
registry's sorted municipality list (so a fourth municipality gets its own), numbered plain
titles, a source line naming the reports and lines, an explicit "no data for this
selection" panel. ``figures`` saves and indexes the figures drawn by ``figures_cost``
(notebook 02) and ``figures_outcomes`` (notebooks 03, 04); which figures there are, their
numbers, notebooks, functions and tables is data, ``figures.csv``."""

from __future__ import annotations

import csv
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from socialstudy.core.registry import Report  # noqa: E402

# text.hinting: glyphs as drawn, not snapped to a screen's pixel grid (what hinting is for):
# at 200 dpi it shows no more than in the SVG, which has none, and costs a sixth of the
# time it takes to draw a figure
STYLE = {"svg.hashsalt": "socialstudy", "svg.fonttype": "path", "font.family": "DejaVu Sans",
         "text.hinting": "no_hinting",
         "figure.dpi": 100, "savefig.dpi": 200, "axes.spines.top": False,
         "axes.spines.right": False, "axes.grid": True, "grid.color": "#e5e5e5",
         "axes.axisbelow": True, "legend.frameon": False}
# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
             "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")
# hatching marks a category that is not an exact match (legend entry added by fit_legend)
HATCH = {"exact": None, "approximate": "///", "partial": "///", "mixed": "xxx", "prose": "...",
         "unmapped": "oo"}
FIT_WORDS = {"approximate": "approximate or lumped category",
             "partial": "partial fit (part of the activity booked elsewhere)",
             "mixed": "mixed line (several activities, no split printed)",
             "prose": "rounded share quoted in running text",
             "unmapped": "line without a crosswalk row (see the review)"}
NO_DATA = "no data for this selection"
# the widest a saved image may be: 9 inches (1 800 px at 200 dpi), so that 8-pt text stays
# 8 pt when a notebook or page shows the image 900 px wide; the tight box gets 0.1 in of
# padding on each side when saved
MAX_WIDTH_IN, SAVE_PAD_IN = 9.0, 0.1

# figure file name -> (number, notebook, module.function, processed table it reads),
# declared as data in figures.csv
INDEX = {r["figure"]: (int(r["number"]), r["notebook"], r["function"], r["table"])
         for r in csv.DictReader(
             (Path(__file__).parent / "figures.csv").read_text(encoding="utf-8").splitlines())}


@dataclass(frozen=True)
class Look:
    color: str
    marker: str


def looks(reports: list[Report]) -> dict[str, Look]:
    """Colour and marker per municipality, in the registry's sorted order."""
    names = sorted({r.municipality for r in reports})
    return {m: Look(OKABE_ITO[i % len(OKABE_ITO)], MARKERS[i % len(MARKERS)])
            for i, m in enumerate(names)}


def new_figure(width: float = 8, height: float = 4.5, ncols: int = 1, nrows: int = 1,
               **kwargs):
    plt.rcParams.update(plt.rcParamsDefault)
    plt.rcParams.update(STYLE)
    return plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False, **kwargs)


def no_data(ax, what: str = "") -> None:
    """An explicit panel instead of blank axes."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, NO_DATA + (f":\n{textwrap.fill(what, 60)}" if what else ""),
            ha="center", va="center", fontsize=11, color="dimgrey", transform=ax.transAxes)


def source_line(rows: pd.DataFrame, reports: list[Report]) -> str:
    """'Source: Haninge, Årsredovisning 2024 (000_….txt, lines 344–349); …' for the rows."""
    if rows.empty or "source_file" not in rows:
        return "Source: no report rows in this selection."
    titles = {r.file: f"{r.municipality}, {r.title}" for r in reports}
    parts = []
    for file, part in rows.groupby("source_file", sort=True):
        lines = sorted({int(x) for x in part.source_line if str(x).strip()})
        if not file or not lines:
            continue
        span = ("line " if len(lines) == 1 else "lines ") + line_ranges(lines)
        parts.append(f"{titles.get(file, file)} ({file}, {span})")
    cited = set(rows.source_file)
    parts += [f"{r.municipality}, {r.title} ({r.file}): not reported" for r in reports
              if "doc_id" in rows and r.doc_id in set(rows.doc_id) and r.file not in cited]
    return ("Source: " + "; ".join(parts) + ".") if parts else "Source: no cited lines."


def line_ranges(lines: list[int]) -> str:
    """[344, 345, 346, 403] -> '344–346, 403'."""
    runs: list[list[int]] = []
    for n in lines:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def finish(fig, name: str, title: str, source: str, note: str = "") -> plt.Figure:
    """Numbered plain-words title (wrapped to the figure's width), and under the figure the
    caveat ``note`` (what differs between the committees set side by side) and the source
    line, both at 8 pt: readable when the image is shown 900 px wide."""
    number = INDEX[name][0]
    fig.set_label(f"Figure {number}. {title}")  # saved as the files' title: the alt text
    chars = int(fig.get_figwidth() * 10)  # 12-pt bold, about 10 characters an inch
    fig.suptitle(textwrap.fill(fig.get_label(), chars), x=0.01, ha="left", fontsize=12,
                 fontweight="bold")
    fig.tight_layout()
    renderer = fig.canvas.get_renderer()
    bottom = fig.get_tightbbox(renderer).y0 / fig.get_figheight()  # below legends too
    text = "\n".join(textwrap.fill(t, int(fig.get_figwidth() * 15))
                     for t in [*note.split("\n"), source] if t)  # a note's lines kept
    fig.text(0.01, min(bottom, 0.0) - 0.01, text, ha="left", va="top", fontsize=8,
             color="dimgrey", linespacing=1.3)
    return fig


def fit_width(fig: plt.Figure, limit: float = MAX_WIDTH_IN) -> plt.Figure:
    """Narrow the figure until the image saved from it is at most ``limit`` inches wide.

    What sticks out past the figure (long row labels, a legend wider than its axes) widens
    the tight box that is saved; each pass takes the excess off the figure's width and lays
    the axes out again, which pulls an axes-anchored legend in with them."""
    for _ in range(12):
        box = fig.get_tightbbox(fig.canvas.get_renderer())
        excess = box.width + 2 * SAVE_PAD_IN - limit
        if excess <= 0:
            break
        fig.set_figwidth(fig.get_figwidth() - excess - 0.01)
        fig.tight_layout()
    return fig


def fit_handles(fits) -> list[Patch]:
    """Legend entries explaining the hatching used in this figure."""
    return [Patch(facecolor="white", edgecolor="dimgrey", hatch=HATCH[f], label=FIT_WORDS[f])
            for f in ("approximate", "partial", "mixed", "prose", "unmapped") if f in set(fits)]


