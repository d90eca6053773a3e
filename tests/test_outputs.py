"""The study's published outputs: the 11 processed tables against their schemas and as a
Frictionless Data Package, the data dictionary, the HTML report and the figure index."""

import csv
import importlib
import re
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from socialstudy import compare, dictionary, figures, paths, schemas
from socialstudy.datapackage import write_datapackage
from socialstudy.errors import SchemaError
from socialstudy.report import render_html

PROCESSED = paths.Outputs().processed
FIGURES = paths.Outputs().figures
ALL_TABLES = ("tables", "facts", "rejects", "cells", "quality", "cost_by_type",
              "cost_by_activity", "budget_deviation", "staffing", "goals", "indicators")
COMPARISON = ALL_TABLES[5:]
SUMMARY = paths.NOTEBOOKS / "05_summary.ipynb"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / f"{name}.csv", dtype=str, keep_default_na=False)


# ---- schemas and the data package --------------------------------------------------------

def test_all_eleven_tables_have_a_schema():
    assert set(schemas.names()) == set(ALL_TABLES)


@pytest.mark.parametrize("name", ALL_TABLES)
def test_committed_csv_validates_against_its_schema(name):
    assert (PROCESSED / f"{name}.csv").exists(), f"data/processed/{name}.csv is not committed"
    schemas.validate(_read(name), name)
    schemas.validate(pd.read_csv(PROCESSED / f"{name}.csv"), name)  # default dtypes, NaN


@pytest.mark.parametrize("name", COMPARISON)
def test_schema_columns_are_the_committed_columns_in_order(name):
    with (PROCESSED / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == schemas.columns(name)


@pytest.mark.parametrize("name", COMPARISON)
def test_primary_key_is_unique_on_committed_data(name):
    key = schemas.get(name)["primary_key"]
    assert key and not _read(name).duplicated(key).any()


def test_comparison_tables_from_the_pipeline_validate(facts, reports):
    """What write_csv will be given in notebooks 02-04 passes the schemas."""
    cfacts = facts.assign(number=facts.value.astype(float))
    activity = compare.cost_by_activity(cfacts, reports)
    frames = {"cost_by_type": compare.cost_by_type(cfacts, reports),
              "cost_by_activity": activity,
              "budget_deviation": compare.budget_deviation(activity, cfacts),
              "staffing": compare.staffing(cfacts, reports),
              "goals": compare.goals(reports), "indicators": compare.indicators(cfacts)}
    for name, frame in frames.items():
        schemas.validate(frame, name)


def test_vocabularies_match_the_committed_data():
    staffing = _read("staffing")
    assert set(staffing.status) == {"reported", "not reported"}
    assert set(staffing.variable) <= set(compare.STAFFING_VARIABLES) | set(
        schemas.STAFFING_VARIABLE_MEANINGS)
    enum = schemas.get("staffing")["fields"][schemas.columns("staffing").index("variable")]
    assert set(compare.STAFFING_VARIABLES) <= set(enum["constraints"]["enum"])
    assert list(schemas.GOAL_LEVELS) == ["met", "largely_met", "partly_met", "not_met",
                                         "not_assessed"]
    assert list(schemas.FLOWS) == ["cost", "revenue", "total"]


def test_a_not_reported_row_needs_a_reason():
    staffing = _read("staffing")
    row = staffing.index[staffing.status == "not reported"][0]
    staffing.loc[row, "reason"] = ""
    with pytest.raises(SchemaError, match="non-empty reason") as info:
        schemas.validate(staffing, "staffing")
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
    goals.loc[0, "level"] = "done"
    with pytest.raises(SchemaError, match="enum"):
        schemas.validate(goals, "goals")


def test_regenerated_datapackage_describes_and_validates_all_tables(tmp_path, reports):
    for name in ALL_TABLES:
        shutil.copy(PROCESSED / f"{name}.csv", tmp_path / f"{name}.csv")
    package = write_datapackage(tmp_path, reports, hashes=True)
    report = frictionless.validate(str(package))
    assert report.valid, "\n".join(f"{t}: {m}" for t, m in
                                   report.flatten(["type", "message"]))
    assert sorted(t.name for t in report.tasks) == sorted(ALL_TABLES)
    descriptor = frictionless.Package(str(package))
    for resource in descriptor.resources:
        assert resource.schema.primary_key == schemas.get(resource.name)["primary_key"]
        assert all(f.description for f in resource.schema.fields)


# ---- the data dictionary -----------------------------------------------------------------

@pytest.fixture(scope="module")
def dictionary_text(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "data_dictionary.md"
    return dictionary.write_dictionary(PROCESSED, path).read_text(encoding="utf-8")


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_dictionary_lists_every_column_of_every_table(dictionary_text):
    for i, name in enumerate(ALL_TABLES, start=1):
        section = _section(dictionary_text, f"### 1.{i} `{name}.csv`", "\n### ")
        for field in schemas.get(name)["fields"]:
            assert re.search(rf"\| `{re.escape(field['name'])}` \| {field['type']} \|",
                             section), f"{name}.{field['name']} missing"


def test_dictionary_lists_every_category(dictionary_text):
    categories = _section(dictionary_text, "## 2. Harmonized", "## 3. ")
    values = set(schemas.COST_CATEGORIES) | set(schemas.ACTIVITY_CATEGORIES) | set(
        schemas.GOAL_LEVELS) | set(schemas.STAFFING_VARIABLE_MEANINGS) | set(
        schemas.SCOPE_CLASSES) | set(schemas.PERIODS) | set(schemas.FITS)
    for name in COMPARISON:
        for field in schemas.get(name)["fields"]:
            values |= set(field.get("constraints", {}).get("enum", []))
    values |= {r["measure"] for r in _crosswalk("measures.csv")}
    values |= {r["category"] for r in _crosswalk("cost_types.csv")}
    values |= {r["category"] for r in _crosswalk("activities.csv")}
    values |= {r["level"] for r in _crosswalk("goal_levels.csv")}
    for value in sorted(values):
        assert f"`{value}`" in categories, f"category {value!r} missing"
    for row in _crosswalk("goal_levels.csv"):
        assert dictionary.code(row["pattern"]) in categories
    for row in _crosswalk("cost_types.csv"):  # Kommun-Bas groups of every mapped line
        assert dictionary.md(row["kommun_bas"]) in categories
    # no meaning left blank in the table of coded values
    coded = _section(dictionary_text, "### 2.9", "## 3. ")
    assert not re.search(r"\| — \|\s*$", coded, re.M)


def _crosswalk(name: str) -> list[dict]:
    with (paths.CROSSWALKS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_swedish_label_has_a_translation(dictionary_text):
    translations = dictionary.load_translations()
    used = {}
    for table, column in (("cost_by_type", "report_label"),
                          ("cost_by_activity", "report_label"),
                          ("indicators", "indicator"), ("goals", "goal_text"),
                          ("goals", "status_text")):
        used.update(dict.fromkeys(_read(table)[column]))
    used.update(dict.fromkeys(r["row_label"] for r in _crosswalk("staffing_map.csv")))
    used.update(dict.fromkeys(r["row_label"] for r in _crosswalk("prose_facts.csv")
                              if r["topic"] == "staffing"))
    missing = [label for label in used if not translations.get(label, "").strip()]
    assert not missing, f"add to socialstudy/crosswalks/translations.csv: {missing}"
    assert dictionary.missing_translations(PROCESSED) == []
    labels = _section(dictionary_text, "## 3. ", "## 4. ")
    for label in used:
        assert f"| {dictionary.md(label)} | {dictionary.md(translations[label])} |" in labels


def test_translations_file_is_clean():
    rows = _crosswalk("translations.csv")
    assert list(rows[0]) == ["swedish", "english"]
    swedish = [r["swedish"] for r in rows]
    assert len(swedish) == len(set(swedish)) and swedish == sorted(swedish)
    assert all(r["english"].strip() and r["swedish"].strip() for r in rows)


def test_dictionary_has_the_kolada_comparison(dictionary_text):
    kolada = _section(dictionary_text, "## 4. ", "### Terms of use")
    for kpi in ("N00090", "N00091", "N00216", "N30005", "N31008", "N28016", "N20014"):
        assert kpi in kolada
    for code in ("0136", "0126", "0486"):
        assert f"`{code}`" in kolada
    assert "Källa: Kolada" in dictionary_text


def test_dictionary_is_deterministic_and_committed_copy_is_current(dictionary_text,
                                                                   tmp_path):
    again = dictionary.write_dictionary(PROCESSED, tmp_path / "d.md").read_text(
        encoding="utf-8")
    assert again == dictionary_text
    committed = paths.ROOT / "docs" / "data_dictionary.md"
    assert committed.read_text(encoding="utf-8") == dictionary_text, (
        "docs/data_dictionary.md is out of date: run `python -m socialstudy.dictionary`")


# ---- the HTML report ---------------------------------------------------------------------

def test_summary_renders_to_self_contained_deterministic_html(tmp_path):
    first = render_html([SUMMARY], tmp_path / "a")
    second = render_html([SUMMARY], tmp_path / "b")
    assert [p.name for p in first] == ["index.html", "05_summary.html"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two renderings"
    page = (tmp_path / "a" / "05_summary.html").read_text(encoding="utf-8")
    assert "personnel share of gross cost" in page  # the key-figures table
    assert page.count("data:image/png;base64") >= 5
    assert re.search(r"<h2[^>]*>Caveats", page)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page)  # no timestamps


def test_index_lists_the_summary_first(tmp_path):
    notebooks = sorted(paths.NOTEBOOKS.glob("0[1-5]_*.ipynb"))
    written = render_html(notebooks, tmp_path)
    index = written[0].read_text(encoding="utf-8")
    links = re.findall(r'href="(\d\d_[a-z_]+)\.html"', index)
    assert links == ["05_summary", "01_extract_clean", "02_cost_structure", "03_staffing",
                     "04_goals"]
    assert all((tmp_path / f"{link}.html").exists() for link in links)


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
def test_figure_index_rows_name_real_things(row):
    assert (paths.NOTEBOOKS / row["notebook"]).is_file(), row["notebook"]
    module, _, function = row["function"].rpartition(".")
    assert module == "socialstudy.figures"
    assert callable(getattr(importlib.import_module(module), function, None)), function
    assert callable(getattr(figures, function))
    for table in row["tables"].split(";"):
        assert (paths.ROOT / table).is_file(), table
        assert Path(table).parent == Path("data/processed")
