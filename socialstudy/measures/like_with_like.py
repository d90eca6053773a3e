"""What differs between the committees set side by side: the definitions each report gives
for a comparable figure (``crosswalks/comparison_definitions.csv``, each quoted at its line)
and the activities one committee runs that another selected committee does not (from the
remit per report, with the net cost of the committee's own lines for the activity).

Both are tables, so the caveat a sentence or caption carries is built from them and changes
with the selection: a Haninge+Huddinge run names disability support and economic assistance,
a run with Strängnäs its elderly care and health care.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import row_error
from socialstudy.measures.cited import quoted_rows
from socialstudy.measures.tabular import fmt

DEFINITION_COLUMNS = ["municipality", "doc_id", "fiscal_year", "topic", "aspect", "definition",
                      "quote", "source_file", "source_line"]
DIFFERENCE_COLUMNS = ["municipality", "doc_id", "fiscal_year", "category", "in_remit",
                      "others", "net_cost_tkr", "cost_labels", "cost_lines", "source_file",
                      "source_line"]
# activities a committee runs that say nothing about another's staff or grants
NOT_A_DIFFERENCE = ("administration", "other")


def definitions(reports: list[Report]) -> pd.DataFrame:
    """One row per report, topic and aspect; every quote is checked to stand on its line."""
    rows = []
    for row, report, _ in quoted_rows("comparison_definitions.csv", reports, "report_line"):
        line = int(row.report_line)
        rows.append({"municipality": report.municipality, "doc_id": report.doc_id,
                     "fiscal_year": report.fiscal_year, "topic": row.topic,
                     "aspect": row.aspect, "definition": row.definition,
                     "quote": row.quote, "source_file": report.file, "source_line": line})
    return pd.DataFrame(rows, columns=DEFINITION_COLUMNS)


def remit_differences(remit: pd.DataFrame, activity: pd.DataFrame,
                      years: dict[str, int]) -> pd.DataFrame:
    """Per selected report, each activity it runs ('yes') that another selected report runs
    only in part or not at all, with the net cost of its own exact or partial lines for the
    activity in the selected year (``years``: doc_id -> year; mixed lines not counted in)."""
    status = {(r.doc_id, r.category): r for r in remit.itertuples()}
    rows, doc_ids = [], list(years)
    for doc in doc_ids:
        for (d, category), own in status.items():
            if d != doc or own.in_remit != "yes" or category in NOT_A_DIFFERENCE:
                continue
            others = [(o, status[(o, category)].in_remit) for o in doc_ids
                      if o != doc and (o, category) in status
                      and status[(o, category)].in_remit in ("no", "partial")]
            if others:
                rows.append(_difference(own, others, status, activity, years[doc]))
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)


def own_lines(activity: pd.DataFrame, doc_id: str, category: str, year: int) -> pd.DataFrame:
    """The report's own exact or partial lines of ``category`` with a net cost in ``year``
    (full year; mixed lines not counted in). One pass over the rows in plain Python: it is
    asked for every category of every selected report, and six column comparisons each
    time cost more than the rest of the caveat."""
    keep = [d == doc_id and c == category and f in ("exact", "partial") and p == "full_year"
            and n != "" and int(y) == int(year) for d, c, f, p, n, y in zip(*(
                activity[k].to_numpy() for k in ("doc_id", "category", "fit", "period",
                                                 "net_cost_tkr", "fiscal_year")))]
    return activity[np.array(keep, dtype=bool)]


SCOPE_COLUMNS = ["doc_id", "category", "scope", "quote", "source_file", "source_line"]


def remit_scopes(reports: list[Report]) -> pd.DataFrame:
    """What a committee's partial remit, or its 'other', covers, in words
    (``crosswalks/remit_scope.csv``), each quote checked to stand on its line; one row per
    cited line (the quote's line, then ``more_lines``: the other lines the scope rests on)."""
    rows = []
    for row, report, lines in quoted_rows("remit_scope.csv", reports):
        line = int(row.quote_line)
        more = [x.strip() for x in str(row.more_lines or "").split(";") if x.strip()]
        bad = [x for x in more if not x.isdigit() or not 0 < int(x) <= len(lines)]
        if bad:  # else a traceback, or a citation of no line
            raise row_error("remit_scope.csv", row, f"more_lines {row.more_lines!r}: "
                            f"{bad[0]!r} is no line of {report.file} ({len(lines)} lines)",
                            "list the report's line numbers, separated by ';'")
        more = [int(x) for x in more]
        rows += [{"doc_id": row.doc_id, "category": row.category, "scope": row.scope,
                  "quote": row.quote, "source_file": report.file, "source_line": n}
                 for n in [line, *more]]
    return pd.DataFrame(rows, columns=SCOPE_COLUMNS)


def component_evidence(reports: list[Report]) -> dict[tuple[str, str, str], list[int]]:
    """{(doc_id, report_label, component): lines}: where the report shows that a mixed line
    holds that component (``crosswalks/component_evidence.csv``), each quote checked to stand
    on its line, so that "plus an unknown part of X" cites what X holds, not X's description
    of another of its parts."""
    out: dict = {}
    for row, _report, _ in quoted_rows("component_evidence.csv", reports):
        line = int(row.quote_line)
        out.setdefault((row.doc_id, row.report_label, row.component), []).append(line)
    return out


def _difference(own, others: list, status: dict, activity: pd.DataFrame, year: int) -> dict:
    lines = own_lines(activity, own.doc_id, own.category, year)
    net = lines.net_cost_tkr.astype(float).sum() if len(lines) else None
    return {"municipality": own.municipality, "doc_id": own.doc_id,
            "fiscal_year": year, "category": own.category, "in_remit": "yes",
            "others": ";".join(f"{status[(o, own.category)].municipality}:{s}"
                               for o, s in others),
            "net_cost_tkr": fmt(net), "cost_labels": ";".join(lines.report_label),
            "cost_lines": ";".join(str(int(x)) for x in lines.source_line),
            "source_file": own.source_file, "source_line": own.source_line}


BASIS_COLUMNS = ["municipality", "doc_id", "report_year", "topic", "aspect", "in_remit",
                 "statement", "status", "reason", "quote", "cost_lines", "basis", "source_file",
                 "source_line"]
BASIS_KEY = ["municipality", "doc_id", "topic", "aspect"]
DEFINED = "defined by this report (crosswalks/comparison_definitions.csv)"
TOPICS = ("sick_leave", "turnover", "grants", "goal_scale", "period")  # one row each, at least
NOT_STATED = ("no definition quoted: the report gives no such figure or does not say how it "
              "is defined (no row in crosswalks/comparison_definitions.csv)")


def comparison_basis(definitions_frame: pd.DataFrame, remit: pd.DataFrame) -> pd.DataFrame:
    """One tidy table of what each report's figures rest on: its definitions (sick leave,
    turnover, grants, goal scale, period; ``definitions``) and its remit per activity
    category (``measures.remit.remit_by_report``), each with the quote and its line."""
    defs = definitions_frame.rename(columns={"fiscal_year": "report_year",
                                             "definition": "statement"}).assign(
        in_remit="", cost_lines="", basis=DEFINED, status="quoted", reason="")
    remits = remit.rename(columns={"fiscal_year": "report_year", "category": "aspect",
                                   "note": "statement", "evidence": "quote"}).assign(
        topic="remit", status=["quoted" if str(x).strip() else "not checked"
                               for x in remit.source_line],
        reason=["" if str(x).strip() else "the municipality's remit, not checked for this report"
                for x in remit.source_line])
    docs = remit[["municipality", "doc_id", "fiscal_year"]].drop_duplicates()
    missing = [{"municipality": d.municipality, "doc_id": d.doc_id,
                "report_year": d.fiscal_year, "topic": t, "aspect": "", "status": "not stated",
                "reason": NOT_STATED} for d in docs.itertuples() for t in TOPICS
               if not ((defs.doc_id == d.doc_id) & (defs.topic == t)).any()]
    frame = pd.concat([defs[BASIS_COLUMNS], remits[BASIS_COLUMNS],
                       pd.DataFrame(missing, columns=BASIS_COLUMNS)], ignore_index=True)
    frame["source_line"] = [_line(x) for x in frame.source_line]
    return (frame.fillna("").sort_values(BASIS_KEY, kind="mergesort")
            .reset_index(drop=True))


def _line(value) -> str:
    """A line number as text ('' where none): the concatenation made the column float."""
    return "" if pd.isna(value) or not str(value).strip() else str(int(float(value)))


def selected_basis(basis: pd.DataFrame, chosen: list) -> pd.DataFrame:
    """The rows of the run's selected reports (by doc_id: a run for an earlier year uses a
    later report's prior-year columns, and that report's definitions and remit)."""
    return basis[basis.doc_id.isin([s.doc_id for s in chosen])].reset_index(drop=True)
