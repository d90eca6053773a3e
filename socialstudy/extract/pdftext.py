"""Layout-preserving text of a PDF (pypdfium2), extracted once when a report is added.

The text looks like ``pdftotext -layout``: one line per visual line, cells separated by
two or more spaces (words inside a cell by one: ``1 243,4`` is one cell), right-aligned
numeric columns right-aligned in the text, pages separated by one blank line (never a
form feed: ``str.splitlines`` would count lines differently from ``str.split("\\n")``).
The study never reads a PDF: ``add-report`` keeps the PDF and this text side by side in
``data/raw/``, both hashed, with ``LIBRARY``, its version and ``LAYOUT_VERSION`` in the
registry entry, so a rebuild never re-extracts. The conventions a parser may rely on are
in the README ("The text the study needs"). Deterministic: every sort has a total key;
the same PDF, pypdfium2 version and ``LAYOUT_VERSION`` give the same bytes.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version as dist_version
from pathlib import Path

LIBRARY = "pypdfium2"
LAYOUT_VERSION = "1"   # bump whenever a change below can change the output text
WORD_GAP = 0.15        # em; below Calibri's space (0.226 em), above kerning
PHRASE_GAP = 0.7       # em; wider than a justified word space, narrower than a column gap
LINE_TOL = 0.3         # em; baselines closer than this are one visual line
BLANK_GAP = 2.5        # em between baselines -> one blank line
GRID = 0.45            # em of the body font per text column (Helvetica averages ~0.5 em)
EDGE_TOL = 1.0         # points; edges closer than this are the same column edge
HEADER_MAX = 20.0      # em; a text phrase wider than this is prose, never right-anchored

_SPACES = set(" \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
              "\u200a\u202f\u205f\u3000\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
              0xFB05: "st", 0xFB06: "st"}
_NUMBER = re.compile(r"[-+\u2212\u2013]?\(?[-+\u2212\u2013]?\d+(?:[.,]\d+)*\)?%?")


@dataclass(frozen=True)
class Extracted:
    """Text of a PDF with what is needed to register it and to trust it."""
    text: str
    library: str
    version: str
    pages: int
    layout: str = LAYOUT_VERSION
    page_starts: tuple[int, ...] = ()
    empty_pages: tuple[int, ...] = ()     # 1-based; no text layer (scanned?)
    shifted_lines: tuple[int, ...] = ()   # 1-based; a phrase moved off its column
    rotated_chars: int = 0                # dropped: not in the page's text direction
    unmapped_chars: int = 0               # glyphs without Unicode, written as U+FFFD


# A char: (baseline, x0, x1, em, text, orientation) in the frame of its text direction.
def _orientation(a: float, b: float) -> int | None:
    """Text direction in degrees from the char matrix, or None when not a right angle."""
    if abs(b) <= 0.02 * abs(a):
        return 0 if a > 0 else 180
    if abs(a) <= 0.02 * abs(b):
        return 90 if b > 0 else 270
    return None


def _frame(orient: int, ox: float, oy: float, left: float, bottom: float, right: float,
           top: float) -> tuple[float, float, float]:
    """(baseline, x0, x1) rotated into the text's own frame, so one layout serves all."""
    return ((oy, left, right) if orient == 0 else (-ox, bottom, top) if orient == 90
            else (-oy, -right, -left) if orient == 180 else (ox, -top, -bottom))


def _dominant(chars: list[tuple]) -> tuple[int, list[tuple], int]:
    """The page's main text direction and its chars; others dropped (counted)."""
    glyphs = [c[5] for c in chars if c[0] is not None]
    counts = Counter(o for o in glyphs if o is not None)
    if not counts:
        return 0, [], len(glyphs)
    main = max(counts.items(), key=lambda kv: (kv[1], kv[0] == 0, -kv[0]))[0]
    kept = [c[:5] for c in chars if c[0] is None or c[5] == main]
    return main, _attach_breaks(kept), len(glyphs) - counts[main]


def _clean(code: int) -> str:
    """A code point as output text: a space for any break, '-' for hyphens."""
    ch = chr(code)
    if ch in _SPACES:
        return " "
    if code in (0x02, 0xAD):   # PDFium marks a line-end hyphen as U+0002
        return "-"
    if code in _LIGATURES:     # so that words are found by search: "ﬀ" -> "ff"
        return _LIGATURES[code]
    if code < 0x20 or 0x7F <= code < 0xA0 or code in (0xFFFE, 0xFFFF):
        return "\ufffd"       # undecodable: visible, never silently dropped
    return ch


def library_version() -> str:
    """``5.15.2 (pdfium 159.0.8149.0)``: the binding and the PDFium build it bundles."""
    import pypdfium2 as pdfium
    return f"{dist_version(LIBRARY)} (pdfium {pdfium.PDFIUM_INFO.tag})"


def _pdfium_pages(path: Path) -> tuple[list[list[tuple]], list[int], int]:
    """Chars per page, each page in its main text direction; and the dropped count."""
    import pypdfium2 as pdfium

    pages, orients, rotated = [], [], 0
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            textpage = page.get_textpage()
            orient, kept, dropped = _dominant(_pdfium_chars(textpage.raw))
            pages.append(kept)
            orients.append(orient)
            rotated += dropped
            textpage.close()
            page.close()
    finally:
        doc.close()
    return pages, orients, rotated


def _pdfium_chars(tp) -> list[tuple]:
    """One page's chars from raw PDFium calls (the hot loop: ~5 µs a char)."""
    import pypdfium2.raw as raw

    unicode, generated, matrix = (raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated,
                                  raw.FPDFText_GetMatrix)
    box, origin, size = (raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin,
                         raw.FPDFText_GetFontSize)
    rect, mat, ox, oy = raw.FS_RECTF(), raw.FS_MATRIX(), ctypes.c_double(), ctypes.c_double()
    chars: list[tuple] = []
    for i in range(raw.FPDFText_CountChars(tp)):
        code = unicode(tp, i)
        if code < 0x20 and code != 0x02 and not generated(tp, i):
            code = 0xFFFD   # a glyph whose code is a control char: unmapped
        text = _clean(code)
        if text == " ":     # also PDFium's generated spaces: they mend words split
            chars.append((None, 0.0, 0.0, 0.0, " ", None))  # across text objects
            continue
        matrix(tp, i, mat)
        orient = _orientation(mat.a, mat.b)
        if orient is None:
            chars.append((0.0, 0.0, 0.0, 0.0, text, None))  # skewed: counted, dropped
            continue
        box(tp, i, rect)
        origin(tp, i, ox, oy)
        y, x0, x1 = _frame(orient, ox.value, oy.value, rect.left, rect.bottom, rect.right,
                           rect.top)
        last = chars[-1] if chars else None
        if last and last[0] == y and last[1] == x0 and last[2] == x1:
            chars[-1] = last[:4] + (last[4] + text, orient)   # one ligature glyph
            continue
        chars.append((y, x0, x1, size(tp, i) * math.hypot(mat.c, mat.d), text, orient))
    return chars


def _attach_breaks(chars: list[tuple]) -> list[tuple]:
    """A space travels as a flag on the glyph after it (the layout sorts by position)."""
    out, pending = [], False
    for c in chars:
        if c[0] is None:
            pending = True
        else:
            out.append(c + (pending,))
            pending = False
    return out


def _lines(chars: list[tuple]) -> list[list[tuple]]:
    """Group chars into visual lines by baseline, top to bottom, each sorted by x."""
    lines: list[list[tuple]] = []
    ref = None
    for c in sorted(chars, key=lambda c: (-c[0], c[1], c[4])):
        if ref is None or ref - c[0] > LINE_TOL * max(c[3], 1.0):
            lines.append([])
            ref = c[0]
        lines[-1].append(c)
    return [sorted(line, key=lambda c: (c[1], -c[0], c[4])) for line in lines]


def _phrases(line: list[tuple]) -> list[list]:
    """Split a line into phrases [x0, x1, text, em, baseline]; drop overprinted copies."""
    phrases: list[list] = []
    prev = None
    for y, x0, x1, em, text, brk in line:
        if prev and text == prev[4] and abs(x0 - prev[1]) < 0.3 * (prev[2] - prev[1]):
            continue  # fake bold: the same glyph drawn twice, slightly offset
        gap = x0 - prev[2] if prev else 0.0
        size = max(em, prev[3]) if prev else em
        if prev is None or gap > PHRASE_GAP * size:
            phrases.append([x0, x1, text, em, y])
        else:
            sep = " " if (brk or gap > WORD_GAP * size) else ""
            p = phrases[-1]
            p[1], p[2] = max(p[1], x1), p[2] + sep + text
        prev = (y, x0, x1, em, text)
    return phrases


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text.replace(" ", "")) is not None


def _edge_map(values: list[float]) -> dict[float, float]:
    """Snap each edge to the first of its cluster, so jittered edges share a column."""
    snap, first, last = {}, None, None
    for v in sorted(set(values)):
        if last is None or v - last > EDGE_TOL:
            first = v
        snap[v], last = first, v
    return snap


def _render_page(lines: list[list[list]], cw: float, left: float
                 ) -> tuple[list[str], list[int]]:
    """Place phrases on the grid; returns the text lines and the indices of shifted ones."""
    phrases = [p for line in lines for p in line]
    num_right = _edge_map([p[1] for p in phrases if _is_number(p[2])])
    left_map = _edge_map([p[0] for p in phrases])
    anchors = sorted(num_right)
    out, shifted, prev_y, prev_em = [], [], None, 0.0
    for line in lines:
        y, em = line[0][4], max(p[3] for p in line)
        if prev_y is not None and prev_y - y > BLANK_GAP * max(em, prev_em):
            out.append("")
        prev_y, prev_em = y, em
        text, moved = _place(line, cw, left, num_right, left_map, anchors)
        if moved:
            shifted.append(len(out))
        out.append(text)
    return out, shifted


def _place(line, cw, left, num_right, left_map, anchors) -> tuple[str, bool]:
    """One text line: right-anchored numbers and aligned headers, others by left edge."""
    buf, end, moved = "", -2, False
    for x0, x1, text, em, _y in line:
        text = unicodedata.normalize("NFC", text)
        if _is_number(text):
            edge = num_right.get(x1)
        elif x1 - x0 <= HEADER_MAX * em:   # a header may be right-aligned; prose is not
            edge = num_right.get(next((a for a in anchors if abs(a - x1) <= EDGE_TOL),
                                      None))
        else:
            edge = None
        if edge is not None:
            start = round((edge - left) / cw) - len(text) + 1
        else:
            start = round((left_map[x0] - left) / cw)
        min_start = end + 3 if buf else 0
        if start < min_start:
            moved = moved or bool(buf)
            start = min_start
        buf += " " * (start - len(buf)) + text
        end = len(buf) - 1
    return buf.rstrip(), moved


def _grid(pages: list[list[tuple]], orients: list[int]) -> tuple[float, dict[int, float]]:
    """Cell width (a fraction of the body font size) and left margin per direction."""
    sizes = Counter(round(c[3], 1) for page in pages for c in page)
    lefts: dict[int, float] = {}
    for page, orient in zip(pages, orients):
        for c in page:
            lefts[orient] = min(lefts.get(orient, c[1]), c[1])
    if not sizes:
        return 1.0, {}
    body = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return max(GRID * body, 0.5), lefts


def layout(pages: list[list[tuple]], orients: list[int]) -> tuple[str, tuple, tuple, tuple]:
    """Text of all pages with page start lines, empty pages and shifted lines."""
    cw, lefts = _grid(pages, orients)
    out: list[str] = []
    starts, empty, shifted = [], [], []
    for number, (chars, orient) in enumerate(zip(pages, orients), 1):
        if number > 1:
            out.append("")
        starts.append(len(out) + 1)
        lines = [_phrases(line) for line in _lines(chars)]
        if not lines:
            empty.append(number)
        text, moved = _render_page(lines, cw, lefts.get(orient, 0.0))
        shifted += [len(out) + 1 + i for i in moved]
        out += text
    return "\n".join(out) + "\n", tuple(starts), tuple(empty), tuple(shifted)


def extract_text(pdf_path: str | Path) -> Extracted:
    """Layout text of a PDF and what a reviewer must know (empty pages, moved cells)."""
    pages, orients, rotated = _pdfium_pages(Path(pdf_path))
    text, starts, empty, shifted = layout(pages, orients)
    return Extracted(text=text, library=LIBRARY, version=library_version(), pages=len(pages),
                     page_starts=starts, empty_pages=empty, shifted_lines=shifted,
                     rotated_chars=rotated, unmapped_chars=text.count("\ufffd"))
