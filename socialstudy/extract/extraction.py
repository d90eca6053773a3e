"""Run the extraction and cleaning step and write its tables deterministically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from socialstudy import paths
from socialstudy.core.registry import Report, load_registry
from socialstudy.core.schemas import write_csv
from socialstudy.extract.clean import CleanResult, clean_table
from socialstudy.extract.columns import load_measures
from socialstudy.extract.layout_tables import layout_tables
from socialstudy.extract.overrides import load_override_rows, match_overrides
from socialstudy.extract.pool import read_all
from socialstudy.extract.prose import load_prose_rows, match_report
from socialstudy.extract.quality import crossfoot
from socialstudy.extract.rows import (
    CELL_COLUMNS,
    FACT_COLUMNS,
    ISSUE_COLUMNS,
    REJECT_COLUMNS,
    Cell,
    Fact,
    Issue,
    Reject,
    records,
)
from socialstudy.extract.tables import Table, extract_tables, read_lines, spaced_columns

TABLE_COLUMNS = ["doc_id", "table_id", "kind", "title", "title_line", "first_line",
                 "last_line", "n_header_rows", "n_rows", "n_cols", "unit"]


@dataclass
class Extraction:
    tables: pd.DataFrame
    facts: pd.DataFrame
    rejects: pd.DataFrame
    cells: pd.DataFrame
    quality: pd.DataFrame


def extract_and_clean(reports: list[Report] | None = None, workers: int | None = None
                      ) -> Extraction:
    """All reports -> tables inventory, facts (tables + prose), rejects, cells, quality.
    Each report is read once and handled on its own, so time grows linearly with the
    corpus; a large corpus is shared out to processes (``extract.pool``), and the tables
    are the same, byte for byte, whatever their number."""
    reports = load_registry() if reports is None else reports
    crosswalks = load_crosswalks()  # read and checked here, before any worker starts
    parts = read_all(report_records, load_crosswalks, reports, workers, crosswalks)
    inventory, facts, rejects, cells, issues = ([row for part in parts for row in part[k]]
                                                for k in range(5))
    return Extraction(
        tables=_frame(inventory, TABLE_COLUMNS, ["doc_id", "first_line"]),
        facts=_frame(facts, FACT_COLUMNS,
                     ["doc_id", "source_line", "source_col", "source_kind", "row_label"]),
        rejects=_frame(rejects, REJECT_COLUMNS, ["doc_id", "source_line", "source_col"]),
        cells=_frame(cells, CELL_COLUMNS, ["doc_id", "source_line", "source_col"]),
        quality=_frame(issues, ISSUE_COLUMNS, ["doc_id", "source_line", "check",
                                               "column_label"]))


def load_crosswalks() -> tuple[list[dict], list, list[dict]]:
    """The crosswalks every report is read with: table overrides, measures, prose."""
    return load_override_rows(), load_measures(), load_prose_rows()


def report_records(report: Report, crosswalks: tuple) -> tuple[list, ...]:
    """One report's rows of the five tables (inventory, facts, rejects, cells, quality)."""
    result = CleanResult()
    tables = extract_report(report, *crosswalks, result)
    return ([_inventory_row(t) for t in tables], records(result.facts, Fact),
            records(result.rejects, Reject), records(result.cells, Cell),
            records(result.issues, Issue))


def extract_report(report: Report, overrides: list[dict], measures: list, prose: list[dict],
                   result: CleanResult) -> list[Table]:
    """One report's tables, cleaned and cross-footed, and its prose facts, into ``result``."""
    lines = read_lines(report.path)
    tables = extract_tables(report, lines)
    tables = sorted(tables + layout_tables(report, lines), key=lambda t: t.first_line)
    matched, unused = match_overrides(report, tables, overrides)
    for table in tables:
        override = matched.get(table.first_line)
        cleaned = clean_table(table, report, override, measures)
        cleaned.issues += crossfoot(table, report, override, cleaned.facts)
        result.extend(cleaned)
    facts, unmatched = match_report(report, prose, lines)
    result.facts += facts
    result.issues += layout_issues(report, tables, lines) + unmatched_issues(
        report, unmatched, "prose_facts.csv", "wording") + unmatched_issues(
        report, unused, "table_overrides.csv", "first_row")
    return tables


def unmatched_issues(report: Report, rows: list, crosswalk: str, key: str
                     ) -> list[Issue]:
    """Crosswalk rows of this committee that found nothing in this report (e.g. next
    year's wording differs): listed, so that a figure is never lost unnoticed."""
    return [Issue(f"{crosswalk.split('.')[0]}_unmatched", report.doc_id,
                  f"{report.doc_id}:L0000", 1, "", "",
                  note=f"socialstudy/crosswalks/{crosswalk}:{row.line}: "
                       f"{getattr(row, key)!r} not found in this report")
            for row in rows]


def layout_issues(report: Report, tables: list[Table], lines: list[str]) -> list[Issue]:
    """A report with no tables, or with columns separated by runs of spaces instead of
    tabs (which the reader cannot split), is flagged rather than passed over. The
    unread block is named like a table (``<doc_id>:L<first line>``); a report without
    any table gets ``<doc_id>:L0000``, the report as a whole."""
    issues = [Issue("space_separated_columns", report.doc_id,
                    f"{report.doc_id}:L{first:04d}", first, "", "",
                    note=f"lines {first}-{last} look like a table whose columns are separated "
                         "by spaces, not tabs; no facts were read from them (re-extract the "
                         "text with tab separators)")
              for first, last in spaced_columns(lines)
              if not any(t.first_line <= first <= t.last_line for t in tables)]
    if not any(t.kind == "data" for t in tables):
        issues.append(Issue("no_tables", report.doc_id, f"{report.doc_id}:L0000", 1, "", "",
                            note="no tab-separated table found in the report; check the "
                                 "text extraction"))
    return issues


def _inventory_row(table: Table) -> dict:
    return {"doc_id": table.doc_id, "table_id": table.table_id, "kind": table.kind,
            "title": table.title, "title_line": table.title_line or "",
            "first_line": table.first_line, "last_line": table.last_line,
            "n_header_rows": len(table.header), "n_rows": len(table.rows),
            "n_cols": table.n_cols, "unit": table.unit}


def _frame(rows: list, columns: list[str], keys: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.sort_values(keys, kind="mergesort").reset_index(drop=True)


def write_extraction(extraction: Extraction, outputs: paths.Outputs) -> list[Path]:
    processed = outputs.ensure().processed
    return [write_csv(getattr(extraction, name), processed / f"{name}.csv")
            for name in ("tables", "facts", "rejects", "cells", "quality")]
