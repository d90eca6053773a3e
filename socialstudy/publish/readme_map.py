"""The README's map of the study: one row per step of ``steps.yml``, naming its notebook,
the stages of the package it uses and what it writes. Generated, so it cannot go stale:
``python -m socialstudy.publish.readme_map`` rewrites the block between the markers, and
a test checks that the committed README holds exactly what this module generates."""

from __future__ import annotations

import sys

from socialstudy import paths
from socialstudy.engine import dag, imports

BEGIN, END = "<!-- map:begin (generated from socialstudy/steps.yml) -->", "<!-- map:end -->"
README = paths.ROOT / "README.md"


def stages(step: dag.Step) -> list[str]:
    """The package stages (``extract``, ``measures``…) whose modules the step imports
    directly: the notebook's import cells, or a function step's module."""
    modules = set(step.modules)
    if step.notebook:
        modules |= imports.notebook_modules(paths.ROOT / step.notebook)
    return sorted({m.split(".")[0] for m in modules})


def _writes(step: dag.Step) -> str:
    shown = [w for w in step.writes if "/selection/" not in w]
    merged: dict[str, None] = {}
    for rel in shown:
        merged[rel.rsplit(".", 1)[0] + ".*" if rel.endswith((".png", ".svg")) else rel] = None
    selection = " + `selection/` copies" if len(shown) < len(step.writes) else ""
    return ", ".join(f"`{w}`" for w in merged) + selection


def table(steps: tuple[dag.Step, ...]) -> str:
    """The map as a Markdown table."""
    rows = ["| step | notebook | package stages it uses | writes |", "|---|---|---|---|"]
    for step in steps:
        runs = f"`{step.notebook}`" if step.notebook else f"`{step.function}` (no kernel)"
        used = ", ".join(f"`{s}`" for s in stages(step))
        rows.append(f"| {step.name} | {runs} | {used} | {_writes(step) or '–'} |")
    return "\n".join(rows)


def block() -> str:
    return f"{BEGIN}\n{table(dag.load_table().steps)}\n{END}"


def rewritten(text: str) -> str:
    """``text`` with the map block replaced by the generated one."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block() + text[end:]


if __name__ == "__main__":
    README.write_text(rewritten(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
