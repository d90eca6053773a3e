"""Static HTML of the executed notebooks (``reports/html/``): an index, one page per
notebook and the data dictionary, linked in reading order by previous/next links.

Choices:

* **Offline.** The pages load nothing: nbconvert's ``lab`` template is used with its
  require.js, MathJax and mermaid blocks emptied (the notebooks have no widgets, formulas
  or diagrams), its CSS inlined and every image embedded as a ``data:`` URI.
* **Accessible.** Every output image gets alt text: the heading or first line of the
  Markdown cell above it, with the figure's name when the code cell names one.
* **Code visible, prompts left out.** A reader sees which ``socialstudy`` function made
  each table and figure; execution counts say nothing and vary between runs.
* **Deterministic.** Run metadata (papermill, execution times, widget state) is removed and
  every cell id is replaced by ``cell-<n>`` (papermill gives its injected cell a random
  id), so the same notebook content always gives the same bytes.
"""

from __future__ import annotations

import copy
import functools
import html
import re
from pathlib import Path

import nbformat

from socialstudy import paths

SUMMARY = "05_summary"
INDEX, DICTIONARY = "index", "data_dictionary"
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
DICTIONARY_TITLE = "Data dictionary"
NAV = re.compile(r'<nav class="study-nav">.*?</nav>', re.S)
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}{{ super() }}
<nav class="study-nav"></nav>
{%- endblock body_header -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img alt="{{ output.metadata.get('alt', '') | escape_html }}" \
src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}">
</div>
{% endblock data_png %}
"""
STYLE = """<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.5;
       padding: 0 1em; }
table { border-collapse: collapse; margin-bottom: 1em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; vertical-align: top; }
li { margin-bottom: 0.6em; }
nav.study-nav { margin: 1em 0; }
</style>"""


@functools.lru_cache(maxsize=1)
def _exporter():
    """One exporter per process: loading the template is the slow part."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="lab", template_file="study.html.j2",
                            extra_loaders=[DictLoader({"study.html.j2": TEMPLATE})])
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    return exporter


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
    path = Path(path)
    notebook = _clean(nbformat.read(path, as_version=4))
    title = _heading(notebook, path.stem)
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    if stems:
        pages = [INDEX] + _order(list(stems)) + [DICTIONARY]
        body = NAV.sub(lambda _: _nav(pages, path.stem), body)
    target = Path(out_dir) / f"{path.stem}.html"
    target.write_bytes(body.encode("utf-8"))
    return target, DESCRIPTIONS.get(path.stem) or title


def _nav(pages: list[str], stem: str) -> str:
    """Index, previous and next links (the sequence wraps round)."""
    i = pages.index(stem)
    links = [("Index", "", INDEX), ("Previous", ' rel="prev"', pages[i - 1]),
             ("Next", ' rel="next"', pages[(i + 1) % len(pages)])]
    return ('<nav class="study-nav">' + " · ".join(
        f'<a href="{target}.html"{rel}>{word}: {html.escape(target)}</a>'
        for word, rel, target in links) + "</nav>")


def _page(title: str, body: str, nav: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n{STYLE}\n</head>\n<body>\n{nav}\n"
            f"{body}\n{nav}\n</body>\n</html>\n")


def _index_body(entries: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'  <li><a href="{html.escape(stem)}.html">{html.escape(stem)}</a> – '
        f"{html.escape(description)}</li>" for stem, description in entries)
    return (f"<h1>{html.escape(INDEX_TITLE)}</h1>\n<p>The study's notebooks, executed and "
            "rendered as static pages. Start with the summary; notebooks 01–04 show how "
            "each table and figure was made. Every number is traced to a line of a raw "
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
    notebook pages in reading order, then the dictionary page."""
    out_dir = Path(out_dir)
    order = _order(list(rendered))
    pages = [INDEX] + order + [DICTIONARY]
    index = out_dir / "index.html"
    index.write_bytes(_page(INDEX_TITLE, _index_body(
        [(stem, rendered[stem][1]) for stem in order]), _nav(pages, INDEX)).encode("utf-8"))
    dictionary = out_dir / f"{DICTIONARY}.html"
    dictionary.write_bytes(_page(DICTIONARY_TITLE, _dictionary_body(dictionary_source(
        out_dir)), _nav(pages, DICTIONARY)).encode("utf-8"))
    for stem in order:
        path = rendered[stem][0]
        text = path.read_text(encoding="utf-8")
        path.write_bytes(NAV.sub(lambda _: _nav(pages, stem), text).encode("utf-8"))
    return [index] + [rendered[stem][0] for stem in order] + [dictionary]

