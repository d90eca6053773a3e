"""Static HTML of the executed notebooks (``reports/html/``): an index, one page per
notebook and the data dictionary, linked in reading order by previous/next links.

Choices:

* **Offline.** The pages load nothing: nbconvert's ``lab`` template is used with its
  require.js, MathJax and mermaid blocks emptied (the notebooks have no widgets, formulas
  or diagrams), its CSS inlined and every image embedded as a ``data:`` URI.
* **Accessible.** Every output image gets alt text: the heading or first line of the
  Markdown cell above it, with the figure's name when the code cell names one.
* **A report, not a notebook.** Narrative, tables and figures; each code cell is folded
  away under "Show the code" (a reader who wants it sees which ``socialstudy`` function
  made each table and figure); prompts are left out. Navigation is labelled in words
  ("Summary", "Cost structure"), and every page names the run's selection (municipalities
  and year) in its title and text, so a page of a non-default run cannot pass for the
  default study.
* **Safe.** Every page is written through :func:`socialstudy.publish.safe_html.sanitize`:
  markup in a registry title, a crosswalk label or a report's row label is text, never
  a script, an event handler or a ``javascript:`` link.
* **Deterministic.** Run metadata (papermill, execution times, widget state) is removed and
  every cell id is replaced by ``cell-<n>`` (papermill gives its injected cell a random
  id), so the same notebook content always gives the same bytes.
"""

from __future__ import annotations

import ast
import copy
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from socialstudy import paths
from socialstudy.engine.cheap_imports import without_iri_grammars
from socialstudy.publish.exporter import exporter
from socialstudy.publish.safe_html import sanitize

if TYPE_CHECKING:
    import nbformat

SUMMARY = "05_summary"
INDEX, DICTIONARY = "index", "data_dictionary"
DESCRIPTIONS = {
    "05_summary": "What the selected committees' reports say – and do not say – with key "
                  "figures, findings and caveats.",
    "01_extract_clean": "From report text to tidy facts: the raw reports, table extraction, "
                        "Swedish number parsing and quality checks.",
    "02_cost_structure": "Cost structures by cost type and by activity, and budget "
                         "deviation.",
    "03_staffing": "Staffing: headcount, full-time equivalents, turnover and sick leave, "
                   "with their scopes and definitions.",
    "04_goals": "Goal outcomes: each committee's own assessment on one common scale, and "
                "indicators against their targets.",
}
# what navigation calls each page (a page not listed: its name without the number)
LABELS = {INDEX: "Contents", "05_summary": "Summary", "01_extract_clean": "From text to facts",
          "02_cost_structure": "Cost structure", "03_staffing": "Staffing",
          "04_goals": "Goals", DICTIONARY: "Data dictionary"}
STUDY_TITLE = "Comparative study of Swedish municipal social-services reports"
DICTIONARY_TITLE = "Data dictionary"
NAV = re.compile(r'<nav class="study-nav"[^>]*>.*?</nav>', re.S)
SELECTION = re.compile(r'<p class="study-selection">(.*?)</p>', re.S)
STYLE = """<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.5;
       padding: 0 1em; }
table { border-collapse: collapse; margin-bottom: 1em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; vertical-align: top; }
li { margin-bottom: 0.6em; }
nav.study-nav { margin: 1em 0; }
p.study-selection { background: #f4f4f4; padding: 0.4em 0.8em; }
details.study-code > summary { color: #555; font-size: 0.85em; cursor: pointer; }
</style>"""


def _alt(previous_markdown: str, source: str, number: int) -> str:
    """Alt text of the ``number``-th figure of a cell: the Markdown line above it, with
    the figure's name when the code names it."""
    lines = [ln.lstrip("#").strip() for ln in previous_markdown.splitlines() if ln.strip()]
    text = re.sub(r"[*_`]", "", lines[0]) if lines else "Figure"
    named = re.findall(r'"([a-z][a-z0-9_]*)(?:\.png"|",\s*outputs\.figures)', source)
    if number < len(named):
        return f"Figure {named[number].replace('_', ' ')}: {text}"
    return f"Figure: {text}"


def _clean(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without run metadata, with stable cell ids and alt text for every image."""
    notebook = copy.deepcopy(notebook)
    for key in ("papermill", "widgets", "execution"):
        notebook.metadata.pop(key, None)
    markdown = ""
    for index, cell in enumerate(notebook.cells):
        for key in ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        cell["id"] = f"cell-{index:02d}"
        if cell.cell_type == "markdown":
            markdown = cell.source
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        for number, output in enumerate(images):
            meta = output.setdefault("metadata", {})
            given = meta.get("image/png", {}).get("alt")  # the figure's own title
            meta["alt"] = given or _alt(markdown, cell.source, number)
    return notebook


def _heading(notebook: nbformat.NotebookNode, default: str) -> str:
    """The first Markdown heading of the notebook (its title)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def _order(stems: list[str]) -> list[str]:
    """Summary first, then the numbered notebooks in order."""
    return sorted(stems, key=lambda s: (s != SUMMARY, s))


def render_notebook(path: Path, out_dir: Path, stems: list[str] | None = None
                    ) -> tuple[Path, str]:
    """Render one notebook to ``out_dir/<stem>.html``; return the path and description.
    ``stems`` (every notebook of the study) gives its previous/next links, so a page
    rendered alone is the same as one rendered with the others."""
    without_iri_grammars()  # nbformat imports jsonschema
    import nbformat
    path = Path(path)
    notebook = _clean(nbformat.read(path, as_version=4))
    heading = _heading(notebook, path.stem)
    selection = selection_text(run_parameters(notebook))
    title = f"{label(path.stem, heading)} · {selection}"
    body, _ = exporter().from_notebook_node(notebook, resources={
        "metadata": {"name": title}, "selection": f"This run: {selection}."})
    if stems:
        pages = [INDEX] + _order(list(stems)) + [DICTIONARY]
        body = NAV.sub(lambda _: _nav(pages, path.stem), body)
    target = Path(out_dir) / f"{path.stem}.html"
    _write(target, body)
    return target, DESCRIPTIONS.get(path.stem) or heading


def _write(target: Path, page: str) -> None:
    """Every page is written here, through the sanitiser."""
    target.write_bytes(sanitize(page).encode("utf-8"))


def label(stem: str, heading: str = "") -> str:
    """What navigation calls a page: a word, not a file name."""
    if stem in LABELS:
        return LABELS[stem]
    words = re.sub(r"^\d+[ ·._-]*", "", heading or stem).replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else stem


def run_parameters(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """The parameters a stored notebook ran with: its parameters cell, overridden by the
    cell papermill injected (a non-default run)."""
    found: dict[str, str] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in notebook.cells:
            if cell.cell_type == "code" and tag in cell.metadata.get("tags", []):
                try:
                    tree = ast.parse(cell.source)
                except SyntaxError:
                    continue
                for node in tree.body:
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                            and isinstance(node.targets[0], ast.Name):
                        found[node.targets[0].id] = str(node.value.value)
    return found


def selection_text(parameters: dict[str, str]) -> str:
    """'Haninge and Huddinge, fiscal year 2023' (or each one's latest full-year report)."""
    chosen = str(parameters.get("municipalities", "all")).strip()
    if chosen.lower() == "all":
        from socialstudy.core.registry import load_registry
        names = sorted({r.municipality for r in load_registry()})
        who = "all committees in the registry: " + _and(names)
    else:
        who = _and([n.strip() for n in chosen.split(",") if n.strip()])
    year = str(parameters.get("year", "latest")).strip()
    when = ("each committee's latest full-year report" if year.lower() == "latest"
            else f"fiscal year {year}")
    return f"{who}; {when}"


def _and(names: list[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else \
        "".join(names)


def _nav(pages: list[str], stem: str) -> str:
    """Contents, previous and next links labelled in words; the first page has no
    previous link and the last no next one (a wrapped 'Previous' on the contents page led
    to the data dictionary)."""
    i = pages.index(stem)
    links = [("", "", INDEX)]
    links += [("Previous: ", ' rel="prev"', pages[i - 1])] if i > 0 else []
    links += [("Next: ", ' rel="next"', pages[i + 1])] if i + 1 < len(pages) else []
    return ('<nav class="study-nav" aria-label="Pages of the study">' + " · ".join(
        f'<a href="{target}.html"{rel}>{word}{html.escape(label(target))}</a>'
        for word, rel, target in links) + "</nav>")


def _page(title: str, body: str, nav: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n{STYLE}\n</head>\n<body>\n{nav}\n"
            f"{body}\n{nav}\n</body>\n</html>\n")


def _index_body(entries: list[tuple[str, str]], selection: str) -> str:
    items = "\n".join(
        f'  <li><a href="{html.escape(stem)}.html">{html.escape(label(stem))}</a> – '
        f"{html.escape(description)}</li>" for stem, description in entries)
    return (f"<h1>{html.escape(STUDY_TITLE)}</h1>\n"
            f'<p class="study-selection">{selection}</p>\n<p>The study\'s report, page by '
            "page. Start with the summary; the pages after it show how each table and "
            "figure was made. Every number is traced to a line of a raw "
            f"report.</p>\n<ol>\n{items}\n</ol>\n<p>Column definitions, categories, "
            "translations of the reports' Swedish labels and the nearest Kolada key figures: "
            f'<a href="{DICTIONARY}.html">data dictionary</a>.</p>')


def dictionary_source(out_dir: Path) -> Path:
    """The ``docs/data_dictionary.md`` of the run that owns ``out_dir`` (the nearest one
    above it), else the committed one."""
    for folder in list(Path(out_dir).resolve().parents)[:3]:
        if (folder / "docs" / "data_dictionary.md").is_file():
            return folder / "docs" / "data_dictionary.md"
    return paths.ROOT / "docs" / "data_dictionary.md"


def _dictionary_body(source: Path) -> str:
    import mistune
    text = source.read_text(encoding="utf-8")
    return mistune.create_markdown(plugins=["table"], escape=False)(text)


def write_index(rendered: dict[str, tuple[Path, str]], out_dir: Path) -> list[Path]:
    """``index.html`` and ``data_dictionary.html`` for already rendered pages (stem ->
    (page, description)), and previous/next links on every page. Returns the index, the
    notebook pages in reading order, then the dictionary page. The index and dictionary
    name the run's selection as the rendered pages do."""
    out_dir = Path(out_dir)
    order = _order(list(rendered))
    pages = [INDEX] + order + [DICTIONARY]
    texts = {stem: rendered[stem][0].read_text(encoding="utf-8") for stem in order}
    found = [m.group(1) for m in map(SELECTION.search, texts.values()) if m]
    selection = found[0] if found else html.escape(
        f"This run: {selection_text({})}.")  # (no page rendered: the default run)
    shown = html.unescape(selection).removeprefix("This run: ").rstrip(".")
    index = out_dir / "index.html"
    _write(index, _page(f"{STUDY_TITLE} · {shown}", _index_body(
        [(stem, rendered[stem][1]) for stem in order], selection), _nav(pages, INDEX)))
    dictionary = out_dir / f"{DICTIONARY}.html"
    body = f'<p class="study-selection">{selection}</p>\n' + _dictionary_body(
        dictionary_source(out_dir))
    _write(dictionary, _page(f"{DICTIONARY_TITLE} · {shown}", body, _nav(pages, DICTIONARY)))
    for stem in order:  # (a page rendered with every stem has its links: not sanitised again)
        linked = NAV.sub(lambda _: _nav(pages, stem), texts[stem])
        if linked != texts[stem]:
            _write(rendered[stem][0], linked)
    return [index] + [rendered[stem][0] for stem in order] + [dictionary]
