"""Wording templates: a quoted sentence of a report in which numbers are slots, so the
same judgement finds next year's sentence with new numbers and no edit.

Slots: ``{n}`` the number the crosswalk row is about (exactly one), ``{_}`` any other
number, ``{year}`` the report's fiscal year, ``{year-1}``, ``{year+1}`` … the years around it.
Everything
else must stand in the report exactly as written."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

SLOT = re.compile(r"\{(n|_|year(?:[+-]\d)?)\}")
# An unsigned printed number: grouped thousands (space / no-break space) or plain digits,
# optional decimals; never part of a longer number or word.
NUMBER = (r"(?<![\w,.])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.]\d+)?"
          r"(?![\w]|[,.]\d)")
YEAR = r"(?<![\w,.])(?:19|20)\d{2}(?![\w]|[,.]\d)"


@dataclass(frozen=True)
class Wording:
    text: str
    pattern: re.Pattern
    years: tuple[tuple[str, int], ...]  # regex group -> offset from the fiscal year
    literal: str  # the longest fixed piece: lines without it need no regex search

    def find(self, text: str, fiscal_year: int) -> list[re.Match]:
        """Every place ``text`` holds this wording with its year slots right."""
        if not self.literal:
            return [m for m in self.pattern.finditer(text) if self._years_right(m, fiscal_year)]
        hits, at, done = [], text.find(self.literal), -1
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            if start > done:  # each line once
                hits += [m for m in self.pattern.finditer(text, start, end)
                         if self._years_right(m, fiscal_year)]
                done = start
            at = text.find(self.literal, end + 1)
        return hits

    def fullmatch(self, text: str, fiscal_year: int) -> bool:
        """Whether all of ``text`` is this wording (a table title or header row)."""
        m = self.pattern.fullmatch(text)
        return m is not None and self._years_right(m, fiscal_year)

    def _years_right(self, m: re.Match, fiscal_year: int) -> bool:
        return all(int(m.group(g)) == fiscal_year + off for g, off in self.years)


def compile_wording(text: str, *, number_slot: bool = True, signed: bool = False) -> Wording:
    """Template text -> Wording; ValueError saying what is wrong with the template.
    ``signed``: a number slot takes a printed minus with it (``-22,4``)."""
    parts, years, last, n_slots, fixed = [], [], 0, 0, []
    number = f"-?{NUMBER}" if signed else NUMBER
    for i, slot in enumerate(SLOT.finditer(text)):
        fixed.append(text[last:slot.start()])
        parts.append(re.escape(text[last:slot.start()]))
        name = slot.group(1)
        if name == "n":
            n_slots += 1
            parts.append(f"(?P<n>{number})")
        elif name == "_":
            parts.append(f"(?:{number})")
        else:
            years.append((f"y{i}", int(name[4:] or 0)))
            parts.append(f"(?P<y{i}>{YEAR})")
        last = slot.end()
    parts.append(re.escape(text[last:]))
    fixed.append(text[last:])
    if number_slot and n_slots != 1:
        raise ValueError(f"needs exactly one {{n}} slot, has {n_slots}")
    if not number_slot and n_slots:
        raise ValueError("a {n} slot is only meaningful in a prose anchor")
    if not text.strip():
        raise ValueError("empty wording")
    return Wording(text=text, pattern=re.compile("".join(parts)), years=tuple(years),
                   literal=max(fixed, key=len))


def render_years(text: str, fiscal_year: int) -> str:
    """A template's year slots filled in for one report (e.g. override column labels)."""
    return re.sub(r"\{year([+-]\d)?\}",
                  lambda m: str(fiscal_year + int(m.group(1) or 0)), text)


class LineIndex:
    """Offsets in a report's joined text -> (line number, column), 1-based."""

    def __init__(self, lines: list[str]):
        self.text = "\n".join(lines)
        self.starts, pos = [], 0
        for line in lines:
            self.starts.append(pos)
            pos += len(line) + 1

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
