"""Layout reader, part 3: space-aligned lines classified (row, header, label, prose),
grown into blocks, their header rows and columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from socialstudy.extract.detached_sign import attach_signs
from socialstudy.extract.layout_model import (
    TOKEN,
    YEAR,
    Column,
    HeaderCell,
    HeaderRow,
)
from socialstudy.extract.layout_words import (
    _is_colword,
    column_year,
    joins_back,
    split_glued,
    vocab_split,
)
from socialstudy.extract.numbers import _TAG, SPACES

# ----------------------------------------------------------------------------- space aligned

@dataclass
class _Line:
    no: int
    text: str
    kind: str  # row | header | text | blank | other
    label: str = ""
    toks: tuple[str, ...] = ()
    ends: tuple[int, ...] = ()
    hard: tuple[bool, ...] = ()  # gap after token i is 2+ spaces: a cell boundary
    gap: int = 0  # spaces between label and the first number
    head: list[tuple[str, int, int]] = field(default_factory=list)
    indent: int = 0


_PROSE = re.compile(r"[a-zåäö]{4,}[.!?] [A-ZÅÄÖ][a-zåäö]")  # a sentence ends ("enl. SoL" no)
_NBSP = re.compile(f"[{SPACES}]")
_SUPMARK = re.compile(r"(?i)<sup>.*?</sup>")
_REF_END = re.compile(r"(?:§|\b(?:nr|kap\.?|p\.|punkt|sid\.?|bilaga))$", re.I)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Whitespace tokens with positions; a lone ``%`` or ``*`` sticks to the number before."""
    out: list[tuple[str, int, int]] = []
    for m in re.finditer(r"\S+", text):
        if out and re.fullmatch(r"%|\*+", m.group()) and TOKEN.match(out[-1][0]):
            out[-1] = (out[-1][0] + m.group(), out[-1][1], m.end())
        else:
            out.append((m.group(), m.start(), m.end()))
    return attach_signs(out)


def _positions(text: str, parts: list[str], base: int = 0) -> list[tuple[str, int, int]]:
    """Character span of each part of a split header cell, so columns keep positions."""
    out, at = [], 0
    for p in parts:
        at = text.find(p, at)
        out.append((p, base + at, base + at + len(p)))
        at += len(p)
    return out


_QUANTITY = re.compile(r"(?<!\S)[-\u2013\u2212+]?\d+(?:[.,]\d+)?%?\**(?!\S)")
_TAIL_END = tuple("0123456789%*-\u2013\u2014\u2212")


def header_fields(text: str) -> list[tuple[str, int, int]] | None:
    """Cells of a header line, or None: no quantity (years and dates only), short cells
    split at 2+ spaces, glued cells split, lost spacing split by column words."""
    s = text.rstrip()
    body = s.strip()
    if not body or len(body) > 160 or body.endswith(".") or "\t" in s:
        return None
    if any(not YEAR.fullmatch(m.group().rstrip("*")) for m in _QUANTITY.finditer(body)):
        return None
    cells: list[tuple[str, int, int]] = []
    for m in re.finditer(r"\S+(?: \S+)*", s):
        cells += _positions(m.group(), split_glued(m.group()), m.start())
    if len(cells) == 1 and len(body.split()) <= 10:
        cells = _positions(s, vocab_split(body))
    if len(cells) < 2 or any(len(c[0]) > 40 for c in cells):
        return None
    words = any(_is_colword(t) for c in cells for t in c[0].split())
    return cells if words or (len(cells) >= 3 and all(len(c[0].split()) <= 3 for c in cells)) \
        else None


_TAILRE = re.compile(r"(?:\s+(?:[-\u2013\u2212+]?\d+(?:[.,]\d+)?(?:\s?%)?\**"
                     r"|[-\u2013\u2014\u2212]{1,3}))+$")


def classify(no: int, raw: str, near: bool = True) -> _Line:
    """What one non-tab line can be inside a space-aligned table.  ``near`` says a line
    ending in a number follows closely; only then is a wordy line tested as a header."""
    text = raw.rstrip()
    if not text:
        return _Line(no, text, "blank")
    if "<" in text:  # extraction markup (<b>) blanked, not removed: columns stay put
        text = _SUPMARK.sub(lambda m: " " * len(m.group()), text)  # footnote marks
        text = _TAG.sub(lambda m: " " * len(m.group()), text).rstrip()
    if not text.isascii() and _NBSP.search(text):
        text = _NBSP.sub(" ", text)  # one character each, so columns keep their positions
    indent = len(text) - len(text.lstrip())
    if not text.endswith(_TAIL_END):  # no number at the end: a header, a label or prose
        if len(text) - indent > 160:
            return _Line(no, text, "other")
        head = header_fields(text) if near else None
        if head:
            return _Line(no, text, "header", head=head, indent=indent)
        label = text.strip()
        short = len(label) <= 70 and not label.endswith(".") and not _PROSE.search(label)
        return _Line(no, text, "text" if short else "other", label=label, indent=indent)
    head = header_fields(text)
    if head:
        return _Line(no, text, "header", head=head, indent=indent)
    if len(text) - indent > 300:  # a paragraph that happens to end with a number
        return _Line(no, text, "other")
    m = _TAILRE.search(" " + text)
    cut = m.start() if m else len(text)  # the tail (numbers and dashes) starts after cut
    tail = [(w, a + cut, b + cut) for w, a, b in _tokens(text[cut:])]
    label = text[:cut].strip()
    if tail and _REF_END.search(label) and tail[0][1] - len(text[:cut].rstrip()) == 1:
        cut, tail = tail[0][2], tail[1:]  # "§ 281", "nr 5": a reference, part of the text
        label = text[:cut].strip()
    short = len(label) <= 150 and not label.endswith(".") and not _PROSE.search(label)
    if not tail:
        return _Line(no, text, "text" if short else "other", label=label, indent=indent)
    gap = tail[0][1] - len(text[:cut].rstrip()) if label else 2
    hard = tuple(tail[i + 1][1] - tail[i][2] >= 2 for i in range(len(tail) - 1))
    is_row = short and len(label.split()) <= 20 and (gap >= 2 or len(tail) >= 2) and \
        (label or len(tail) >= 2)
    return _Line(no, text, "row" if is_row else "other", label=label,
                 toks=tuple(x[0] for x in tail), ends=tuple(x[2] for x in tail), hard=hard,
                 gap=gap, indent=indent)


def _next_kind(infos: list[_Line], k: int, skip_blank: int = 0) -> str:
    """Kind of line k, looking past at most ``skip_blank`` blank lines."""
    while k < len(infos) and infos[k].kind == "blank" and skip_blank > 0:
        k, skip_blank = k + 1, skip_blank - 1
    return infos[k].kind if k < len(infos) else "end"


def grow(infos: list[_Line], i: int) -> tuple[int, list[_Line], list[_Line]]:
    """From line i: header lines, then rows with label-only lines and single blank lines
    between them.  Returns the index after the region, header lines and body lines."""
    heads, body, k = [], [], i
    if infos[i].kind == "header" and i > 0 and infos[i - 1].kind in ("text", "header") \
            and infos[i - 1].indent >= 4 and len(infos[i - 1].text.strip()) <= 60:
        heads.append(infos[i - 1])  # an indented spanning line above (``KOMMUNEN``)
    while k < len(infos) and infos[k].kind == "header":
        heads.append(infos[k])
        k += 1
    if heads and k < len(infos) and infos[k].kind == "blank" and \
            _next_kind(infos, k, 1) in ("row", "text"):
        k += 1
    while k < len(infos):
        kind, has_row = infos[k].kind, any(b.kind == "row" for b in body)
        ahead = _next_kind(infos, k + 1, 1)
        if kind == "row" or (kind == "blank" and has_row and ahead == "row"):
            body.append(infos[k])
        elif kind == "text" and (ahead == "row" or (has_row and body[-1].kind == "row"
                                                    and joins_back(body[-1].label,
                                                                   infos[k].label))):
            body.append(infos[k])
        else:
            break
        k += 1
    while body and body[-1].kind == "blank":
        body.pop()
    return k, heads, body


def _overlap(a: tuple[int, int], b: tuple[int, int], slack: int = 1) -> bool:
    return a[0] < b[1] + slack and b[0] < a[1] + slack


def header_rows(heads: list[_Line], aligned: bool) -> list[HeaderRow]:
    """Header lines to rows: a lower line whose cells each sit under exactly one cell of the
    line above is a wrapped continuation and is merged; otherwise it is a new row."""
    rows: list[HeaderRow] = []
    for h in heads:
        cells = h.head or [(h.text.strip(), h.indent, len(h.text))]
        new = [HeaderCell(t, [h.no], s, e) for t, s, e in cells]
        if rows and len(new) <= len(rows[-1].cells):
            up = rows[-1].cells
            hits = [[u for u in up if _overlap((c.start, c.end), (u.start, u.end))] for c in new]
            if (aligned and all(len(x) == 1 for x in hits)) or \
                    (not aligned and len(new) == len(up)):
                for c, x in zip(new, hits if aligned else [[u] for u in up]):
                    x[0].text = f"{x[0].text} {c.text}"
                    x[0].lines.append(h.no)
                rows[-1].lines.append(h.no)
                continue
        rows.append(HeaderRow([h.no], new))
    return rows


def mark_corners(rows: list[HeaderRow], num_left: int | None, n_fields: int) -> None:
    """A header cell over the label column (``mnkr``) is a corner, not a data column."""
    for row in rows:
        for i, c in enumerate(row.cells):
            if num_left is not None:
                c.corner = c.end <= num_left - 1 and len(row.cells) > 1
            elif i == 0 and len(row.cells) > 1 and not _is_colword(c.text.split()[0]):
                c.corner = True


def space_columns(rows: list[HeaderRow], aligned: bool) -> list[Column]:
    """Data columns from the lowest header row; upper cells over a column span it."""
    if not rows:
        return []
    own = [c for c in rows[-1].cells if not c.corner]
    cols = []
    for idx, c in enumerate(own):
        spans = []
        for up in rows[:-1]:
            ups = [u for u in up.cells if not u.corner]
            if aligned:
                spans += [u.text for u in ups if _overlap((c.start, c.end), (u.start, u.end), 3)]
            elif len(ups) == 1 or len(ups) == len(own):
                spans.append(ups[0 if len(ups) == 1 else idx].text)
        span = " ".join(spans)
        cols.append(Column(f"{span} {c.text}".strip(), column_year(c.text, span)))
    return cols
