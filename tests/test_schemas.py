"""Declared schemas of the processed tables (socialstudy.schemas) and the Frictionless
Data Package that publishes them (socialstudy.datapackage)."""

import json
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from socialstudy import paths, schemas
from socialstudy.build import TABLE_COLUMNS, write_csv, write_extraction
from socialstudy.clean import CELL_COLUMNS, FACT_COLUMNS, ISSUE_COLUMNS, REJECT_COLUMNS
from socialstudy.datapackage import write_datapackage
from socialstudy.errors import SchemaError

TABLES = ("tables", "facts", "rejects", "cells", "quality")
PROCESSED = paths.Outputs().processed


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _report_errors(report) -> str:
    return "\n".join(f"{t}: {m}" for t, m in report.flatten(["type", "message"]))


@pytest.mark.parametrize("name", TABLES)
def test_real_outputs_validate(extraction, name):
    schemas.validate(getattr(extraction, name), name)


@pytest.mark.parametrize("name", TABLES)
def test_committed_csvs_validate(name):
    path = PROCESSED / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"{path} not built")
    schemas.validate(_read(path), name)
    schemas.validate(pd.read_csv(path), name)  # default dtypes and NaN for empty cells


def test_schemas_match_the_pipeline_columns():
    assert schemas.columns("facts") == FACT_COLUMNS
    assert schemas.columns("rejects") == REJECT_COLUMNS
    assert schemas.columns("cells") == CELL_COLUMNS
    assert schemas.columns("quality") == ISSUE_COLUMNS
    assert schemas.columns("tables") == TABLE_COLUMNS


def test_every_column_is_described_and_frictionless_accepts_the_schema():
    for name in schemas.names():
        spec = schemas.get(name)
        assert spec["title"] and spec["description"] and spec["primary_key"]
        assert all(f["description"] for f in spec["fields"])
        schema = schemas.frictionless_schema(name)
        assert schema.field_names == schemas.columns(name)
        assert schema.primary_key == spec["primary_key"]


def test_facts_primary_key_is_unique_on_real_data(facts):
    key = schemas.get("facts")["primary_key"]
    assert key == ["doc_id", "source_kind", "source_line", "source_col", "row_label"]
    assert not facts.duplicated(key).any()
    table = facts[facts.source_kind == "table"]
    assert not table.duplicated(["doc_id", "source_line", "source_col"]).any()


def test_two_table_facts_from_one_cell_are_refused(facts):
    bad = facts.copy()
    row = bad.index[bad.source_kind == "table"][0]
    extra = bad.loc[[row]].assign(row_label="Another label", measure="budget")
    error = _error(pd.concat([bad, extra], ignore_index=True))
    assert error.column == "doc_id, source_line, source_col"
    assert "a table cell gives one fact" in error.rule and len(error.violations) == 1


def _error(frame, name="facts") -> SchemaError:
    with pytest.raises(SchemaError) as info:
        schemas.validate(frame, name)
    return info.value


def test_bad_unit_names_table_column_and_row(facts):
    bad = facts.copy()
    bad.loc[7, "unit"] = "kronor"
    error = _error(bad)
    text = str(error)
    assert (error.table, error.column) == ("facts", "unit") and "enum" in error.rule
    assert "'facts'" in text and "column 'unit'" in text and "unit='kronor'" in text
    assert f"row 7 (csv line 9, doc_id={bad.doc_id[7]}, source_line={bad.source_line[7]})" \
        in text


def test_duplicate_key_is_refused(facts):
    bad = pd.concat([facts, facts.iloc[[3]]], ignore_index=True)
    error = _error(bad)
    assert error.column == ", ".join(schemas.FACTS_KEY) and "primary key" in error.rule
    assert error.violations[0].rows == [3, len(facts)]
    assert f"source_line='{facts.source_line[3]}'" in str(error)


def test_fiscal_year_1890_is_refused(facts):
    bad = facts.copy()
    bad.loc[0, "fiscal_year"] = 1890
    error = _error(bad)
    assert (error.column, error.rule) == ("fiscal_year", "minimum 2000")
    assert "fiscal_year='1890'" in str(error) and "row 0 (csv line 2" in str(error)


def test_non_numeric_value_is_refused(facts):
    bad = facts.copy()
    bad.loc[2, "value"] = "1 243,4"
    error = _error(bad)
    assert (error.column, error.rule) == ("value", "type number")
    assert "value='1 243,4'" in str(error)


def test_all_broken_rules_are_listed_with_at_most_five_rows(facts):
    bad = facts.copy()
    bad["period"] = "whole_year"
    bad.loc[1, "source_line"] = 0
    error = _error(bad)
    assert {(v.column, v.rule.split()[0]) for v in error.violations} == {
        ("period", "enum"), ("source_line", "minimum")}
    period = next(v for v in error.violations if v.column == "period")
    assert len(period.rows) == len(bad) and period.detail.count("period='whole_year'") == 5
    assert f"and {len(bad) - 5} more" in period.detail


def test_wrong_columns_are_refused(facts):
    error = _error(facts.drop(columns=["note"]))
    assert error.column == "note" and "columns" in error.rule
    error = _error(facts[list(reversed(facts.columns))])
    assert "order" in error.column


def test_cross_column_rules(extraction):
    prose = extraction.facts.copy()
    row = prose.index[prose.source_kind == "prose"][0]
    prose.loc[row, "table_id"] = f"{prose.doc_id[row]}:L0001"
    assert "prose" in _error(prose).rule
    quality = extraction.quality.copy()
    row = quality.index[quality.check == "crossfoot"][0]
    quality.loc[row, "difference"] = "12345"
    assert "difference = actual - expected" in _error(quality, "quality").rule


def test_write_csv_refuses_an_invalid_frame(facts, tmp_path):
    bad = facts.copy()
    bad.loc[0, "source_kind"] = "pdf"
    with pytest.raises(SchemaError, match="source_kind"):
        write_csv(bad, tmp_path / "facts.csv")
    assert not (tmp_path / "facts.csv").exists()
    write_csv(facts, tmp_path / "facts.csv")
    write_csv(pd.DataFrame({"anything": [1]}), tmp_path / "undeclared.csv")  # no schema


def test_more_tables_can_be_registered(monkeypatch):
    monkeypatch.setattr(schemas, "SCHEMAS", dict(schemas.SCHEMAS))
    schemas.register("staffing_demo", {
        "title": "Demo", "description": "A table added by a later step.",
        "primary_key": ["municipality", "fiscal_year"],
        "fields": [schemas.common("municipality"), schemas.common("fiscal_year"),
                   {"name": "fte", "type": "number", "description": "Full-time equivalents",
                    "unit": "FTE", "constraints": {"required": True, "minimum": 0}}],
    })
    schemas.validate(pd.DataFrame({"municipality": ["Haninge"], "fiscal_year": [2024],
                                   "fte": ["812.5"]}), "staffing_demo")
    with pytest.raises(SchemaError, match="staffing_demo.*fte.*minimum 0"):
        schemas.validate(pd.DataFrame({"municipality": ["Haninge"], "fiscal_year": [2024],
                                       "fte": [-1]}), "staffing_demo")
    with pytest.raises(ValueError, match="unsupported constraints"):
        schemas.register("broken", {"title": "x", "description": "x", "fields": [
            {"name": "a", "type": "string", "description": "x",
             "constraints": {"format": "email"}}]})


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
    path = PROCESSED / "datapackage.json"
    if not path.exists():
        pytest.skip("data/processed/datapackage.json not built")
    report = frictionless.validate(str(path))
    assert report.valid, ("data/processed/datapackage.json does not match the CSVs beside it; "
                          "rebuild it with `python -m socialstudy.datapackage`\n"
                          + _report_errors(report))


def test_datapackage_content_and_determinism(package, reports):
    text = package.read_text(encoding="utf-8")
    descriptor = json.loads(text)
    assert text.endswith("}\n") and text == json.dumps(
        descriptor, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert write_datapackage(package.parent, reports, hashes=True).read_text(
        encoding="utf-8") == text
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0
               for r in descriptor["resources"])
    assert [r["name"] for r in descriptor["resources"]] == sorted(TABLES)
    assert {s["doc_id"]: s["sha256"] for s in descriptor["sources"]} == {
        r.doc_id: r.sha256 for r in reports}
    assert descriptor["licenses"][0]["name"] == "MIT" and "MIT" in descriptor["licenseNote"]
    assert descriptor["contributors"] and descriptor["title"] and descriptor["description"]
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    assert facts["schema"]["primaryKey"] == schemas.get("facts")["primary_key"]
    value = next(f for f in facts["schema"]["fields"] if f["name"] == "value")
    assert value["type"] == "number" and "unit" in value and value["description"]
    assert "time" not in text.lower().replace("point_in_time", "")


def test_datapackage_catches_a_changed_csv(package, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    for path in package.parent.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    facts = folder / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(",tkr,tkr,", ",tkrr,tkr,", 1),
                     encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert {"constraint-error", "hash-count"} <= {t for t, in report.flatten(["type"])}
