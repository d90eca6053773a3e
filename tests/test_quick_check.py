"""socialstudy.core.quick_check: it passes every table the study writes, and it is never more
lenient than Frictionless: each cell or table that Frictionless refuses, it refuses too
(``schemas.violations`` then asks Frictionless, whose messages the other tests pin)."""

from io import StringIO

import pandas as pd
import pytest

from socialstudy import paths
from socialstudy.core import quick_check, schemas
from socialstudy.errors import SchemaError

BAD = {"integer": ["", "1.0", " 1", "+1", "1_0", "\u0663", "-1", "0", "99999", "x", "01",
                   "1e3"],
       "number": ["", "1e3", "nan", "inf", ".5", "1.", "1,5", " 2", "-0.5",
                  "100.0000000000000000001"],
       "string": ["", "not_a_code", " "]}


def _read(name: str, rows: int | None = None) -> pd.DataFrame:
    frame = pd.read_csv(paths.Outputs().processed / f"{name}.csv", dtype=str,
                        keep_default_na=False)
    return frame if rows is None else frame.head(rows)


def _lenient(frame: pd.DataFrame, name: str) -> bool:
    """The quick check passes a frame of text in which Frictionless finds a problem."""
    text = schemas.csv_text(frame)
    as_read = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    return (quick_check.passes(schemas.get(name), text, as_read, len(frame))
            and bool(schemas._frictionless_violations(name, text, as_read)))


@pytest.mark.parametrize("name", schemas.names())
def test_every_committed_table_passes_without_frictionless(name):
    frame = _read(name)
    text = schemas.csv_text(frame)
    as_read = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    assert quick_check.passes(schemas.get(name), text, as_read, len(frame)), name


@pytest.mark.parametrize("name", ["staffing", "facts"])
def test_a_bad_cell_that_frictionless_refuses_is_refused(name):
    frame = _read(name, rows=12)
    kinds = {f["name"]: f["type"] for f in schemas.get(name)["fields"]  # a free text column
             if f["type"] != "string" or f.get("constraints")}  # holds any text: see below
    for column, kind in kinds.items():
        for row, value in enumerate(BAD[kind] + [frame[column].iloc[0] + "\n"]):
            bad = frame.copy()
            bad.loc[row % len(bad), column] = value
            assert not _lenient(bad, name), (name, column, value)


@pytest.mark.parametrize("change", ["duplicate", "blank", "carriage", "semicolons", "bom"])
def test_a_bad_table_that_frictionless_refuses_is_refused(change):
    frame = _read("facts", rows=8)
    text_column = "row_label"
    if change == "duplicate":
        frame = pd.concat([frame, frame.head(1)], ignore_index=True)
    elif change == "blank":
        frame = pd.concat([frame, frame.head(1).map(lambda _: "")], ignore_index=True)
    elif change == "carriage":
        frame.loc[0, text_column] = "a\rb"
    elif change == "semicolons":
        frame[text_column] = "a;b;c;d;e;f;g;h;i;j;k"
    else:
        frame.loc[0, "doc_id"] = "\ufeff" + frame.loc[0, "doc_id"]
    assert not _lenient(frame, "facts"), change
    if change in ("duplicate", "blank"):
        text = schemas.csv_text(frame)
        as_read = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
        assert not quick_check.passes(schemas.get("facts"), text, as_read, len(frame))
        with pytest.raises(SchemaError, match="primary key|blank-row"):
            schemas.validate(frame, "facts")
