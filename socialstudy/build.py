"""Run the extraction and cleaning step and write its tables deterministically."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths, schemas
from .clean import (CELL_COLUMNS, FACT_COLUMNS, ISSUE_COLUMNS, REJECT_COLUMNS, CleanResult,
                    clean_table, load_measures, load_overrides)
from .extract import Table, extract_tables
from .prose import prose_facts
from .quality import crossfoot
from .registry import Report, load_registry

TABLE_COLUMNS = ["doc_id", "table_id", "kind", "title", "title_line", "first_line",
                 "last_line", "n_header_rows", "n_rows", "n_cols", "unit"]


@dataclass
class Extraction:
    tables: pd.DataFrame
    facts: pd.DataFrame
    rejects: pd.DataFrame
    cells: pd.DataFrame
    quality: pd.DataFrame


def extract_and_clean(reports: list[Report] | None = None) -> Extraction:
    """All reports -> tables inventory, facts (tables + prose), rejects, cells, quality."""
    reports = load_registry() if reports is None else reports
    overrides, measures = load_overrides(), load_measures()
    result, inventory = CleanResult(), []
    for report in reports:
        for table in extract_tables(report):
            clean_table(table, report, result, overrides, measures)
            crossfoot(table, report, overrides.get((report.doc_id, table.first_line)), result)
            inventory.append(_inventory_row(table))
    result.facts.extend(prose_facts(reports))
    return Extraction(
        tables=_frame(inventory, TABLE_COLUMNS, ["doc_id", "first_line"]),
        facts=_frame(result.facts, FACT_COLUMNS,
                     ["doc_id", "source_line", "source_col", "source_kind", "row_label"]),
        rejects=_frame(result.rejects, REJECT_COLUMNS, ["doc_id", "source_line", "source_col"]),
        cells=_frame(result.cells, CELL_COLUMNS, ["doc_id", "source_line", "source_col"]),
        quality=_frame(result.issues, ISSUE_COLUMNS,
                       ["doc_id", "source_line", "check", "column_label"]))


def _inventory_row(table: Table) -> dict:
    return {"doc_id": table.doc_id, "table_id": table.table_id, "kind": table.kind,
            "title": table.title, "title_line": table.title_line or "",
            "first_line": table.first_line, "last_line": table.last_line,
            "n_header_rows": len(table.header), "n_rows": len(table.rows),
            "n_cols": table.n_cols, "unit": table.unit}


def _frame(rows: list[dict], columns: list[str], keys: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(keys, kind="mergesort").reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Byte-stable CSV: UTF-8, LF, minimal quoting, no index; values already formatted.
    A table with a declared schema (socialstudy.schemas, by file stem) is validated first:
    a frame that breaks it raises SchemaError and nothing is written."""
    schemas.validate_if_declared(frame, path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL,
                 encoding="utf-8")
    return path


def write_extraction(extraction: Extraction, outputs: paths.Outputs) -> list[Path]:
    processed = outputs.ensure().processed
    return [write_csv(getattr(extraction, name), processed / f"{name}.csv")
            for name in ("tables", "facts", "rejects", "cells", "quality")]
