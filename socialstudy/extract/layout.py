"""Table blocks in raw report text, whatever shape the text arrived in.

Four shapes are recognised (see README, "The text the study needs"):
  tab            cells separated by TABs (the seed reports)
  space_aligned  columns lined up with runs of spaces (``pdftotext -layout``), or the
                 same rows with the spacing lost (``Vuxna 40 200 38 100 2 100``)
  cell_per_line  one cell per line, as copied from a web page, also when a row's later
                 cells share one line or a short row stands on its label's line
  glued          cells stored with no separator (``Socialnämnden11,80,0470,1248,6``)

Numbers whose thousands are separated by single spaces are ambiguous once the column gap
is lost too; they are split by character columns first, then by the header's column count
plus the table's own arithmetic.  A split that arithmetic decided is marked in
``BlockRow.repaired``; a row that still has several readings becomes a ``Review`` and is
left unsplit: never a guess.  The parts: ``layout_model`` (blocks, number tokens),
``layout_words`` (headers, titles, labels, tab runs), ``layout_space`` (space-aligned
lines), ``layout_split`` (splitting numbers), ``layout_blocks`` (blocks assembled),
``layout_groups`` (cell-per-line rows that change shape), ``layout_glued`` (glued cells),
``layout_indicators`` (glued indicator cells: percentages, dashes, bounded targets).
"""

from __future__ import annotations

from socialstudy.extract.layout_blocks import cpl_blocks, space_blocks
from socialstudy.extract.layout_glued import glued_blocks
from socialstudy.extract.layout_indicators import indicator_blocks
from socialstudy.extract.layout_model import Block
from socialstudy.extract.layout_words import tab_block
from socialstudy.extract.tables import tab_runs
from socialstudy.extract.wrapped_header import wrapped_header


def is_sentence(line: str) -> bool:
    """A line of running text: more than six words ending in a full stop. No reader starts
    or continues a table on it (a table row or header never ends in a full stop, and a
    one-cell-per-line label is short), so it is marked taken before the readers look."""
    text = line.strip()
    return text.endswith(".") and len(text.split()) > 6


def segment(lines: list[str], tabs: bool = True) -> list[Block]:
    """Every table block of a report, in order: tab runs first, then glued tables, then
    one-cell-per-line ones, then space-aligned ones among the lines left over. With
    ``tabs=False`` the tab runs only mark their lines as taken (``extract.tables`` reads
    them) and no tab block is built."""
    lines = [ln.rstrip("\r\n") for ln in lines]
    used = [False] * len(lines)
    runs = tab_runs(lines)
    for run in runs:
        used[run[0]: run[-1] + 1] = [True] * (run[-1] - run[0] + 1)
    for i, line in enumerate(lines):  # each line classified once: prose is no reader's
        if not used[i] and is_sentence(line):
            used[i] = True
    blocks = [tab_block(lines, run) for run in runs] if tabs else []
    for reader in (glued_blocks, indicator_blocks, cpl_blocks):
        for b in reader(lines, used):
            blocks.append(b)
            used[b.first_line - 1: b.last_line] = [True] * (b.last_line - b.first_line + 1)
    blocks += [wrapped_header(b, lines) for b in space_blocks(lines, used)]
    return sorted(blocks, key=lambda b: b.first_line)
