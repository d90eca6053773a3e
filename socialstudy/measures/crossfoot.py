"""A printed total that contradicts its own table's arithmetic (``quality.csv``: check
crossfoot, status mismatch) is used in a finding only with that caveat beside it: for each
such total, the year and measure of the cell that stands in the mismatching column."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from socialstudy.core.units import mnkr

KEYS = ["doc_id", "table_id", "source_line", "column_label"]


def caveats(quality: pd.DataFrame, facts: pd.DataFrame) -> dict[tuple, str]:
    """{(doc_id, source_line, fiscal_year, period, measure): caveat} for each cell whose printed
    total its table's parts do not sum to, e.g. "the report's own lines 367–371 sum to
    1149.6 mnkr against this total [000_….txt:372]"."""
    bad = quality[(quality.check == "crossfoot") & (quality.status == "mismatch")]
    cells = facts[facts.source_kind == "table"][KEYS + ["fiscal_year", "period", "measure",
                                                         "source_file"]]
    merged = bad.astype({"source_line": str}).merge(cells.astype({"source_line": str}), on=KEYS)
    found = {}
    for row in merged.itertuples():
        parts = re.search(r"sum of lines (\d+)-(\d+)", row.note)
        lines = f"lines {parts.group(1)}–{parts.group(2)}" if parts else "parts"
        key = (row.doc_id, int(row.source_line), int(row.fiscal_year), row.period, row.measure)
        found[key] = (f"the report's own {lines} sum to {mnkr(row.expected, absolute=True)} "
                      f"against the printed total of {mnkr(row.actual, absolute=True)} "
                      f"[{row.source_file}:{row.source_line}]")
    return found


def load(processed: Path) -> dict[tuple, str]:
    """:func:`caveats` of an output tree ({} before step 01 has written it)."""
    if not (processed / "quality.csv").exists() or not (processed / "facts.csv").exists():
        return {}
    read = dict(dtype=str, keep_default_na=False)
    return caveats(pd.read_csv(processed / "quality.csv", **read),
                   pd.read_csv(processed / "facts.csv", **read))
