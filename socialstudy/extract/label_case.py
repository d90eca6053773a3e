"""A row label printed in another letter case than every crosswalk writes it
(``KÖP AV VERKSAMHET`` for ``Köp av verksamhet``) matched no crosswalk row, so the line left
every comparison with exit 0. A label that matches no crosswalk spelling exactly but
exactly one case-insensitively is given that spelling on its facts, with the printed label
in the fact's note (cells.csv keeps it verbatim); the crosswalks already refuse keys that
differ only in case, so the match is never a guess between two rows. Two rows of one
table that would get the same spelling ('PERSONAL' beside 'Personal') are never merged:
the run stops at the report's line."""

from __future__ import annotations

import dataclasses

from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.errors import RawFileError
from socialstudy.extract.rows import Fact

# the crosswalks that pick table rows by their printed label, and that label's column
LABELS = {"cost_types.csv": "report_label", "activities.csv": "report_label",
          "finance_tables.csv": "report_label", "printed_deviation.csv": "report_label",
          "staffing_map.csv": "row_label"}


_SEEN: dict[str, tuple[tuple, tuple[set[str], dict[str, str]]]] = {}


def spellings(municipality: str) -> tuple[set[str], dict[str, str]]:
    """(every label the crosswalks pick for ``municipality``, {casefolded label: its one
    spelling} for the labels no other spelling shares case-insensitively). Worked out
    again only when a crosswalk changed (``read_crosswalk`` hands out new rows)."""
    rows = tuple(read_crosswalk(name) for name in LABELS)
    seen = _SEEN.get(municipality)
    if seen is not None and all(a is b for a, b in zip(seen[0], rows)):
        return seen[1]
    exact = {getattr(row, column).strip() for found, column in zip(rows, LABELS.values())
             for row in found if row.municipality == municipality}
    folded: dict[str, set[str]] = {}
    for label in exact:
        folded.setdefault(label.casefold(), set()).add(label)
    _SEEN[municipality] = rows, (exact, {key: next(iter(found))
                                         for key, found in folded.items() if len(found) == 1})
    return _SEEN[municipality][1]


def recased(facts: list[Fact], municipality: str) -> list[Fact]:
    """``facts`` with each label that differs from one crosswalk spelling only in letter
    case written as the crosswalk spells it, and a note naming the printed label."""
    exact, folded = spellings(municipality)
    printed: dict[str, dict[str, int]] = {}  # crosswalk spelling -> {printed label: line}
    for fact in facts:
        label = fact.row_label if fact.row_label in exact else folded.get(
            fact.row_label.casefold())
        printed.setdefault(label, {}).setdefault(fact.row_label, fact.source_line)
    out = []
    for fact in facts:
        label = folded.get(fact.row_label.casefold())
        if fact.row_label in exact or label is None:
            out.append(fact)
            continue
        if len(printed[label]) > 1:
            raise _merged(fact, label, printed[label])
        note = f"label printed {fact.row_label!r}, matched to the crosswalks' {label!r} " \
               "regardless of letter case"
        out.append(dataclasses.replace(fact, row_label=label, note="; ".join(
            n for n in (fact.note, note) if n)))
    return out


def _merged(fact: Fact, label: str, printed: dict[str, int]) -> RawFileError:
    """Two rows of one table that would both be ``label`` ('PERSONAL' at 456 beside
    'Personal' at 455 gave Huddinge two personnel lines and no premises, with exit 0)."""
    other = ", ".join(f"{text!r} at line {line}" for text, line in printed.items()
                      if text != fact.row_label)
    return RawFileError(
        f"label {fact.row_label!r} differs only in letter case from {other} in the same "
        f"table: the two rows cannot both be {label!r}, "
        "and which one the crosswalks mean cannot be told", file=f"data/raw/{fact.source_file}",
        line=fact.source_line, fix="correct the label to the report's own spelling")
