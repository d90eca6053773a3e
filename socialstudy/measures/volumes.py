"""Volumes and unit costs: what drives the costs, wherever a report prints it.

Why: a cost line grows because more people are served or because each costs more; the
reports say which in numbers of placements, care days, households and users, and
sometimes a cost per unit. They print them in tables (Haninge's interim report) or in
running text (most others). Every volume is declared in ``crosswalks/volumes.csv``, keyed
by the report's own wording (a table's title and row label, or the sentence with the
number as a ``{n}`` slot), with what it counts (``definition``) and whether the report
prints a unit cost for the same scope and year; a volume the report mentions without a
number is a ``not reported`` row with the reason. Volumes are defined differently in each
report: they explain a committee's own costs, they do not rank committees.
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.wording import compile_wording
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures.finance import tidy
from socialstudy.measures.tabular import fmt

COLUMNS = ["municipality", "doc_id", "fiscal_year", "period", "category", "measure", "kind",
           "value", "unit", "status", "reason", "words", "definition", "unit_cost",
           "unit_cost_reason", "source_kind", "source_file", "source_line", "also_printed_at",
           "quote", "raw"]
FILE = "socialstudy/crosswalks/volumes.csv"


def volumes(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """One row per report, volume measure, year and period (see the module docstring)."""
    rows = []
    for entry in read_crosswalk("volumes.csv"):
        own = [r for r in reports if r.municipality == entry.municipality]
        found = (_table_rows(entry, facts, own) if entry.source_kind == "table"
                 else _prose_rows(entry, own))
        if own and not found:   # a committee left out of ``reports`` is no error
            raise CrosswalkError(f"volume {entry.measure!r} is in no report of "
                                 f"{entry.municipality}", file=FILE, line=entry.line,
                                 fix="quote the report's wording (or table title and row "
                                     "label) exactly")
        rows += found
    rows += implied_counts(rows)
    return tidy(rows, COLUMNS, ["municipality", "doc_id", "measure", "fiscal_year", "period"])


APPROXIMATE = ("cirka", "ca ", "drygt", "knappt", "omkring", "ungefär", "runt")


def implied_counts(rows: list[dict]) -> list[dict]:
    """A printed change of a count beside its share of the count it changed against, in one
    sentence (Haninge 000:376: "ökade med cirka 40 hushåll, motsvarande 4,8 procent mot
    budget") implies that count: change ÷ share. One row per such pair, measure
    ``<measure>_base``, status 'not derived': the reason gives what the two numbers imply
    and how far an approximate change ("cirka") and a rounded share move it – too far
    for a count a reader could cite."""
    out = []
    for change in (r for r in rows if r["kind"] == "volume_change" and r["status"] == "printed"):
        shares = [r for r in rows if r["kind"] == "volume_change_pct" and r["status"] == "printed"
                  and all(r[k] == change[k] for k in ("doc_id", "source_line", "fiscal_year",
                                                        "period", "category"))]
        if len(shares) == 1 and float(shares[0]["value"]):
            out.append({**change, "measure": f"{change['measure']}_base", "kind": "volume",
                        "value": "", "raw": "", "status": "not derived",
                        "reason": _not_derived(change, shares[0]), "quote": shares[0]["quote"],
                        "words": f"number of {change['unit']} the change is measured against"})
    return out


def _not_derived(change: dict, share: dict) -> str:
    n, pct, unit = float(change["value"]), float(share["value"]), change["unit"]
    half = 0.5 * 10.0 ** -len(share["raw"].replace(",", ".").partition(".")[2])
    low, high = 100 * n / (pct + half), 100 * n / (pct - half)
    said = next((w.strip() for w in APPROXIMATE if w in change["quote"].lower()), "")
    about = (f"the report says '{said} {change['raw']}', and each one more or fewer moves that "
             f"by {fmt(100 / pct, 0)}, while " if said else "")
    return (f"not derived: {fmt(n)} ÷ {fmt(pct)} % gives {fmt(100 * n / pct, 0)} {unit} as the "
            f"number the change is measured against, but {about}the share is rounded "
            f"({fmt(pct - half, 2)}–{fmt(pct + half, 2)} % alone spans {fmt(low, 0)}–"
            f"{fmt(high, 0)}): no count a reader could cite")


def _common(entry: dict, report: Report) -> dict:
    return {"municipality": report.municipality, "doc_id": report.doc_id,
            "period": entry.period, "category": entry.category,
            "measure": entry.measure, "unit": entry.unit, "words": entry.words,
            "definition": entry.definition, "unit_cost": entry.unit_cost,
            "unit_cost_reason": entry.unit_cost_reason, "source_file": report.file}


def _prose_rows(entry: dict, reports: list[Report]) -> list[dict]:
    """The sentence's number (``{n}``, turned by ``sign``; its year is the report's plus
    ``year_offset``), or a 'not reported' row where
    the wording is the report's mention of a volume without a number. A sentence the report
    prints twice word for word is kept once, the other line in ``also_printed_at``; the
    wording standing twice with different numbers stops the run."""
    numbered = "{n}" in entry.wording
    wording = compile_wording(entry.wording, number_slot=numbered)
    rows = []
    for report in reports:
        lines = read_lines(report.path)
        hits = [(i, m) for i, text in enumerate(lines, start=1)
                for m in wording.find(text, report.fiscal_year)]
        if len({m.group(0) for _, m in hits}) > 1:
            raise CrosswalkError(f"wording of {entry.measure!r} stands {len(hits)} times in "
                                 f"{report.file} (lines {[i for i, _ in hits]})", file=FILE,
                                 line=entry.line, fix="quote more of the sentence")
        for line, match in hits[:1]:   # a paragraph the report repeats word for word: once
            row = {**_common(entry, report),
                   "fiscal_year": report.fiscal_year + int(entry.year_offset or 0),
                   "source_kind": "prose", "source_line": line, "quote": match.group(0),
                   "also_printed_at": ";".join(str(i) for i, _ in hits[1:])}
            if numbered:
                number = float(match.group("n").replace(",", ".").replace(" ", ""))
                row.update(value=fmt(int(entry.sign) * number), raw=match.group("n"),
                           status="printed", kind=entry.kind, reason="")
            else:
                row.update(value="", raw="", status="not reported", kind=entry.kind,
                           reason=entry.unit_cost_reason)
            rows.append(row)
    return rows


def _table_rows(entry: dict, facts: pd.DataFrame, reports: list[Report]) -> list[dict]:
    """Every year column of the table row with this label (under a title holding the
    wording, if one is given): the printed amounts only, not the change columns."""
    rows = []
    for report in reports:
        cells = facts[(facts.doc_id == report.doc_id) & (facts.source_kind == "table")
                      & (facts.row_label == entry.row_label) & (facts.measure == "actual")]
        if entry.wording and not cells.empty:
            lines = read_lines(report.path)
            cells = cells[pd.Series([entry.wording in "\n".join(lines[max(0, _first(t) - 5):
                                                                         _first(t)])
                                     for t in cells.table_id], index=cells.index, dtype=bool)]
        if cells.source_line.nunique() > 1:
            raise CrosswalkError(f"{entry.row_label!r} matches lines "
                                 f"{sorted(set(cells.source_line))} of {report.file}", file=FILE,
                                 line=entry.line, fix="give the table's title wording")
        for cell in cells.itertuples():
            rows.append({**_common(entry, report), "fiscal_year": int(cell.fiscal_year),
                         "kind": entry.kind, "value": fmt(cell.number), "status": "printed",
                         "reason": "", "source_kind": "table", "source_line": cell.source_line,
                         "quote": f"{cell.row_label} | {cell.column_label}", "raw": cell.raw})
    return rows


def _first(table_id: str) -> int:
    return int(table_id.rsplit(":L", 1)[1])
