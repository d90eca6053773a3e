"""Small CSV crosswalks that live beside the code: read them, check them, fail by line.

A crosswalk holds judgements, so a damaged row must never be read as a different
judgement: a row with too few or too many fields, an unbalanced quote (which would
swallow the following rows into one value), an empty value where one is needed, or two
rows with the same key (the last would silently win) stop the study with the file, the
row's line and the fix.

Match keys are normalised on load, here and nowhere else: a UTF-8 byte-order mark is
dropped, every value is put in Unicode normal form C (a decomposed "ä" matches the
report's "ä"), and every value loses leading and trailing spaces except the free text
and quotes of ``VERBATIM_COLUMNS`` (justifications, quotes), which stay as written (the
others also have runs of spaces made one, as report labels do, and refuse a tab or other
control character): a wording, a role, a component list or a code with a stray space would
otherwise match nothing and its rows would silently drop out of the tables. A file that is
not UTF-8 (Latin-1 or UTF-16 from a spreadsheet) is refused with its line.
Keys that differ only in letter case are refused like exact duplicates.

Each file is read into the row type its entry in ``specs.yml`` declares (``specs``), its
header checked against the declared columns, and read once: ``read_crosswalk`` hands out
the same rows (frozen, so no caller can change them for the next) until the file's bytes
change (``core.filecache``: a same-size edit within one clock tick is seen too).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from socialstudy import paths
from socialstudy.core import filecache
from socialstudy.crosswalks.specs import SPECS, Spec
from socialstudy.errors import CrosswalkError


def read_crosswalk(name: str, folder: Path = paths.CROSSWALKS, *, spec: Spec | None = None
                   ) -> tuple:
    """Rows of ``crosswalks/<name>`` as its spec's row type (``specs.yml``), each with
    ``line``, its line in the file. Read once: a file is parsed and checked again only
    when it changes. ``spec``: a declaration other than the file's own (tests)."""
    if spec is None:
        if name not in SPECS:
            raise CrosswalkError(f"{name} is not declared in specs.yml", file=str(folder / name),
                                 fix="declare its row type, columns and key in "
                                     "socialstudy/crosswalks/specs.yml")
        spec = SPECS[name]
    path = folder / name
    try:
        known = filecache.state(path)
    except FileNotFoundError:
        raise CrosswalkError("crosswalk file not found", file=str(path),
                             fix="restore it from git; the study cannot map labels "
                                 "without it") from None
    return _read(path, spec, known)


def as_dict(row) -> dict[str, str]:
    """A row's columns by name, in the file's order (without ``line``)."""
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row) if f.name != "line"}


@lru_cache(maxsize=256)
def _read(path: Path, spec: Spec, known: tuple[int, ...] | bytes) -> tuple:
    data = filecache.data(path, known)
    try:
        text = data.decode("utf-8-sig")  # -sig: a BOM is dropped
    except UnicodeDecodeError as exc:
        raise CrosswalkError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): saved as "
                             "Latin-1 or UTF-16?", file=str(path),
                             line=data[: exc.start].count(b"\n") + 1,
                             fix="save the file as UTF-8 (iconv -f latin1 -t utf-8)") from None
    records = list(_records(io.StringIO(text, newline=""), path))
    if not records:
        raise CrosswalkError("empty file, not even a header", file=str(path), line=1,
                             fix=f"the first line names the columns: {','.join(spec.columns)}")
    header = _header(records[0][1], path, spec.columns)
    rows = tuple(_row(spec, header, fields, line, path) for line, fields in records[1:])
    _check_filled(rows, tuple(c for c in spec.key if c not in spec.may_be_empty)
                  + spec.filled, path)
    if spec.key:
        _check_unique(rows, spec.key, path)
    return rows


def _records(lines: Iterable[str], path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each non-blank record; a record must stand on one line."""
    reader = csv.reader(lines, strict=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CrosswalkError(f"unbalanced quote ({exc})", file=str(path),
                                 line=start, fix=_QUOTE_FIX) from None
        if reader.line_num != start and fields:
            raise CrosswalkError(f"the row spans lines {start}-{reader.line_num}: an "
                                 "unbalanced quote swallowed the line break", file=str(path),
                                 line=start, fix=_QUOTE_FIX)
        if fields:
            yield start, fields
        start = reader.line_num + 1


_QUOTE_FIX = ('close the quote: a value containing a comma or a quote is written in double '
              'quotes, a quote inside it doubled ("a ""b"", c"); a value stays on one line')


def _header(fields: list[str], path: Path, columns: tuple[str, ...]) -> list[str]:
    odd = sorted({f for f in fields if fields.count(f) > 1 or not f.strip()})
    if odd:
        raise CrosswalkError(f"header has repeated or empty column names {odd}",
                             file=str(path), line=1, fix="give every column one unique name")
    missing = [c for c in columns if c not in fields]
    extra = [c for c in fields if c not in columns]
    if missing or extra:
        raise CrosswalkError(
            f"missing columns {missing}, undeclared columns {extra}: the header and "
            "specs.yml disagree", file=str(path), line=1,
            fix=f"the header must name the columns specs.yml declares, {list(columns)}; "
                "correct the spelling in the file or in specs.yml")
    return fields


def _row(spec: Spec, header: list[str], fields: list[str], line: int, path: Path):
    if len(fields) != len(header):
        raise CrosswalkError(
            f"row has {len(fields)} fields, the header has {len(header)}", file=str(path),
            line=line, fix="put a value containing a comma in double quotes, and give every "
                           f"column a value (empty is ',,'): {','.join(header)}")
    for name, value in zip(header, fields):
        if name not in VERBATIM_COLUMNS and any(unicodedata.category(c) == "Cc"
                                                  for c in value.strip()):
            raise CrosswalkError(f"{name} {value[:40]!r} holds a tab or control character inside, "
                                 "so it would match nothing", file=str(path), line=line,
                                 fix=f"retype the {name} value")
    row = spec.row(**{name: _normal(name, value) for name, value in zip(header, fields)},
                   line=line)
    _check_values(spec, row, path)
    return row


NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _check_values(spec: Spec, row, path: Path) -> None:
    """A number column holds a number (else ``int()`` far away stops with a traceback);
    a coded column one of its words, letter case included ('At most' read as not 'at
    most' made an upper bound exact, with exit 0)."""
    for name in spec.numbers:
        value = getattr(row, name)
        if value and not NUMBER.fullmatch(value):
            raise CrosswalkError(f"{name} {value!r} is not a number", file=str(path),
                                 line=row.line, fix=f"write {name} in digits ('353', "
                                                    "'39700', '-3.5'), or leave it empty")
    for name, allowed in spec.values:
        value = getattr(row, name)
        codes = _codes(allowed)
        wrong = [v for v in (value.split("+") if isinstance(allowed, str) else [value])
                 if value and v not in codes]
        if wrong:
            raise CrosswalkError(f"{name} {value!r}: {wrong[0]!r} is not one of {list(codes)}",
                                 file=str(path), line=row.line,
                                 fix=f"write {name} as one of these, in this letter case")


def _codes(allowed: tuple[str, ...] | str) -> tuple[str, ...]:
    """The allowed words, or the codes of a schema's coded column ('table.column')."""
    if not isinstance(allowed, str):
        return allowed
    from socialstudy.core.schemas import categories
    return tuple(categories(*allowed.split(".")))


# free text a reader sees, quotes checked against the report's line, and the first row of a
# table override (its leading " | " is the empty first cell): kept exactly as written
VERBATIM_COLUMNS = frozenset({
    "justification", "description", "why", "note", "reason", "definition", "gloss", "english",
    "evidence", "words", "unit_cost_reason", "quote", "status_quote", "scope", "gist",
    "first_row"})


def _normal(column: str, value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    return value if column in VERBATIM_COLUMNS else " ".join(value.split())


def _key(row, key: tuple[str, ...]) -> tuple[str, ...]:
    """A row's key as compared for duplicates: letter case does not tell rows apart."""
    return tuple(getattr(row, c).casefold() for c in key)


def _check_filled(rows: tuple, columns: tuple[str, ...], path: Path) -> None:
    for row in rows:
        empty = [c for c in dict.fromkeys(columns) if not getattr(row, c).strip()]
        if empty:
            raise CrosswalkError(f"empty {', '.join(empty)}", file=str(path), line=row.line,
                                 fix=f"fill in {', '.join(empty)}, or delete the row")


def _check_unique(rows: tuple, key: tuple[str, ...], path: Path) -> None:
    first: dict[tuple[str, ...], int] = {}
    for row in rows:
        value = _key(row, key)
        if value in first:
            shown = ", ".join(f"{c}={getattr(row, c)!r}" for c in key)
            raise CrosswalkError(
                f"duplicate key ({shown}), letter case aside: also at line {first[value]}",
                file=str(path), line=row.line,
                fix="keep one row per key (otherwise the last row would silently win); "
                    "merge the two or correct the key")
        first[value] = row.line


def rows_by_report(name: str, reports: list) -> list[tuple]:
    """(row, its report) for each row of a crosswalk keyed by ``doc_id`` whose report is
    among ``reports``, in file order (the other rows are for reports outside this run)."""
    docs = {report.doc_id: report for report in reports}
    return [(row, docs[row.doc_id]) for row in read_crosswalk(name) if row.doc_id in docs]


def check_quote(row, name: str, report, lines: list[str], line: int, quote: str,
                what: str = "quote") -> None:
    """``quote`` stands on ``line`` of the report's ``lines``, or the run stops naming the
    row of crosswalk ``name`` that cites it."""
    if not (0 < line <= len(lines)) or quote not in lines[line - 1]:
        raise row_error(name, row, f"{what} {quote[:60]!r} is not on line {line} of "
                        f"{report.file}", "quote the report exactly and cite its line")


def row_error(name: str, row, problem: str, fix: str) -> CrosswalkError:
    """The one-line error for a row of crosswalk ``name``: the problem, its file and line,
    and the fix."""
    return CrosswalkError(problem, file=f"socialstudy/crosswalks/{name}", line=row.line,
                          fix=fix)


REVIEWED = {"activities.csv", "cost_types.csv", "staffing_map.csv", "goal_assessments.csv",
            "remit.csv"}  # the crosswalks `python -m socialstudy review` proposes rows for


def unmapped(municipality: str, doc_id: str, *names: str) -> str | None:
    """Why a measure is missing when no judgement exists yet: none of the crosswalks
    ``names`` has a row for the municipality (a newly added committee), so 'the report gives
    none' would be false. None when any of them has one."""
    missing = no_rows(municipality, *names)
    if missing is None:
        return None
    hint = (f"see `python -m socialstudy review {doc_id}`" if REVIEWED & set(names)
            else "add its rows as the README's 'Adding a report' describes")
    return f"not mapped yet – {missing}; {hint}"


def no_rows(municipality: str, *names: str) -> str | None:
    """'<names> has (have) no row for <municipality>' when none of the crosswalks ``names``
    has a row for it, else None."""
    if any(row.municipality == municipality for name in names
           for row in read_crosswalk(name)):
        return None
    return (f"{' and '.join(names)} {'has' if len(names) == 1 else 'have'} no row for "
            f"{municipality}")


def check_all(folder: Path = paths.CROSSWALKS) -> None:
    """Parse every crosswalk and check the keys of the keyed ones, before any notebook
    runs: a damaged crosswalk stops the study early, naming file, line and fix, instead of
    failing inside a notebook after earlier steps ran."""
    for path in sorted(folder.glob("*.csv")):
        read_crosswalk(path.name, folder)
