"""Shared plumbing of the measures: byte-stable text for derived numbers (``fmt``) and
the facts as the measures read them from ``facts.csv`` (``load_facts``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialstudy.measures import damage


def fmt(value: float | None, digits: int = 4) -> str:
    """Fixed, byte-stable text for a derived number ('' for missing, no '-0')."""
    if value is None or pd.isna(value):
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def load_facts(processed: Path) -> pd.DataFrame:
    facts = pd.read_csv(processed / "facts.csv", dtype={"value": str, "raw": str, "note": str,
                                                         "scope": str, "definition": str,
                                                         "footnote": str, "column_label": str},
                        keep_default_na=False)
    facts["number"] = facts["value"].astype(float)
    facts.attrs["rejects"] = damage.as_records(damage.load_rejects(processed))  # unreadable
    return facts
