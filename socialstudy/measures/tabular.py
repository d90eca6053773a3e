"""Shared plumbing of the measures: byte-stable text for derived numbers (``fmt``), the
facts as the measures read them from ``facts.csv`` (``load_facts``), and the ``status``
words every measure table carries, with the 'not mapped' rows of a committee the
crosswalks do not cover yet (``not_mapped``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import OUTCOME_PERIODS
from socialstudy.crosswalks.loader import unmapped
from socialstudy.measures import damage


def fmt(value: float | None, digits: int = 4) -> str:
    """Fixed, byte-stable text for a derived number ('' for missing, no '-0')."""
    if value is None or pd.isna(value):
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def groups(frame: pd.DataFrame, keys: list[str], *, sort: bool = True) -> list[list]:
    """The rows of ``frame`` (``itertuples``) as ``frame.groupby(keys, sort=sort)`` groups
    them (a row with a missing key left out, each group in the frame's order), without a
    DataFrame per group: a loop over hundreds of small groups spent its time making them."""
    found: dict[tuple, list] = {}
    for row in frame.itertuples():
        key = tuple(getattr(row, k) for k in keys)
        if not any(pd.isna(k) for k in key):
            found.setdefault(key, []).append(row)
    return [found[k] for k in sorted(found)] if sort else list(found.values())


def load_facts(processed: Path) -> pd.DataFrame:
    facts = pd.read_csv(processed / "facts.csv", dtype={"value": str, "raw": str, "note": str,
                                                         "scope": str, "definition": str,
                                                         "footnote": str, "column_label": str},
                        keep_default_na=False)
    facts["number"] = facts["value"].astype(float)
    facts.attrs["rejects"] = damage.as_records(damage.load_rejects(processed))  # unreadable
    return facts


# --- why a value is missing, said where the measure is computed -------------------------------

REPORTED, DERIVED, NOT_REPORTED, NOT_MAPPED = "reported", "derived", "not reported", "not mapped"
HAS_VALUE = (REPORTED, DERIVED)  # any other status: the row has no (full) value; reason says why
STANDS_IN = (NOT_REPORTED, NOT_MAPPED)  # a row that stands for a figure the table lacks


def not_mapped(reports: list[Report], names: tuple[str, ...], have: set[str],
               facts: pd.DataFrame | None = None) -> list[dict]:
    """'not mapped' rows for each report without a row in the table (doc_id not in ``have``)
    whose committee none of the crosswalks ``names`` covers yet: one per year it gives
    outcomes for (its own year without ``facts``), with the reason from
    :func:`~socialstudy.crosswalks.loader.unmapped`. Sentences and figures read the status;
    a report whose committee is mapped but that gives no figure has no row."""
    rows = []
    for report in reports:
        why = None if report.doc_id in have else unmapped(report.municipality, report.doc_id,
                                                          *names)
        if why is None:
            continue
        years = {report.fiscal_year}
        if facts is not None:
            own = facts[(facts.doc_id == report.doc_id) & (facts.measure == "actual")
                        & facts.period.isin(OUTCOME_PERIODS)]
            years |= {int(y) for y in own.fiscal_year}
        rows += [{"municipality": report.municipality, "doc_id": report.doc_id,
                  "fiscal_year": year, "period": report.period, "status": NOT_MAPPED,
                  "reason": why, "source_file": report.file} for year in sorted(years)]
    return rows
