"""A table header wrapped over two lines whose spacing was lost, as interim reports print
it (Sundsvall, Delårsrapport januari–april 2018, tests/fixtures/real/
sundsvall_2018_apr_ks_prognos, lines 35 and 37):

    Verksamheternas nettokostnad Budget Budget Utfall Utfall Prognos Budget
    per nämnd, mnkr 2018 jan-apr 2018 jan-apr 2018 jan-apr 2017 2018 avvikelse

The upper line ends in one column word per column, the lower one in one qualifier per
column (a year, a part of the year and its year, or a word); word k of the upper line and
qualifier k of the lower line name column k ("Budget jan-apr 2018", "Utfall jan-apr 2017",
"Prognos 2018").  The block reader sees neither line as a header (single spaces, a blank
line between them), so a block without column labels looks for the pair above its first
row; the pair is taken only when both lines have exactly as many columns as its rows have
numbers.  Otherwise the block is left as it was (its rows stay review items)."""

from __future__ import annotations

import re

from socialstudy.extract.layout_model import Block, Column, HeaderCell, HeaderRow
from socialstudy.extract.layout_words import COLWORDS, column_year

_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_MONTHS = re.compile(r"(?i)^[a-zåäö]{3}\.?[-–][a-zåäö]{3}\.?$")  # jan-apr, jan–aug
_WORD = re.compile(r"(?i)^(?:" + "|".join(COLWORDS) + r")$")


def qualifiers(text: str) -> tuple[str, list[str]]:
    """(the words before them, the qualifiers) at the end of a header's lower line."""
    toks, out = text.split(), []
    while toks:
        tok = toks[-1]
        if _YEAR.match(tok):
            toks.pop()
            out.insert(0, f"{toks.pop()} {tok}" if toks and _MONTHS.match(toks[-1]) else tok)
        elif _WORD.match(tok):
            out.insert(0, toks.pop())
        else:
            break
    return " ".join(toks), out


def column_words(text: str, n: int) -> tuple[str, list[str]] | None:
    """(the words before them, the last ``n`` words) when those are all column words."""
    toks = text.split()
    if len(toks) < n or not all(_WORD.match(t) for t in toks[-n:]):
        return None
    return " ".join(toks[:-n]), toks[-n:]


def _above(lines: list[str], first: int) -> tuple[int, int] | None:
    """1-based numbers of the two non-blank lines above line ``first``, each at most one
    blank line from the next."""
    found, k, blanks = [], first - 1, 0
    while k >= 1 and len(found) < 2:
        if lines[k - 1].strip():
            found.append(k)
            blanks = 0
        elif (blanks := blanks + 1) > 1:
            return None
        k -= 1
    return (found[1], found[0]) if len(found) == 2 else None


def wrapped_header(block: Block, lines: list[str]) -> Block:
    """The block with columns named by a wrapped header above it, where there is one."""
    widths = {len(r.cells) - 1 for r in block.rows}
    if block.columns and all(c.label for c in block.columns) or len(widths) != 1:
        return block
    n = widths.pop()
    pair = _above(lines, block.first_line)
    if n < 2 or pair is None:
        return block
    upper, lower = (lines[k - 1] for k in pair)
    corner_low, quals = qualifiers(lower)
    words = column_words(upper, n)
    if words is None or len(quals) != n:
        return block
    corner = f"{words[0]} {corner_low}".strip()
    cells = [HeaderCell(corner, list(pair), corner=True)] + [
        HeaderCell(f"{w} {q}", list(pair)) for w, q in zip(words[1], quals)]
    block.header = [HeaderRow(list(pair), cells)]
    block.columns = [Column(c.text, column_year(c.text, "")) for c in cells[1:]]
    block.first_line = pair[0]
    return block
