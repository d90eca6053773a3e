"""What an executed notebook becomes: its stored copy (without run metadata) and its HTML
page; and the ``publish`` step: data package, data dictionary and the HTML index.

Kept apart from the runner because these functions shape the outputs: ``steps.yml``
lists this module under ``render:``, so editing it (or ``report``, ``datapackage``,
``dictionary``) re-stores and re-renders every page — without re-running a kernel.
"""

from __future__ import annotations

import json
from pathlib import Path

from socialstudy import paths
from socialstudy.engine import dag, staging


def store(executed: Path) -> list[str]:
    """Rewrite an executed notebook without run metadata (timestamps, durations,
    papermill's random cell ids): the same run gives the same bytes, so the stored
    notebooks and their HTML pages are byte-identical across reruns. What the kernel
    wrote on stderr (warnings with machine paths, not the notebook's work) is dropped and
    returned, for the run's log. Consecutive prints are stored as one stream output, as
    the kernel may deliver them in one message or two depending on machine load."""
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    notebook.get("metadata", {}).pop("papermill", None)
    dropped = []
    for index, cell in enumerate(notebook.get("cells", [])):
        cell["id"] = f"cell-{index:02d}"
        if "outputs" in cell:
            stderr = [o for o in cell["outputs"]
                      if o.get("output_type") == "stream" and o.get("name") == "stderr"]
            dropped += [f"cell {index}: " + "".join(o.get("text", "")) for o in stderr]
            cell["outputs"] = _coalesce([o for o in cell["outputs"] if o not in stderr])
        meta = cell.get("metadata", {})
        for key in ("papermill", "execution", "ExecuteTime"):
            meta.pop(key, None)
        if "tags" in meta and not meta["tags"]:
            meta.pop("tags")
    text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    staging.atomic_write(executed, text.encode("utf-8"))
    return dropped


def _coalesce(outputs: list[dict]) -> list[dict]:
    """Outputs with each run of same-name stream outputs joined into one, its text split
    into lines as nbformat writes it: one canonical form whatever the kernel's timing."""
    merged: list[dict] = []
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.append(output)
            continue
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else text
        last = merged[-1] if merged else {}
        if last.get("output_type") == "stream" and last.get("name") == output.get("name"):
            text = "".join(last["text"]) + text
            merged.pop()
        merged.append({**output, "text": text.splitlines(keepends=True)})
    return merged


def render(tree: Path, step: dag.Step) -> Path:
    from socialstudy.publish.html import render_notebook
    html = tree / "reports" / "html"
    html.mkdir(parents=True, exist_ok=True)
    stems = [s.name for s in dag.load_table().steps if s.notebook]
    return render_notebook(tree / "notebooks" / f"{step.name}.ipynb", html, stems)[0]


def restore(tree: Path, step: dag.Step) -> Path:
    """Store an already executed notebook again and render its page (after a change to
    how notebooks are stored or rendered, or a lost page): no kernel needed."""
    store(tree / "notebooks" / f"{step.name}.ipynb")
    return render(tree, step)


def publish(outputs: paths.Outputs, table: dag.StepTable | None = None) -> list[Path]:
    """Data package (with file hashes), data dictionary and the HTML report's index."""
    from socialstudy.core.registry import load_registry
    from socialstudy.publish.datapackage import write_datapackage
    from socialstudy.publish.dictionary import write_dictionary
    from socialstudy.publish.html import DESCRIPTIONS, write_index
    html = outputs.root / "reports" / "html"
    stems = [s.name for s in (table or dag.load_table()).steps if s.notebook]
    pages = {stem: (html / f"{stem}.html", DESCRIPTIONS.get(stem, stem)) for stem in stems
             if (html / f"{stem}.html").exists()}
    return [write_datapackage(outputs.processed, load_registry(), hashes=True),
            write_dictionary(outputs.processed, outputs.root / "docs" / "data_dictionary.md"),
            write_index(pages, html)[0]]
