"""The study's published outputs: the 11 processed tables against their schemas and as a
Frictionless Data Package, the data dictionary, the HTML report and the figure index."""

import csv
import importlib
import re
import shutil
import uuid
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from socialstudy import paths
from socialstudy.core import schemas
from socialstudy.errors import SchemaError
from socialstudy.measures import compare, outcomes, staffing
from socialstudy.measures.staffing_derived import DERIVED
from socialstudy.publish import dictionary, translations
from socialstudy.publish.datapackage import write_datapackage
from socialstudy.publish.html import render_notebook, write_index

PROCESSED = paths.Outputs().processed
FIGURES = paths.Outputs().figures
ALL_TABLES = ("tables", "facts", "rejects", "cells", "quality", "cost_by_type",
              "cost_by_activity", "budget_deviation", "staffing", "goals", "indicators")
SUMMARY = paths.NOTEBOOKS / "05_summary.ipynb"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / f"{name}.csv", dtype=str, keep_default_na=False)


# ---- schemas and the data package --------------------------------------------------------

def test_every_committed_table_has_a_schema_and_every_schema_a_table():
    # a deleted CSV fails here, as does a CSV written without a schema file
    assert {p.stem for p in PROCESSED.glob("*.csv")} == set(schemas.names())
    assert set(ALL_TABLES) <= set(schemas.names())


@pytest.mark.parametrize("name", schemas.names())
def test_committed_csv_validates_against_its_schema(name):
    schemas.validate(_read(name), name)  # names, order, types, keys and rules


def test_comparison_tables_from_the_pipeline_validate(facts, reports):
    """What write_csv will be given in notebooks 02-04 passes the schemas."""
    cfacts = facts.assign(number=facts.value.astype(float))
    activity = compare.cost_by_activity(cfacts, reports)
    frames = {"cost_by_type": compare.cost_by_type(cfacts, reports),
              "cost_by_activity": activity,
              "budget_deviation": compare.budget_deviation(activity, cfacts),
              "staffing": staffing.staffing(cfacts, reports),
              "goals": outcomes.goals(reports), "indicators": outcomes.indicators(cfacts)}
    for name, frame in frames.items():
        schemas.validate(frame, name)


def test_declared_categories_cover_the_analysis_vocabularies():
    variables = schemas.categories("staffing", "variable")
    assert set(staffing.STAFFING_VARIABLES) <= set(variables)
    assert set(schemas.categories("staffing", "status")) == {"reported", staffing.NOT_REPORTED,
                                                             DERIVED, staffing.NOT_MAPPED}
    assert variables["sick_leave_total_pct"]["unit"] == "percent"
    assert variables["fte"]["unit"] == "count"
    for crosswalk, column, (table, field) in (
            ("cost_types.csv", "category", ("cost_by_type", "category")),
            ("activities.csv", "category", ("cost_by_activity", "category")),
            ("goal_levels.csv", "level", ("goals", "level"))):
        used = {r[column] for r in _crosswalk(crosswalk)}
        assert used <= set(schemas.categories(table, field)), (crosswalk, used)
    ranks = {r["level"]: int(r["rank"]) for r in _crosswalk("goal_levels.csv") if r["rank"]}
    assert all(schemas.categories("goals", "level")[lv]["rank"] == rk
               for lv, rk in ranks.items())


def test_committed_scope_class_follows_from_scope_and_definition():
    # an analysis rule, so checked here rather than in the (declarative) schema file
    staff = _read("staffing")
    reported = staff[staff.status == "reported"]
    assert len(reported) > 40
    for row in reported.itertuples():
        assert row.scope_class == staffing.scope_class(row.scope, row.definition), row


def test_a_not_reported_row_needs_a_reason():
    staff = _read("staffing")
    row = staff.index[staff.status == "not reported"][0]
    staff.loc[row, "reason"] = ""
    with pytest.raises(SchemaError, match="has a reason") as info:
        schemas.validate(staff, "staffing")
    assert info.value.violations[0].rows == [row]


def test_comparison_row_rules_catch_broken_rows():
    types = _read("cost_by_type")
    types.loc[0, "flow"] = "revenue"  # a cost type marked revenue
    with pytest.raises(SchemaError, match="flow matches the category"):
        schemas.validate(types, "cost_by_type")
    deviation = _read("budget_deviation")
    row = deviation.index[deviation.pct_source == "computed from amounts"][0]
    deviation.loc[row, "deviation_pct"] = "9.99"
    with pytest.raises(SchemaError, match="deviation_pct = 100"):
        schemas.validate(deviation, "budget_deviation")
    indicators = _read("indicators")
    indicators.loc[indicators.attainment == "met", "attainment"] = "not met"
    with pytest.raises(SchemaError, match="attainment follows"):
        schemas.validate(indicators, "indicators")
    goals = _read("goals")
    goals.loc[goals.level == "met", "rank"] = "3"
    with pytest.raises(SchemaError, match="rank is the level's rank"):
        schemas.validate(goals, "goals")
    staff = _read("staffing")
    staff.loc[staff.variable == "fte", "unit"] = "percent"
    with pytest.raises(SchemaError, match="unit matches the variable"):
        schemas.validate(staff, "staffing")


def test_regenerated_datapackage_describes_and_validates_all_tables(tmp_path, reports):
    for name in schemas.names():
        shutil.copy(PROCESSED / f"{name}.csv", tmp_path / f"{name}.csv")
    package = write_datapackage(tmp_path, reports, hashes=True)
    report = frictionless.validate(str(package))
    assert report.valid, "\n".join(f"{t}: {m}" for t, m in
                                   report.flatten(["type", "message"]))
    assert sorted(t.name for t in report.tasks) == schemas.names()
    assert package.read_bytes() == (PROCESSED / "datapackage.json").read_bytes(), (
        "data/processed/datapackage.json is out of date: run `python -m "
        "socialstudy.publish.datapackage`")


# ---- the data dictionary -----------------------------------------------------------------

@pytest.fixture(scope="module")
def dictionary_text(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "data_dictionary.md"
    return dictionary.write_dictionary(PROCESSED, path).read_text(encoding="utf-8")


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start) + len(start))]


def _meanings(text: str) -> dict[tuple[str, str], str]:
    """(table.column, value) -> meaning, as printed under "Values of `table.column`"."""
    found = {}
    for block in re.finditer(r"Values of `([a-z_]+\.[a-z_]+)`:\n\n((?:\|.*\n)+)", text):
        for row in block.group(2).splitlines()[2:]:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
            found[(block.group(1), cells[0].strip("`"))] = cells[1]
    return found


def test_dictionary_gives_each_value_the_meaning_of_its_own_column(dictionary_text):
    meanings = _meanings(dictionary_text)
    # the four meanings the value-keyed lookup got wrong (issue 11)
    assert meanings[("goals.level", "met")] == "fully attained / assignment done"
    assert meanings[("indicators.attainment", "met")] == (
        "the value reaches the target for the same year")
    assert "committee's total" in meanings[("cost_by_activity.category", "total")]
    assert "revenue" not in meanings[("cost_by_activity.category", "total")]
    assert "prose" in meanings[("staffing.status", "reported")]
    assert "sign as printed" in meanings[("facts.basis", "cost")]
    assert "positive" not in meanings[("facts.basis", "cost")]
    # and every coded value of every column is listed with that column's own label
    for name in schemas.names():
        for field in schemas.get(name)["fields"]:
            for value, entry in schemas.categories(name, field["name"]).items():
                assert meanings[(f"{name}.{field['name']}", value)] == dictionary.md(
                    entry["label"]), (name, field["name"], value)


def test_dictionary_lists_every_column_of_every_table(dictionary_text):
    for i, name in enumerate(dictionary.table_names(), start=1):
        section = _section(dictionary_text, f"### 1.{i} `{name}.csv`", "\n### ")
        assert f"- Rows: {len(_read(name))}" in section
        for field in schemas.get(name)["fields"]:
            assert re.search(rf"\| `{re.escape(field['name'])}` \| {field['type']} \|",
                             section), f"{name}.{field['name']} missing"


def _crosswalk(name: str) -> list[dict]:
    with (paths.CROSSWALKS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_swedish_label_has_a_translation(dictionary_text):
    english = translations.load_translations()
    used = {}
    for table, column in (("cost_by_type", "report_label"),
                          ("cost_by_activity", "report_label"),
                          ("indicators", "indicator"), ("goals", "goal_text"),
                          ("goals", "status_text")):
        used.update(dict.fromkeys(_read(table)[column]))
    used.update(dict.fromkeys(r["row_label"] for r in _crosswalk("staffing_map.csv")))
    used.update(dict.fromkeys(r["row_label"] for r in _crosswalk("prose_facts.csv")
                              if r["topic"] == "staffing"))
    used.pop("", None)  # a 'not mapped' row (a committee not read yet) has no label
    missing = [label for label in used if not english.get(label, "").strip()]
    assert not missing, f"add to socialstudy/crosswalks/translations.csv: {missing}"
    assert set(translations.swedish_labels(PROCESSED)) <= set(english)
    labels = _section(dictionary_text, "## 3. ", "## 4. ")
    for label in used:
        assert f"| {dictionary.md(label)} | {dictionary.md(english[label])} |" in labels


def test_translations_file_is_clean():
    rows = _crosswalk("translations.csv")
    assert list(rows[0]) == ["swedish", "english"]
    swedish = [r["swedish"] for r in rows]
    assert len(swedish) == len(set(swedish)) and swedish == sorted(swedish)
    assert all(r["english"].strip() and r["swedish"].strip() for r in rows)


def test_dictionary_kommun_codes_come_from_the_registry(dictionary_text, reports):
    kolada = _section(dictionary_text, "## 4. ", "### Terms of use")
    assert "| Haninge | `0136` |" in kolada and "| Strängnäs | `0486` |" in kolada
    rows = re.findall(r"^\| (\w+) \| `(\d{4})` \|$", kolada, re.M)
    assert sorted(rows) == sorted({(r.municipality, r.kommun_code) for r in reports})


def test_dictionary_is_deterministic_and_committed_copy_is_current(dictionary_text,
                                                                   tmp_path):
    again = dictionary.write_dictionary(PROCESSED, tmp_path / "d.md").read_text(
        encoding="utf-8")
    assert again == dictionary_text
    committed = paths.ROOT / "docs" / "data_dictionary.md"
    assert committed.read_text(encoding="utf-8") == dictionary_text, (
        "docs/data_dictionary.md is out of date: run `python -m socialstudy.publish.dictionary`")


# ---- the HTML report ---------------------------------------------------------------------

def render_html(notebooks: list[Path], folder: Path) -> list[Path]:
    """What the pipeline does: each page, then the index, dictionary and links."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_index({Path(nb).stem: render_notebook(nb, folder) for nb in notebooks},
                       folder)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    notebooks = sorted(paths.NOTEBOOKS.glob("0[1-5]_*.ipynb"))
    folder = tmp_path_factory.mktemp("html")
    return folder, render_html(notebooks, folder)


def test_pages_in_reading_order_with_previous_and_next_links(site):
    folder, written = site
    order = ["index", "05_summary", "01_extract_clean", "02_cost_structure", "03_staffing",
             "04_goals", "data_dictionary"]
    assert [p.stem for p in written] == order
    listing = re.search(r"<ol>.*</ol>", written[0].read_text(encoding="utf-8"), re.S).group(0)
    assert re.findall(r'href="(\d\d_[a-z_]+)\.html"', listing) == order[1:-1]
    for i, page in enumerate(written):
        text = page.read_text(encoding="utf-8")
        if i > 0:
            assert f'href="{order[i - 1]}.html" rel="prev"' in text, page.name
        if i + 1 < len(order):
            assert f'href="{order[i + 1]}.html" rel="next"' in text, page.name
    # the contents page has no "Previous" (it led to the data dictionary), the last no "Next"
    assert 'rel="prev"' not in written[0].read_text(encoding="utf-8")
    assert 'rel="next"' not in written[-1].read_text(encoding="utf-8")


def test_pages_work_offline_and_every_image_has_alt_text(site):
    folder, written = site
    for page in written:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text, page.name
        assert not re.search(r'(src|href)="https?://', text), page.name
        images = re.findall(r"<img [^>]*>", text)
        assert all(re.search(r'alt="[^"]+"', img) for img in images), page.name
        # every cell's input and every output can take the keyboard's focus (as
        # nbconvert's own pass marks them)
        cells = re.findall(r'<div (?:id="[^"]*" )?class="(?:jp-Cell-inputWrapper|[^"]*'
                           r'\bjp-OutputArea-output\b)[^>]*>', text)
        assert all('tabindex="0"' in c for c in cells), page.name
        assert cells or not page.name[0].isdigit(), page.name  # a notebook's page
    summary = (folder / "05_summary.html").read_text(encoding="utf-8")
    assert summary.count("data:image/png;base64") >= 5
    # Figure 5's short title is its alt text; the basis each report states (Strängnäs 2023
    # states none, 004:630) is in the note on the image and the caption under it
    assert 'alt="Figure 5. Sick leave in the selected year (%) as each report states it"' \
        in summary
    # Haninge 2024's own basis (line 466), where that report is Haninge's latest: the
    # default summary shows each committee's latest (a grown corpus may hold a newer one)
    if latest_full_year("Haninge").doc_id == "haninge_2024_ar":
        assert ("Haninge 2024: calendar year, % of ordinary working time "
                "[000_7601200e7e1b7bea.txt:466]") in summary


def latest_full_year(municipality: str):
    from socialstudy.core.registry import load_registry
    return max((r for r in load_registry() if r.municipality == municipality
                and r.period == "full_year"), key=lambda r: r.fiscal_year)


def test_the_dictionary_is_a_page(site):
    folder, _ = site
    page = (folder / "data_dictionary.html").read_text(encoding="utf-8")
    assert "<table>" in page and "fully attained / assignment done" in page
    assert ".md" not in (folder / "index.html").read_text(encoding="utf-8")


def test_html_is_byte_identical_whatever_the_cell_ids(tmp_path):
    import nbformat  # here: the one test that reads a notebook (a collection need not)
    notebook = nbformat.read(SUMMARY, as_version=4)
    for cell in notebook.cells:
        cell["id"] = uuid.uuid4().hex[:8]  # as papermill gives its injected cell
    nbformat.write(notebook, tmp_path / "05_summary.ipynb")
    first = render_html([SUMMARY], tmp_path / "a")
    second = render_html([tmp_path / "05_summary.ipynb"], tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two renderings"
    page = first[1].read_text(encoding="utf-8")
    assert "personnel share of gross cost" in page and re.search(r"<h2[^>]*>Caveats", page)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page)  # no timestamps


# ---- the figure index --------------------------------------------------------------------

def _figure_index() -> list[dict]:
    with (FIGURES / "index.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_figure_file_is_in_the_index():
    listed = {name for row in _figure_index() for name in row["figure"].split(";")}
    on_disk = {p.name for p in FIGURES.iterdir() if p.suffix in (".png", ".svg")}
    assert on_disk and on_disk <= listed, f"not in figures/index.csv: {on_disk - listed}"
    assert listed <= on_disk, f"listed but missing: {listed - on_disk}"


@pytest.mark.parametrize("row", _figure_index(), ids=lambda r: r["figure"].split(".")[0])
def test_figure_index_rows_name_real_things(figures, row):
    assert (paths.NOTEBOOKS / row["notebook"]).is_file(), row["notebook"]
    module, _, function = row["function"].rpartition(".")
    assert module == "socialstudy.figures"
    assert callable(getattr(importlib.import_module(module), function, None)), function
    assert callable(getattr(figures, function))
    for table in row["tables"].split(";"):
        assert (paths.ROOT / table).is_file(), table
        assert Path(table).parent == Path("data/processed")
