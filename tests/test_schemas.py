"""The schema files (socialstudy/schemas/*.yaml), validation on write, and the Frictionless
Data Package built from them (socialstudy.publish.datapackage)."""

import json
import shutil
import subprocess
import sys

import frictionless
import pandas as pd
import pytest

from socialstudy import paths
from socialstudy.core import schemas
from socialstudy.core.schemas import write_csv
from socialstudy.errors import SchemaError
from socialstudy.extract.extraction import TABLE_COLUMNS, write_extraction
from socialstudy.extract.rows import CELL_COLUMNS, FACT_COLUMNS, ISSUE_COLUMNS, REJECT_COLUMNS
from socialstudy.publish import dictionary
from socialstudy.publish.datapackage import write_datapackage

TABLES = ("tables", "facts", "rejects", "cells", "quality")


def _report_errors(report) -> str:
    return "\n".join(f"{t}: {m}" for t, m in report.flatten(["type", "message"]))


def _error(frame, name="facts") -> SchemaError:
    with pytest.raises(SchemaError) as info:
        schemas.validate(frame, name)
    return info.value


@pytest.mark.parametrize("name", TABLES)
def test_real_outputs_validate(extraction, name):
    schemas.validate(getattr(extraction, name), name)


def test_schemas_match_the_pipeline_columns():
    # until clean.py and build.py read their columns from schemas.columns()
    assert schemas.columns("facts") == FACT_COLUMNS
    assert schemas.columns("rejects") == REJECT_COLUMNS
    assert schemas.columns("cells") == CELL_COLUMNS
    assert schemas.columns("quality") == ISSUE_COLUMNS
    assert schemas.columns("tables") == TABLE_COLUMNS


@pytest.mark.parametrize("name", schemas.names())
def test_schema_file_is_a_valid_table_schema_with_sound_rules(name):
    report = frictionless.Schema.validate_descriptor(schemas.table_schema(name))
    assert report.valid, _report_errors(report)
    spec = schemas.get(name)
    assert set(spec["primaryKey"]) <= set(schemas.columns(name))
    for rule in spec["rules"]:
        assert set(rule) <= {"rule", "check", "unique", "where"}, rule
        assert ("check" in rule) != ("unique" in rule), rule
        assert set(rule.get("unique", [])) <= set(schemas.columns(name)), rule


def test_the_declarative_layer_does_not_import_the_analysis():
    code = ("import sys; import socialstudy.core.schemas, socialstudy.publish.dictionary, "
            "socialstudy.publish.datapackage; print(sorted(m for m in sys.modules "
            "if m.startswith('socialstudy.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert "socialstudy.measures.compare" not in loaded and "socialstudy.figures" not in loaded


def test_facts_primary_key_is_unique_on_real_data(facts):
    assert not facts.duplicated(schemas.get("facts")["primaryKey"]).any()
    table = facts[facts.source_kind == "table"]
    assert not table.duplicated(["doc_id", "source_line", "source_col"]).any()


def test_two_table_facts_from_one_cell_are_refused(facts):
    row = facts.index[facts.source_kind == "table"][0]
    extra = facts.loc[[row]].assign(row_label="Another label", measure="budget")
    error = _error(pd.concat([facts, extra], ignore_index=True))
    assert error.column == "doc_id, source_line, source_col"
    assert "a table cell gives one fact" in error.rule
    assert error.violations[0].rows == [row, len(facts)]


def test_bad_unit_names_table_column_row_and_value(facts):
    bad = facts.copy()
    bad.loc[7, "unit"] = "kronor"
    error = _error(bad)
    text = str(error)
    assert (error.table, error.column) == ("facts", "unit") and "enum" in error.rule
    assert text.startswith("facts.csv: table 'facts'") and "unit='kronor'" in text
    assert (f"row 7 (csv record 9, doc_id={bad.doc_id[7]}, source_line={bad.source_line[7]})"
            in text)


def test_duplicate_key_is_refused(facts):
    error = _error(pd.concat([facts, facts.iloc[[3]]], ignore_index=True))
    assert error.column == ", ".join(schemas.get("facts")["primaryKey"])
    assert "primary key" in error.rule and error.violations[0].rows == [len(facts)]
    assert f"source_line='{facts.source_line[3]}'" in str(error)


def test_fiscal_year_1890_is_refused(facts):
    bad = facts.copy()
    bad.loc[0, "fiscal_year"] = 1890
    error = _error(bad)
    assert error.column == "fiscal_year" and "minimum" in error.rule and "2000" in error.rule
    assert "fiscal_year='1890'" in str(error) and "row 0 (csv record 2" in str(error)


def test_non_numeric_value_is_refused(facts):
    bad = facts.copy()
    bad.loc[2, "value"] = "1 243,4"
    error = _error(bad)
    assert error.column == "value" and error.rule.startswith("type-error")
    assert "value='1 243,4'" in str(error)


def test_all_broken_rules_are_listed_with_at_most_five_rows(facts):
    bad = facts.copy()
    bad["period"] = "whole_year"
    bad.loc[1, "source_line"] = 0
    error = _error(bad)
    assert {v.column for v in error.violations} == {"period", "source_line"}
    period = next(v for v in error.violations if v.column == "period")
    assert len(period.rows) == len(bad) and period.detail.count("period='whole_year'") == 5
    assert f"and {len(bad) - 5} more" in period.detail


def test_wrong_columns_are_refused(facts):
    error = _error(facts.drop(columns=["note"]))
    assert error.column == "note" and "columns" in error.rule
    assert "order" in _error(facts[list(reversed(facts.columns))]).column


def test_cross_column_rules(extraction):
    prose = extraction.facts.copy()
    row = prose.index[prose.source_kind == "prose"][0]
    prose.loc[row, "table_id"] = f"{prose.doc_id[row]}:L0001"
    error = _error(prose)
    assert "prose" in error.rule and error.violations[0].rows == [row]
    quality = extraction.quality.copy()
    row = quality.index[quality.check == "crossfoot"][0]
    quality.loc[row, "difference"] = "12345"
    assert "difference = actual - expected" in _error(quality, "quality").rule
    tables = extraction.tables.copy()
    tables.loc[4, "table_id"] = f"{tables.doc_id[4]}:L9999"
    error = _error(tables, "tables")
    assert "<first_line, 4 digits>" in error.rule and error.violations[0].rows == [4]


def test_write_csv_refuses_an_invalid_frame(facts, tmp_path):
    bad = facts.copy()
    bad.loc[0, "source_kind"] = "pdf"
    with pytest.raises(SchemaError, match="source_kind"):
        write_csv(bad, tmp_path / "facts.csv")
    assert not (tmp_path / "facts.csv").exists()
    write_csv(facts, tmp_path / "facts.csv")
    write_csv(pd.DataFrame({"anything": [1]}), tmp_path / "undeclared.csv")  # no schema


NEW_TABLE = """title: Demo
description: A table added later by its own YAML file only.
primaryKey: [municipality, fiscal_year]
fields:
- {name: municipality, type: string, description: Municipality., constraints: {required: true}}
- {name: fiscal_year, type: integer, description: Year., constraints: {required: true}}
- name: fte
  type: number
  description: Full-time equivalents.
  unit: FTE
  constraints: {required: true, minimum: 0}
- name: basis
  type: string
  description: What fte counts.
  categories:
  - {value: staff, label: the committee's own staff}
rules:
- rule: fte below 10000
  check: fte < 10000
"""


@pytest.fixture
def new_table(tmp_path, monkeypatch):
    """The schema folder plus one new table ``demo``."""
    folder = tmp_path / "schemas"
    shutil.copytree(schemas.SCHEMA_DIR, folder)
    (folder / "demo.yaml").write_text(NEW_TABLE, encoding="utf-8")
    monkeypatch.setattr(schemas, "SCHEMA_DIR", folder)
    schemas.get.cache_clear()
    yield folder
    schemas.get.cache_clear()


def test_a_new_table_needs_only_its_yaml_file(new_table, tmp_path, reports):
    frame = pd.DataFrame({"municipality": ["Haninge"], "fiscal_year": [2024],
                          "fte": ["812.5"], "basis": ["staff"]})
    processed = tmp_path / "processed"
    write_csv(frame, processed / "demo.csv")
    with pytest.raises(SchemaError, match="demo.*fte.*minimum"):
        write_csv(frame.assign(fte=-1), processed / "demo.csv")
    with pytest.raises(SchemaError, match="rule 'fte below 10000'.*fte='12000'"):
        schemas.validate(frame.assign(fte=12000), "demo")
    package = json.loads(write_datapackage(processed, reports).read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["demo"]
    assert "demo" in dictionary.table_names()


def test_a_rule_that_cannot_run_names_its_file(new_table):
    text = NEW_TABLE.replace("check: fte < 10000", "check: fte < undefined_name")
    (new_table / "demo.yaml").write_text(text, encoding="utf-8")
    frame = pd.DataFrame({"municipality": ["Haninge"], "fiscal_year": [2024],
                          "fte": ["1"], "basis": [""]})
    with pytest.raises(SchemaError, match="demo.yaml.*fte below 10000"):
        schemas.validate(frame, "demo")


# ---- the data package ------------------------------------------------------------------

@pytest.fixture(scope="module")
def package(tmp_path_factory, reports, extraction):
    """A fresh build of the processed tables and their datapackage.json in a tmp folder."""
    outputs = paths.Outputs(tmp_path_factory.mktemp("study"))
    write_extraction(extraction, outputs)
    return write_datapackage(outputs.processed, reports, hashes=True)


def test_datapackage_validates_with_frictionless(package):
    report = frictionless.validate(str(package))
    assert report.valid, _report_errors(report)
    assert {t.name for t in report.tasks} == set(TABLES)


def test_committed_datapackage_validates():
    report = frictionless.validate(str(paths.Outputs().processed / "datapackage.json"))
    assert report.valid, ("data/processed/datapackage.json does not match the CSVs beside it; "
                          "rebuild it with `python -m socialstudy.publish.datapackage`\n"
                          + _report_errors(report))


def test_datapackage_content_and_determinism(package, reports):
    text = package.read_text(encoding="utf-8")
    descriptor = json.loads(text)
    assert write_datapackage(package.parent, reports, hashes=True).read_text(
        encoding="utf-8") == text
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0
               for r in descriptor["resources"])
    assert [r["name"] for r in descriptor["resources"]] == sorted(TABLES)
    assert {s["doc_id"]: s["sha256"] for s in descriptor["sources"]} == {
        r.doc_id: r.sha256 for r in reports}
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    basis = next(f for f in facts["schema"]["fields"] if f["name"] == "basis")
    assert basis["constraints"]["enum"] == ["cost", "net", "revenue"]
    assert {c["value"]: c["label"] for c in basis["categories"]}["cost"] == (
        "the column gives gross costs (sign as printed)")


def test_datapackage_ignores_subfolders_and_refuses_undeclared_tables(package, tmp_path,
                                                                      reports):
    folder = tmp_path / "copy"
    shutil.copytree(package.parent, folder)
    (folder / "selection").mkdir()
    shutil.copy(folder / "facts.csv", folder / "selection" / "facts.csv")
    descriptor = json.loads(write_datapackage(folder, reports).read_text(encoding="utf-8"))
    assert all("/" not in r["path"] for r in descriptor["resources"])
    (folder / "scratch.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="scratch.csv has no schema"):
        write_datapackage(folder, reports)


def test_datapackage_catches_a_changed_csv(package, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(package.parent, folder)
    facts = folder / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(",tkr,tkr,", ",tkrr,tkr,", 1),
                     encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert {"constraint-error", "hash-count"} <= {t for t, in report.flatten(["type"])}


def test_a_schema_that_is_not_yaml_names_its_file_and_line(new_table):
    """An unquoted ': ' in a description (as budget_deviation.yaml's source_line once had:
    "(computed, or 'not reported': …") stopped notebook 02 with 'ScannerError … in
    "<unicode string>", line 63', naming no file."""
    path = new_table / "budget_deviation.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "- name: source_line")
    lines[at + 2] = "  description: Raw-file line (or 'not reported': none) of the total row."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        schemas.get("budget_deviation")
    assert caught.value.file == str(path) and caught.value.line == at + 3
    assert "not valid YAML" in str(caught.value)
