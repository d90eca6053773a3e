"""Crosswalk text filled from the report at hand (issue 16, item 6): a reason, scope or
definition that names a year, a line or a printed number is a template, so a row written
for one report never carries that report's numbers into another's.

Slots: ``{year}``, ``{year-1}``, ``{year+1}`` … the report's fiscal year and the years around
it; ``{line:WORDING}`` the number of the one line of the report holding WORDING (which may
hold year slots); ``{n:WORDING}`` the first number printed after WORDING on that line, with
a decimal point ('-1,0' → '-1.0'). A wording found on no line, or on several, stops the run
naming the crosswalk row: the judgement must be checked against the new report.
"""

from __future__ import annotations

import re

from socialstudy.core.registry import Report
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines

YEAR_SLOT = re.compile(r"\{year([+-]\d+)?\}")
SLOT = re.compile(r"\{(line|n):([^{}]+)\}")
PRINTED = re.compile(r"[-−–]?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|[-−–]?\d+(?:,\d+)?")


def fill(template: str, report: Report, where: dict, lines: list[str] | None = None) -> str:
    """``template`` with its slots filled from ``report``; ``where`` (file=, line=) names
    the crosswalk row in an error."""
    text = YEAR_SLOT.sub(lambda m: str(report.fiscal_year + int(m.group(1) or 0)), template)
    if not SLOT.search(text):
        return text
    lines = read_lines(report.path) if lines is None else lines
    return SLOT.sub(lambda m: _slot(m.group(1), m.group(2), report, lines, where), text)


def _slot(kind: str, wording: str, report: Report, lines: list[str], where: dict) -> str:
    hits = [i for i, text in enumerate(lines, start=1) if wording in text]
    if len(hits) != 1:
        found = f"on lines {', '.join(map(str, hits[:5]))}" if hits else "on no line"
        raise CrosswalkError(f"wording {wording!r} stands {found} of {report.file}", **where,
                             fix="quote wording that stands on exactly one line of the report")
    if kind == "line":
        return str(hits[0])
    text = lines[hits[0] - 1]
    number = PRINTED.search(text, text.index(wording) + len(wording))
    if number is None:
        raise CrosswalkError(f"no number after {wording!r} at {report.file}:{hits[0]}",
                             **where, fix="quote the wording just before the number")
    return re.sub(r"[ \u00a0]", "", number.group(0)).replace(",", ".").replace(
        "−", "-").replace("–", "-")
