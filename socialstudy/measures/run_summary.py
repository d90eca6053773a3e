"""The lines a run ends with about damaged input (:func:`summary_lines`), read from the
output tree with the csv module, not pandas: every run prints them, the unchanged rerun
too, and that rerun must stay a matter of hashing files (no pandas import, well under a
second as a whole process)."""

from __future__ import annotations

import csv
from itertools import groupby
from pathlib import Path

from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.extract.label_case import LABELS


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def used_labels() -> set[tuple[str, str]]:
    """(municipality, label) of every table row a crosswalk picks."""
    return {(row.municipality, getattr(row, column).strip())
            for name, column in LABELS.items()
            for row in read_crosswalk(name)}


def damaged(rejects: list[dict[str, str]], municipality_of: dict[str, str]
            ) -> list[dict[str, str]]:
    """The rejects that lie on a row a crosswalk picks (the ones a comparison misses)."""
    if not rejects:
        return []
    used = used_labels()
    return [r for r in rejects
            if (municipality_of.get(r["doc_id"], ""), r["row_label"].strip()) in used]


def summary_lines(processed: Path, municipality_of: dict[str, str]) -> list[str]:
    """One line per table with damaged cells on rows the study uses, naming the lines, and
    one per header read with a cell split over a tab joined (:func:`joined_headers`)."""
    found = sorted(damaged(_rows(processed / "rejects.csv"), municipality_of),
                   key=lambda r: r["table_id"])  # stable: each table's rows in file order
    lines = []
    for table_id, group in groupby(found, key=lambda r: r["table_id"]):
        group = list(group)
        numbers = sorted({int(r["source_line"]) for r in group})
        lines.append(f"warning: {group[0]['source_file']}: table {table_id}: cell(s) at "
                     f"line(s) {', '.join(map(str, numbers))} could not be read "
                     f"({group[0]['reason']}); the comparison rows they feed say 'not "
                     "reported' — fix the raw text or see rejects.csv")
    return lines + joined_headers(processed)


def joined_headers(processed: Path) -> list[str]:
    """One line per header whose cell split over a tab was joined (quality.csv's
    ``split_header_joined``): the values are used as read with the join, so the run says
    so, as it does for a cell it could not read."""
    joined = [r for r in _rows(processed / "quality.csv") if r["check"] == "split_header_joined"]
    if not joined:
        return []
    file_of = {r["table_id"]: r["source_file"] for r in _rows(processed / "facts.csv")}
    return [f"warning: {file_of.get(row['table_id'], row['doc_id'])}: table {row['table_id']}: "
            f"header at line {row['source_line']}: {row['note']}; its values are used as so "
            "read — fix the raw text or see quality.csv"
            for row in sorted(joined, key=lambda r: (r["table_id"], r["source_line"]))]
