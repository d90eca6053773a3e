"""Static HTML of the executed notebooks, with an index page (``reports/html/``).

:func:`render_html` converts each executed notebook with nbconvert's ``HTMLExporter``
(the ``lab`` template) and writes ``index.html`` linking the summary first and then
notebooks 01–04, each with a one-line description, and the data dictionary (linked as
``../../docs/data_dictionary.md``, i.e. relative to ``reports/html/``).

Choices:

* **Code stays visible; the ``In [n]:`` / ``Out[n]:`` prompts are left out.** The study is
  about traceability: a reader should see which ``socialstudy`` function produced each
  table and figure and with which parameters, and the notebooks' code cells are short.
  Execution counts say nothing to a reader and vary with how a notebook was run, so the
  prompts are dropped (this also keeps the bytes stable).
* **Self-contained pages.** The notebooks show their figures with
  ``IPython.display.Image``, so the PNGs already sit base64-encoded in the outputs and are
  embedded as ``data:image/png;base64`` images; images in Markdown cells are embedded too
  (``embed_images``). The lab template inlines its CSS. Nothing is fetched except MathJax,
  which only matters for formulas (the notebooks have none).
* **Deterministic.** No timestamps: run metadata that papermill and Jupyter add
  (``metadata.papermill``, cell ``execution`` times, widget state) is removed before
  export, cells without an id get ``cell-<n>``, and the page title is the notebook's first
  heading, not its path. The same notebook content therefore always gives the same bytes,
  whichever folder or run it came from.
"""

from __future__ import annotations

import copy
import functools
import html
from pathlib import Path

import nbformat

SUMMARY = "05_summary"
DESCRIPTIONS = {
    "05_summary": "Summary: what the three committees' reports say – and do not say – with "
                  "key figures, findings and caveats.",
    "01_extract_clean": "From report text to tidy facts: the raw reports, table extraction, "
                        "Swedish number parsing and quality checks.",
    "02_cost_structure": "Cost structures by cost type and by activity, and budget "
                         "deviation.",
    "03_staffing": "Staffing: headcount, full-time equivalents, turnover and sick leave, "
                   "with their scopes and definitions.",
    "04_goals": "Goal outcomes: each committee's own assessment on one common scale, and "
                "indicators against their targets.",
}
INDEX_TITLE = ("Comparative study of Swedish municipal social-services reports "
               "(Haninge, Huddinge, Strängnäs)")


@functools.lru_cache(maxsize=1)
def _exporter():
    """One exporter per process: loading the template is the slow part."""
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    return exporter


def _clean(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without run metadata (timestamps, durations, widget state)."""
    notebook = copy.deepcopy(notebook)
    for key in ("papermill", "widgets", "execution"):
        notebook.metadata.pop(key, None)
    for index, cell in enumerate(notebook.cells):
        for key in ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if not cell.get("id"):
            cell["id"] = f"cell-{index:02d}"
    return notebook


def _heading(notebook: nbformat.NotebookNode, default: str) -> str:
    """The first Markdown heading of the notebook (its title)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def _description(stem: str, notebook: nbformat.NotebookNode) -> str:
    return DESCRIPTIONS.get(stem) or _heading(notebook, stem)


def _order(stems: list[str]) -> list[str]:
    """Summary first, then the numbered notebooks in order."""
    return sorted(stems, key=lambda s: (s != SUMMARY, s))


def render_notebook(path: Path, out_dir: Path) -> tuple[Path, str]:
    """Render one notebook to ``out_dir/<stem>.html``; return the path and description."""
    path = Path(path)
    notebook = _clean(nbformat.read(path, as_version=4))
    title = _heading(notebook, path.stem)
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    target = Path(out_dir) / f"{path.stem}.html"
    target.write_bytes(body.encode("utf-8"))
    return target, _description(path.stem, notebook)


def _index(entries: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'  <li><a href="{html.escape(stem)}.html">{html.escape(stem)}</a> – '
        f"{html.escape(description)}</li>" for stem, description in entries)
    return (f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(INDEX_TITLE)}</title>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; line-height: 1.5;
       padding: 0 1em; }}
li {{ margin-bottom: 0.6em; }}
</style>
</head>
<body>
<h1>{html.escape(INDEX_TITLE)}</h1>
<p>The study's notebooks, executed and rendered as static pages. Start with the summary;
notebooks 01–04 show how each table and figure was made. Every number is traced to a line
of a raw report.</p>
<ol>
{items}
</ol>
<p>Column definitions, categories, translations of the reports' Swedish labels and the
nearest Kolada key figures: <a href="../../docs/data_dictionary.md">data dictionary</a>.</p>
</body>
</html>
""")


def render_html(executed_notebooks: list[Path], out_dir: Path) -> list[Path]:
    """Convert executed notebooks to static HTML in ``out_dir`` and write ``index.html``.

    Returns the written files: ``index.html`` first, then one ``<stem>.html`` per notebook
    in index order (summary first, then by name). Same notebooks → same bytes.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    by_stem = {Path(p).stem: Path(p) for p in executed_notebooks}
    if len(by_stem) != len(executed_notebooks):
        raise ValueError("two notebooks with the same name: their pages would overwrite "
                         "each other")
    rendered = {stem: render_notebook(path, out_dir) for stem, path in by_stem.items()}
    return write_index(rendered, out_dir)


def write_index(rendered: dict[str, tuple[Path, str]], out_dir: Path) -> list[Path]:
    """``index.html`` for already rendered pages (stem -> (page, description)); returns
    the index first, then the pages in index order."""
    order = _order(list(rendered))
    index = Path(out_dir) / "index.html"
    index.write_bytes(_index([(stem, rendered[stem][1]) for stem in order]).encode("utf-8"))
    return [index] + [rendered[stem][0] for stem in order]
