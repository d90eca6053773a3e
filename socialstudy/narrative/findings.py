"""The study's findings as Markdown, computed at run time from the processed tables for the
selected reports only (``Scope.filter``: doc_id and year), so every number, year, name and
comparative word follows the run's parameters. Each sentence cites its source lines as
``[file:line]``; where a report explains a result itself, its own sentence is quoted
(``crosswalks/report_explanations.csv``, verified to stand on the cited line).

Prose conventions: English with decimal points, amounts in mnkr (million kronor), shares
in %, Swedish labels and quotes verbatim in “…”."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from socialstudy import paths
from socialstudy.core import vocabulary
from socialstudy.core.registry import PERIODS, Report, period_words
from socialstudy.core.scope import Scope, Selection
from socialstudy.crosswalks.loader import (
    read_crosswalk,
)
from socialstudy.errors import StudyError
from socialstudy.measures.tabular import STANDS_IN

TABLES = ("cost_by_type", "cost_by_activity", "budget_deviation", "staffing", "goals",
          "indicators", "budget_by_cost_type", "revenue_dependence", "net_cost_growth",
          "one_off_items", "investments", "forecast_accuracy", "per_inhabitant",
          "staffing_detail", "comparable_core", "deviation_adjusted", "growth_adjusted")
EXPLANATIONS = paths.CROSSWALKS / "report_explanations.csv"
NO_DATA = "No data for this selection"
PERIOD_WORDS = {"full_year": "full year",  # every interim period the registry allows
                **{p: f"{period_words(p)} only" for p in PERIODS if p != "full_year"},
                "r12_nov": "12 months to November", "point_in_time": "on 31 December"}
VARIABLE_WORDS = {"headcount": "employees (headcount)", "fte": "full-time equivalents",
                  "turnover_total_pct": "turnover, all leavers (%)",
                  "turnover_voluntary_pct": "turnover, own resignations (%)",
                  "sick_leave_total_pct": "sick leave, total (%)",
                  "sick_leave_women_pct": "sick leave, women (%)",
                  "sick_leave_men_pct": "sick leave, men (%)",
                  "sick_leave_long_share_pct": "long-term share of sick leave (%)",
                  "sick_leave_short_share_pct": "short-term share of sick leave (%)",
                  "year_end_attainment": "year-end attainment",
                  "interim_contribution": "interim contribution",
                  "assignment_status": "assignment status"}
CODED = ("category", "level", "variable", "period", "assessment_kind", "flow", "scope_class")


def read(processed: Path, name: str) -> pd.DataFrame:
    """One comparison table as written (text), fiscal_year as int; cost_by_activity carries
    and cost_by_type carry the caveats of totals that contradict their own table
    (``attrs["crossfoot"]``)."""
    frame = (pd.read_csv(processed / f"{name}.csv", keep_default_na=False, dtype=str)
             .assign(fiscal_year=lambda f: f.fiscal_year.astype(int)))
    if name in ("cost_by_activity", "cost_by_type"):
        from socialstudy.measures import crossfoot  # here: the import block is another's work
        frame.attrs["crossfoot"] = crossfoot.load(processed)
    return frame


def load(processed: Path, names: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame]:
    """The comparison tables a notebook has written so far."""
    return {n: read(processed, n) for n in names if (processed / f"{n}.csv").exists()}


def selected(scope: Scope, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each table reduced to the run's own reports and years."""
    return {name: scope.filter(frame) for name, frame in tables.items()}


def words(code: str) -> str:
    """A coded category in words for display ('children_young_people' -> 'children and
    young people'); the CSVs keep the codes."""
    known = {**vocabulary.CATEGORY_WORDS, **vocabulary.COST_WORDS, **PERIOD_WORDS,
             **VARIABLE_WORDS}
    return known.get(code, code.replace("_", " ") if isinstance(code, str) else code)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Coded columns in words, for display only."""
    coded = [c for c in CODED if c in frame.columns]
    return frame.assign(**{c: frame[c].map(words) for c in coded})


def table(frame: pd.DataFrame, columns: list[str], what: str = "rows"):
    """The frame's columns for display (codes in words, every row), or an explicit line
    when the selection is empty."""
    from IPython.display import Markdown
    if frame.empty:
        return Markdown(f"*{NO_DATA}: no {what}.*")
    return readable(frame[columns].reset_index(drop=True))


def write_selection(scope: Scope, tables: dict[str, pd.DataFrame], processed: Path) -> list[Path]:
    """Write the selected rows of each comparison table to ``<processed>/selection/``
    (not validated again: each full table was validated when the notebook wrote it, and
    a subset of its rows keeps its types, categories, keys and row rules)."""
    from socialstudy.core.schemas import write_csv
    folder = processed / "selection"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in selected(scope, tables).items():
        write_csv(frame, folder / f"{name}.csv", validate=False)
        written.append(folder / f"{name}.csv")
    return written


# ---- wording ------------------------------------------------------------------------------

def num(value, digits: int = 1) -> str:
    return f"{float(value):.{digits}f}"


def cite(rows: pd.DataFrame | pd.Series) -> str:
    """'[000_….txt:372]' or '[000_….txt:344, 347]' for the rows' cited lines."""
    frame = rows.to_frame().T if isinstance(rows, pd.Series) else rows
    cited: dict[str, set[int]] = {}  # a loop, not a groupby: asked hundreds of times a run
    for file, line in zip(frame.source_file.to_numpy(), frame.source_line.to_numpy()):
        if file and not pd.isna(file) and str(line).strip():
            cited.setdefault(file, set()).add(int(line))
    parts = [f"{file}:{', '.join(map(str, sorted(cited[file])))}" for file in sorted(cited)]
    return f" [{'; '.join(parts)}]" if parts else ""


def names(items: list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@cache
def _translations() -> dict[str, str]:
    return {r.swedish: r.english
            for r in read_crosswalk("translations.csv")}


def gloss(swedish: str) -> str:
    """The English gloss of a Swedish name (``crosswalks/translations.csv``); '' if none."""
    return _translations().get(str(swedish), "")


def glossed_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The frame with '<column> (English)' beside each Swedish ``columns``, for display."""
    out = frame.copy()
    for column in columns:
        at = list(out.columns).index(column) + 1
        out.insert(at, f"{column} (English)", out[column].map(gloss))
    return out


def glossed(swedish: str) -> str:
    """'“Swedish” (English gloss)': the verbatim name with its translation from
    ``crosswalks/translations.csv`` beside it (no gloss where none is given)."""
    english = gloss(swedish)
    return f"“{swedish}” ({english})" if english else f"“{swedish}”"


def who(sel: Selection) -> str:
    part = f" ({PERIOD_WORDS.get(sel.period, sel.period)})" if sel.part_year else ""
    return f"{sel.municipality} {sel.fiscal_year}{part}"


def bullets(lines: list[str]) -> str:
    return "\n".join(line if line.startswith("  ") else f"* {line}" for line in lines)


def chosen(scope: Scope) -> list[Selection]:
    return [s for s in scope.selections.values() if s.doc_id]


def lacking(sel: Selection, rows: pd.DataFrame, default: str) -> str:
    """'<who>: <why>.' for a measure the selection lacks, in its table's words: the reason of
    its first row that stands for a missing figure ('not mapped yet – …', 'not reported — cell
    at line …'), else ``default`` (the table holds no such row for it)."""
    why = next((r for r in rows[rows.status.isin(STANDS_IN)].reason if r), default)
    return f"{who(sel)}: {why}."


# ---- what a report says itself --------------------------------------------------------------

def explanations(sel: Selection, topic: str, reports: list[Report]) -> list[str]:
    """The selected report's own explanations for ``topic``, each as its verbatim sentence
    with file:line; only when the selected year is the one the report explains."""
    report = next(r for r in reports if r.doc_id == sel.doc_id)
    rows = [r for r in read_crosswalk(EXPLANATIONS.name) if r.municipality == sel.municipality
            and r.topic == topic and report.fiscal_year + int(r.year_offset) == sel.fiscal_year]
    if not rows:
        return []
    lines = report.path.read_text(encoding="utf-8").splitlines()
    out = []
    for row in rows:
        hits = [i for i, text in enumerate(lines, 1) if row.quote in text]
        if not hits and not _stands_anywhere(row, reports):
            raise StudyError(f"quote {row.quote!r} stands in no report of "
                             f"{row.municipality}", file=str(EXPLANATIONS),
                             fix="copy the wording verbatim from the report")
        if len(hits) > 1:
            raise StudyError(f"quote {row.quote!r} found {len(hits)} times in {report.file}",
                             file=str(EXPLANATIONS), fix="quote wording that stands on exactly "
                             "one line of the report")
        if not hits:
            continue  # the wording belongs to another report of this municipality
        sentence = next(s for s in re.split(r"(?<=\.)\s+", lines[hits[0] - 1])
                        if row.quote in s)
        out.append(f"{row.gloss[0].upper()}{row.gloss[1:]}: “{sentence.strip()}” "
                   f"[{report.file}:{hits[0]}]")
    return out


def _stands_anywhere(row: dict, reports: list[Report]) -> bool:
    return any(row.quote in r.path.read_text(encoding="utf-8") for r in reports
               if r.municipality == row.municipality)


# ---- the scope ----------------------------------------------------------------------------

def scope_text(scope: Scope, reports: list[Report]) -> str:
    """Which report and year each municipality contributes; who has none; whether the
    years differ and whether a part-year report is in the run."""
    titles = {r.doc_id: r for r in reports}
    lines = []
    for sel in scope.selections.values():
        if not sel.doc_id:
            lines.append(f"**{sel.municipality}**: no data for this selection ({sel.note}).")
            continue
        rep = titles[sel.doc_id]
        lines.append(f"**{sel.municipality}**: fiscal year {sel.fiscal_year}, "
                     f"{PERIOD_WORDS.get(sel.period, sel.period)}, from “{rep.title}” "
                     f"(`{rep.file}`; {sel.note}).")
    years = sorted({s.fiscal_year for s in chosen(scope)})
    if len(years) > 1:
        lines.append("The years differ (" + names([str(y) for y in years]) + "): each "
                     "municipality is shown with its own year.")
    if scope.has_part_year:
        lines.append("A part-year report is in this run: its figures cover part of a year, "
                     "are shown apart and are not comparable with full years.")
    return bullets(lines) if lines else f"{NO_DATA}."


def one_aside(notes: str) -> str:
    """' (a) (b)' → ' (a; b)': quality notes on one sentence read as one aside, not as
    parentheses back to back; '' and a single note stay as they are."""
    inner = notes.strip()
    if not (inner.startswith("(") and inner.endswith(")") and ") (" in inner):
        return notes
    return " (" + inner[1:-1].replace(") (", "; ") + ")"
