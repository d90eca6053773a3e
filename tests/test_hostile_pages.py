"""Markup in every text that reaches an HTML page (issue 15 item 4): the pages are parsed
and no element or attribute can run code; a page of a non-default run names its selection
(item 6); the pages read as a report (issue 17 item 7).

The fields that reach a page, from the registry, the crosswalks and the reports:
``TITLE`` (reports.yml ``title:``, the one free-text field of an entry), ``FREE_TEXT``
(every crosswalk column that is prose, not a match key or a quote checked against a raw
line) and a report's row label (in a new report's text, and its crosswalk row). They are
planted (:func:`plant_label`, :func:`plant`) in the grown corpus of
tests/test_end_to_end.py before its study run, and its pages checked
(:func:`markup_never_runs`): one full run serves both."""

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from socialstudy import paths
from socialstudy.publish import html as pages
from socialstudy.publish.safe_html import sanitize

ROOT = paths.ROOT
MARK = "PWN15"
PAYLOAD = (f"<script>alert('{MARK}')</script><img src=x onerror=alert('{MARK}')>"
           f"[click](javascript:alert('{MARK}'))<a href=\"JaVa\tScRiPt:alert('{MARK}')\">a</a>"
           f"<iframe src=\"javascript:alert('{MARK}')\"></iframe><svg onload=alert('{MARK}')>"
           f"<form action=\"javascript:x\"><button formaction=\"javascript:x\">b</button></form>"
           f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\"> {MARK}")
FREE_TEXT = {
    "activities.csv": ["justification"], "cost_types.csv": ["justification"],
    "remit.csv": ["note"], "report_explanations.csv": ["gloss"],
    "finance_not_reported.csv": ["reason"], "not_reported.csv": ["reason"],
    "staffing_map.csv": ["definition"], "staffing_detail.csv": ["definition"],
    "prose_facts.csv": ["definition"], "finance_prose.csv": ["definition"],
    "goal_assessments.csv": ["note"], "translations.csv": ["english"],
    "printed_deviation.csv": ["why"], "measures.csv": ["why"],
    "indicator_direction.csv": ["why"], "goal_levels.csv": ["justification"],
    "table_overrides.csv": ["why"], "core_reach.csv": ["why"], "remit_scope.csv": ["scope"],
}
LABEL = "Köp av tjänster"  # Haninge's, 000_7601200e7e1b7bea.txt:347
ROW_LABEL = f"{LABEL} [x](javascript:alert('{MARK}'))"
ACTIVE = {"script", "iframe", "frame", "object", "embed", "applet", "base", "form",
          "button", "input", "textarea", "select", "animate", "set", "portal", "template"}
URLS = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster",
        "srcset", "ping", "srcdoc", "codebase"}


class Active(HTMLParser):
    """Everything in a page that could run code (an independent check of the sanitiser)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.tag = [], ""

    def handle_starttag(self, tag, attrs):
        self.tag = tag
        if tag in ACTIVE:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            compact = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
            scheme = re.match(r"([a-z][a-z0-9+.\-]*):", compact)
            embedded = tag == "img" and name == "src" and compact.startswith("data:image/png")
            if name.startswith("on") or (name == "http-equiv" and tag == "meta"):
                self.found.append(f"<{tag} {name}>")
            elif name in URLS and scheme and scheme.group(1) not in (
                    "http", "https", "mailto") and not embedded:
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            elif name == "style" and re.search(r"expression|javascript:|@import", compact):
                self.found.append(f"<{tag} style>")

    def handle_data(self, data):
        if self.tag == "style" and re.search(r"expression\(|javascript:|@import", data):
            self.found.append("<style> with active content")


def active(page: str) -> list[str]:
    finder = Active()
    finder.feed(page)
    return finder.found


def test_the_checker_finds_what_it_must():
    assert len(active(f"<p>{PAYLOAD}</p>")) >= 9
    assert active('<a href=" java\nscript:x">') and active('<img src="data:text/html,x">')


@pytest.mark.parametrize("payload", [PAYLOAD, ROW_LABEL, "<scr<script>ipt>alert(1)</script>",
                                     '<a href="&#106;avascript:alert(1)">x</a>',
                                     '<img src="x" srcset="javascript:alert(1) 1x">',
                                     '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
                                     '<p style="background:url(javascript:alert(1))">x</p>',
                                     "<style>@import 'http://x/a.css';</style>",
                                     "<object data=\"javascript:alert(1)\"><p>x</p></object>",
                                     "<!--[if IE]><script>alert(1)</script><![endif]-->"])
def test_the_sanitiser_leaves_nothing_that_runs(payload):
    clean = sanitize(f"<!DOCTYPE html><html><body><p>{payload}</p></body></html>")
    assert active(clean) == [], clean
    assert sanitize(clean) == clean  # stable: pages pass through it more than once


def test_the_sanitiser_keeps_a_report_intact():
    page = ('<p title="a &amp; b">1 &lt; 2 &amp; “quoted” <a href="02_cost_structure.html" '
            'rel="next">Next</a> <a href="https://www.kolada.se/">Kolada</a> '
            '<a href="#caveats">x</a><img alt="Figure" src="data:image/png;base64,iVBO="></p>')
    assert sanitize(page) == page


def _with_payload(notebook: Path, tmp_path: Path, **parameters) -> Path:
    """A stored notebook with a Markdown output carrying the payload and, for a
    non-default run, the cell papermill injects."""
    import nbformat  # here: only some tests read notebooks (its import costs a collection)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("Markdown(text)", outputs=[
        nbformat.v4.new_output("execute_result", {"text/markdown": PAYLOAD,
                                                  "text/html": f"<div>{PAYLOAD}</div>"})]))
    if parameters:
        source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
        nb.cells.insert(2, cell)
    target = tmp_path / notebook.name
    nbformat.write(nb, target)
    return target


def test_a_page_of_a_non_default_run_names_its_selection_and_reads_as_a_report(tmp_path):
    notebooks = [_with_payload(paths.NOTEBOOKS / f"{s}.ipynb", tmp_path, year="2023",
                               municipalities="Haninge,Huddinge")
                 for s in ("05_summary", "02_cost_structure")]
    out = tmp_path / "html"
    out.mkdir()
    written = pages.write_index({nb.stem: pages.render_notebook(nb, out) for nb in notebooks},
                                out)
    for page in written:
        text = page.read_text(encoding="utf-8")
        assert active(text) == [], (page.name, active(text))
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert "Haninge and Huddinge; fiscal year 2023" in title, (page.name, title)
        assert ('<p class="study-selection">This run: Haninge and Huddinge; fiscal year '
                '2023.</p>') in text, page.name
        nav = re.search(r'<nav class="study-nav"[^>]*>(.*?)</nav>', text, re.S).group(1)
        words = re.findall(r">([^<]+)</a>", nav)
        assert words and not [w for w in words if re.search(r"\.html|_|\d\d", w)], words
    summary = written[1].read_text(encoding="utf-8")
    assert "Contents</a>" in summary and "Next: Cost structure</a>" in summary
    assert MARK in summary  # the payload reached the page, as text
    code = re.findall(r"<details class=\"study-code\">\s*<summary>Show the code</summary>",
                      summary)
    inputs = len(re.findall(r'class="jp-Cell jp-CodeCell', summary))
    assert code and len(code) == inputs  # every code cell folded away


def test_the_default_run_names_every_committee():
    import nbformat
    nb = nbformat.read(paths.NOTEBOOKS / "03_staffing.ipynb", as_version=4)
    assert pages.run_parameters(nb) == {"year": "latest", "municipalities": "all",
                                        "out_dir": ""}
    assert pages.selection_text(pages.run_parameters(nb)) == (
        "all committees in the registry: Haninge, Huddinge and Strängnäs; each "
        "committee's latest full-year report")


# ---- the whole study, with markup in every field that reaches a page ---------------------

def _rewrite_csv(path: Path, columns: list[str]) -> int:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for column in columns:
            if row.get(column):
                row[column] += " " + PAYLOAD
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return sum(bool(row.get(c)) for row in rows for c in columns)


def plant_label(text: Path, repo: Path) -> None:
    """A report's row label with markup: in ``text``, a Haninge report about to be added,
    the row ``LABEL`` relabelled ``ROW_LABEL``, and a cost_types.csv row for it (a copy of
    the row for ``LABEL``, which the earlier reports still print)."""
    lines = text.read_text(encoding="utf-8").split("\n")
    found = [n for n, line in enumerate(lines) if line.startswith(LABEL + "\t")]
    assert len(found) == 1, found
    lines[found[0]] = ROW_LABEL + lines[found[0]][len(LABEL):]
    text.write_text("\n".join(lines), encoding="utf-8")
    cost = repo / "socialstudy" / "crosswalks" / "cost_types.csv"
    row = next(line for line in cost.read_text(encoding="utf-8").splitlines()
               if line.startswith(f"Haninge,{LABEL},"))
    with cost.open("a", encoding="utf-8") as fh:
        fh.write(row.replace(f"Haninge,{LABEL},", f'Haninge,"{ROW_LABEL}",', 1) + "\n")


def plant(repo: Path) -> None:
    """Markup in every report's title and in every free-text crosswalk column."""
    registry = repo / "data" / "raw" / "reports.yml"
    text = registry.read_text(encoding="utf-8")
    escaped = PAYLOAD.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    text, titles = re.subn(r'(\n    title: "[^"]*)"', rf'\1 {escaped}"', text)
    assert titles == text.count("\n  - doc_id: ")  # every report's
    registry.write_text(text, encoding="utf-8")
    crosswalks = repo / "socialstudy" / "crosswalks"
    for name, columns in FREE_TEXT.items():
        assert _rewrite_csv(crosswalks / name, columns) > 0, name


def markup_never_runs(repo: Path) -> None:
    """After a run of ``repo`` planted by :func:`plant`: the seven pages hold nothing that
    can run code, and the payload reached the pages it should, as text. (The run is the
    end-to-end run of tests/test_end_to_end.py, new reports and all: one run for both.)"""
    written = sorted((repo / "reports" / "html").glob("*.html"))
    assert len(written) == 7
    found = {page.name: active(page.read_text(encoding="utf-8")) for page in written}
    assert not any(found.values()), found
    reached = {page.name for page in written if MARK in page.read_text(encoding="utf-8")}
    assert {"01_extract_clean.html", "02_cost_structure.html", "05_summary.html",
            "data_dictionary.html"} <= reached, reached
