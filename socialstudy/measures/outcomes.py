"""Goal outcomes and indicators: each committee's own assessments placed on one ordinal
scale (``crosswalks/goal_levels.csv``), and indicator values beside same-year targets."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks import matching
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures.tabular import REPORTED, not_mapped


def goal_levels() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(r.pattern, re.I), r.level, r.rank)
            for r in read_crosswalk("goal_levels.csv")]


def harmonize_status(status: str, levels: list[tuple[re.Pattern, str, str]]) -> tuple[str, str]:
    for pattern, level, rank in levels:
        if pattern.search(status):
            return level, rank
    raise CrosswalkError(f"status {status!r} matches no pattern",
                         file="socialstudy/crosswalks/goal_levels.csv",
                         fix="add a pattern for this wording with its level")


def goals(reports: list[Report]) -> pd.DataFrame:
    """Every assessed goal with its verbatim status and its level on the common scale.
    Goals are keyed by municipality + wording (``goal_assessments.csv``); the goal's line
    and its status are found in each report of that municipality (``matching.locate_goal``)."""
    levels = goal_levels()
    entries = read_crosswalk("goal_assessments.csv")
    rows = []
    for report in reports:
        own = [e for e in entries if e.municipality == report.municipality]
        lines = read_lines(report.path) if own else []
        for entry in own:
            others = [e.goal_text for e in own if e is not entry]
            found = matching.locate_goal(lines, entry, others, levels)
            if found is None:
                continue
            goal_line, status, status_line = found
            level, rank = harmonize_status(status, levels)
            rows.append({"municipality": report.municipality, "doc_id": report.doc_id,
                         "fiscal_year": report.fiscal_year, "period": report.period,
                         "goal_id": goal_id(report, entry.goal_no),
                         "goal_text": entry.goal_text, "status_text": status,
                         "level": level, "rank": rank,
                         "assessment_kind": assessment_kind(entry.assessment_kind, status),
                         "source_file": report.file, "source_line": status_line,
                         "goal_line": goal_line, **goal_status(status, level)})
    rows += [{**dict.fromkeys(GOAL_OUTPUT, ""), **r} for r in not_mapped(
        reports, ("goal_assessments.csv",), {r["doc_id"] for r in rows})]
    return pd.DataFrame(rows, columns=GOAL_OUTPUT).sort_values(
        ["municipality", "fiscal_year", "goal_id"], kind="mergesort").reset_index(drop=True)


FORECAST = re.compile(r"\(prognos\)|prognos(tiseras)?:|helårsprognos|"
                      r"bedöms (kunna )?(uppfyllas|uppnås) (vid|till) årets slut", re.I)


def assessment_kind(kind: str, status: str) -> str:
    """A year-end assessment worded as a forecast ('(prognos)') is a forecast."""
    return "year_end_forecast" if kind == "year_end_attainment" and FORECAST.search(status) \
        else kind


GOAL_OUTPUT = ["municipality", "doc_id", "fiscal_year", "period", "goal_id", "goal_text",
               "status_text", "level", "rank", "assessment_kind", "source_file",
               "source_line", "goal_line", "status", "reason"]
NOT_ASSESSED = "not assessed"


def goal_status(status_text: str, level: str) -> dict:
    """'reported', or 'not assessed' for a wording that places the goal on no step of the
    common scale (level not_assessed in ``goal_levels.csv``: no rank)."""
    if level != "not_assessed":
        return {"status": REPORTED, "reason": ""}
    return {"status": NOT_ASSESSED, "reason": f"the report's wording {status_text!r} is no "
            "attainment (goal_levels.csv: not_assessed), so the goal has no rank"}


def goal_id(report: Report, goal_no: str) -> str:
    """'<municipality, ASCII lower case>_<fiscal year>_<goal number>', e.g. haninge_2024_1.1."""
    ascii_name = unicodedata.normalize("NFKD", report.municipality).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.decode().lower()).strip("_")
    return f"{slug}_{report.fiscal_year}_{goal_no}"


def indicators(facts: pd.DataFrame) -> pd.DataFrame:
    """Indicator outcomes beside their targets; attainment only where a target exists
    for the same year (a 2026 target says nothing about 2024)."""
    directions = [(re.compile(r.pattern, re.I), r.direction)
                  for r in read_crosswalk("indicator_direction.csv")]
    with_target = facts[(facts.measure == "target") & (facts.source_kind == "table")]
    tables = set(with_target.table_id)
    rows = []
    for (table_id, label), group in facts[facts.table_id.isin(tables)].groupby(
            ["table_id", "row_label"], sort=True):
        targets = group[group.measure == "target"].to_dict("records")  # few rows: a list
        direction = next(d for p, d in directions if p.search(label))
        for actual in group[group.measure == "actual"].itertuples():
            same = [t for t in targets if t["fiscal_year"] == actual.fiscal_year]
            target = same[0] if same else None
            if target is None:
                attained = "no target for this year"
            elif direction == "lower":
                attained = "met" if actual.number <= target["number"] else "not met"
            else:
                attained = "met" if actual.number >= target["number"] else "not met"
            later = [t for t in targets if t["fiscal_year"] > actual.fiscal_year]
            rows.append({
                "municipality": actual.municipality, "doc_id": actual.doc_id,
                "indicator": label, "fiscal_year": actual.fiscal_year,
                "value": actual.value, "unit": actual.unit,
                "target": target["value"] if target is not None else "",
                "target_column": target["column_label"] if target is not None else "",
                "later_target": ("" if not later else
                                 f"{later[-1]['value']} ({later[-1]['column_label']})"),
                "direction": direction, "attainment": attained,
                "source_file": actual.source_file, "source_line": actual.source_line,
                "raw": actual.raw, "status": REPORTED, "reason": ""})
    columns = ["municipality", "doc_id", "indicator", "fiscal_year", "value", "unit", "target",
               "target_column", "later_target", "direction", "attainment", "source_file",
               "source_line", "raw", "status", "reason"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["municipality", "indicator", "fiscal_year"],
        kind="mergesort").reset_index(drop=True)
