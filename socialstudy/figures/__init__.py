"""Figures: what each draws (``cost``, ``outcomes``, in the shared look of ``style``; every one
takes the full panel and a ``Scope`` and draws only the rows ``Scope.filter`` keeps), and
byte-stable files: PNG at 200 dpi and SVG without timestamps, fixed SVG hash salt, and
``index.csv`` naming the number, notebook, function and tables behind each figure.

Reads the run's selected tables and the registry; writes ``figures/``. May import
``measures`` and below; never ``narrative``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialstudy.figures.cost import activity_shares, budget_deviation, cost_type_shares
from socialstudy.figures.outcomes import goal_levels, indicator_attainment, staffing_panel
from socialstudy.figures.style import INDEX, fit_width, plt

# zlib level 3, not Pillow's 6: the seven figures take 15 % less space (2.82 MB, not
# 3.31) and encode in two thirds of the time (0.44 CPU-s, not 0.70), measured on them
PNG_COMPRESSION = 3

__all__ = ["activity_shares", "budget_deviation", "cost_type_shares", "goal_levels",
           "image", "indicator_attainment", "staffing_panel", "save", "save_png", "show",
           "write_index"]


def save(fig: plt.Figure, name: str, folder: Path) -> list[Path]:
    """Write ``name``.png (:func:`save_png`) and ``name``.svg byte-stably, each titled with
    the figure's numbered title, and close the figure."""
    png, svg = save_png(fig, name, folder), folder / f"{name}.svg"
    fig.savefig(svg, metadata={"Date": None, "Creator": None, "Title": fig.get_label()},
                bbox_inches="tight")
    plt.close(fig)
    return [png, svg]


def save_png(fig: plt.Figure, name: str, folder: Path) -> Path:
    """Write ``name``.png: 200 dpi, at most 1 800 px wide (``style.fit_width`` narrows the
    figure first, so the SVG saved after it has the same layout)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fit_width(fig)
    fig.savefig(path, metadata={"Software": None, "Title": fig.get_label()},
                bbox_inches="tight", dpi=200, pil_kwargs={"compress_level": PNG_COMPRESSION})
    return path


def image(path: Path):
    """A saved figure for the notebook, its title as alt text (for the HTML pages)."""
    from IPython.display import Image
    from PIL import Image as Png
    with Png.open(path) as png:  # the title chunk precedes the pixels: not decoded
        title = png.info.get("Title", "")
    return Image(filename=str(path), width=760, alt=title or None)


def show(fig: plt.Figure, name: str, folder: Path):
    """Save the figure and return it as an image for the notebook."""
    return image(save(fig, name, folder)[0])


def write_index(folder: Path) -> Path:
    """List every declared figure (``style.INDEX``), drawn yet or not: the index is
    a function of the declarations alone, so it is written once (notebook 03) while the
    notebooks drawing the figures may run side by side (see ``steps.yml``)."""
    rows = [{"figure": f"{name}.png;{name}.svg", "number": number, "notebook": nb,
             "function": f"socialstudy.figures.{func}", "tables": f"data/processed/{tables}"}
            for name, (number, nb, func, tables) in sorted(INDEX.items(), key=lambda i: i[1][0])]
    path = folder / "index.csv"
    pd.DataFrame(rows).to_csv(path, index=False, lineterminator="\n")
    return path
